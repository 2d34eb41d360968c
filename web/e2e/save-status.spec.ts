import type { Page } from '@playwright/test';
import { apiAs } from './support/api';
import {
  expectEditable,
  field,
  notesEditor,
  openEditable,
  type PatchlineWindow,
  statusChip,
} from './support/editor';
import { expect, test } from './support/fixtures';
import { e2eStack } from './support/stack';

/** What the chip said, and whether the page showed the unstored edit at that moment. */
interface ChipMoment {
  status: string | null;
  showsUnstored: boolean;
}
type WatchedWindow = Window & { __chipMoments?: ChipMoment[] };

/**
 * Records every state of the status chip from now on, with whether the page showed a refused edit
 * (the pasted marker in the notes, the crafted UPC) at that moment.
 */
async function watchChip(page: Page, marker: string, upc: string): Promise<void> {
  await page.evaluate(
    ({ marker, upc }) => {
      const moments: ChipMoment[] = [];
      (window as WatchedWindow).__chipMoments = moments;
      const record = () => {
        const status =
          document.querySelector('[data-testid="status-chip"]')?.getAttribute('data-status') ?? null;
        const notes = document.querySelector('[data-testid="notes-editor"]')?.textContent ?? '';
        const upcInput = document.querySelector<HTMLInputElement>('[data-testid="field-release.upc"]');
        const showsUnstored = notes.includes(marker) || upcInput?.value === upc;
        const last = moments.at(-1);
        if (!last || last.status !== status || last.showsUnstored !== showsUnstored) {
          moments.push({ status, showsUnstored });
        }
      };
      // Looked at right before every paint: what the person can see, chip and sheet together
      // (a DOM change that React has not rendered into the chip yet is never painted).
      const everyFrame = () => {
        record();
        requestAnimationFrame(everyFrame);
      };
      record();
      requestAnimationFrame(everyFrame);
    },
    { marker, upc },
  );
}

const chipMoments = (page: Page) => page.evaluate(() => (window as WatchedWindow).__chipMoments ?? []);

/** Pastes plain text into the notes the way the browser delivers a paste to the editor. */
async function pasteIntoNotes(page: Page, text: string): Promise<void> {
  const notes = notesEditor(page);
  await notes.click();
  await page.keyboard.press('Control+End');
  await notes.evaluate((element, pasted) => {
    const target = element.querySelector('[contenteditable="true"]') ?? element;
    const data = new DataTransfer();
    data.setData('text/plain', pasted);
    target.dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
    );
  }, text);
}

test('the chip never says Saved for an edit the server refused, and the person is told why', async ({
  openAs,
}) => {
  const { demo } = e2eStack().local;
  const stamp = Date.now().toString(36);
  const managerApi = await apiAs('manager');
  const { releaseId } = await managerApi.createRelease({ title: `Save status e2e ${stamp}`, trackCount: 1 });
  await managerApi.grant(releaseId, demo.accounts.editor, 'editor');

  try {
    const editor = await openAs('editor', `/releases/${releaseId}`);
    await openEditable(editor, releaseId);
    const marker = `pasted-${stamp}`;
    const craftedUpc = '036000291452';
    await watchChip(editor, marker, craftedUpc);

    // 1. A paste whose update is over the server's 360 KB per edit (PROTOCOL.md, "Limits"):
    // 5,000 lines of 46 characters make an update of about 430 KB.
    const line = `${marker} ${'x'.repeat(46 - marker.length - 1)}`;
    const paste = Array.from({ length: 5_000 }, () => line).join('\n');
    await pasteIntoNotes(editor, paste);
    await expect(editor.getByText('This paste is too large to save')).toBeVisible({ timeout: 20_000 });
    await expect(editor.getByText(/One edit can be at most 360 KB/)).toBeVisible();
    // The sheet goes back to what the server stored, and only then is it Saved.
    await expectEditable(editor);
    await expect(notesEditor(editor)).not.toContainText(marker);

    // 2. An edit the editor's role may not make (the UPC is the label's), crafted through the
    // page's connection as a modified client could.
    await editor.evaluate((upc) => {
      const connection = (window as PatchlineWindow).__patchlineConnection!;
      connection.doc.getMap('release').set('upc', upc);
    }, craftedUpc);
    await expect(editor.getByText(/Your role cannot change Release · UPC \/ EAN\./)).toBeVisible();
    await expectEditable(editor);
    await expect(field(editor, 'release.upc')).not.toHaveValue(craftedUpc);

    // The page showed each refused edit for a while, and the chip never said Saved meanwhile.
    const moments = await chipMoments(editor);
    expect(moments.some((moment) => moment.showsUnstored)).toBe(true);
    expect(moments.filter((moment) => moment.showsUnstored && moment.status === 'saved')).toEqual([]);
    expect(moments.at(-1)).toEqual({ status: 'saved', showsUnstored: false });

    // Nothing of it was stored: a fresh load shows the server's sheet, Saved.
    await editor.reload();
    await openEditable(editor, releaseId);
    await expect(notesEditor(editor)).not.toContainText(marker);
    await expect(field(editor, 'release.upc')).not.toHaveValue(craftedUpc);
    await expect(statusChip(editor)).toHaveText('Saved');
  } finally {
    await managerApi.deleteRelease(releaseId);
  }
});
