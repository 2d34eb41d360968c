import {
  field,
  notesEditor,
  openEditable,
  type PatchlineWindow,
  statusChip,
  trackTitles,
  waitForSync,
} from './support/editor';
import { expect, test } from './support/fixtures';
import { e2eStack } from './support/stack';

const CRAFTED_TITLE = 'Hacked by a viewer';

test('a viewer sees the sheet read-only, and the server refuses an edit crafted from its page', async ({
  openAs,
}) => {
  const { demo } = e2eStack().local;
  const path = `/releases/${demo.releaseId}`;

  const editor = await openAs('editor', path);
  await openEditable(editor, demo.releaseId);
  const title = await field(editor, 'release.title').inputValue();
  expect(title).not.toBe(CRAFTED_TITLE);

  const viewer = await openAs('viewer', path);
  const banner = viewer.getByTestId('read-only-banner');
  await expect(banner).toBeVisible();
  await expect(banner).toHaveAttribute('data-reason', 'viewer');
  await expect(statusChip(viewer)).toHaveAttribute('data-status', 'read-only');
  await expect(statusChip(viewer)).toHaveText('Read-only');
  await waitForSync(viewer);

  // The sheet is there, and nothing in it can be changed.
  const viewerTitle = field(viewer, 'release.title');
  await expect(viewerTitle).toHaveValue(title);
  await expect(viewerTitle).not.toBeEditable();
  await expect(trackTitles(viewer).first()).not.toBeEditable();
  await expect(field(viewer, 'release.releaseType')).toBeDisabled();
  await expect(notesEditor(viewer)).toHaveAttribute('contenteditable', 'false');
  await expect(viewer.getByTestId('add-track')).toBeDisabled();
  await viewerTitle.click();
  await viewer.keyboard.type('typed by a viewer');
  await expect(viewerTitle).toHaveValue(title);

  // Everything the editor's document ever holds for the title, from now on.
  await editor.evaluate(() => {
    const connection = (window as PatchlineWindow).__patchlineConnection!;
    const release = connection.doc.getMap('release');
    const seen: unknown[] = [];
    (window as unknown as { __seenTitles: unknown[] }).__seenTitles = seen;
    release.observe(() => seen.push(release.get('title')));
  });

  // A raw document edit, as a modified client could send it; the server checks the sender's role.
  await viewer.evaluate((crafted) => {
    const connection = (window as PatchlineWindow).__patchlineConnection!;
    connection.doc.getMap('release').set('title', crafted);
  }, CRAFTED_TITLE);

  // Refused: the viewer is told, and its page goes back to the server's state.
  await expect(viewer.getByText('Your last edit was not saved')).toBeVisible();
  await expect(viewerTitle).toHaveValue(title);
  await waitForSync(viewer);
  await expect(viewer.getByTestId('release-title')).toHaveText(title);

  // The editor never saw it: not on the page, not even briefly in its document.
  await expect(field(editor, 'release.title')).toHaveValue(title);
  await expect(editor.getByTestId('release-title')).toHaveText(title);
  const seen = await editor.evaluate(() => (window as unknown as { __seenTitles: unknown[] }).__seenTitles);
  expect(seen).not.toContain(CRAFTED_TITLE);
});
