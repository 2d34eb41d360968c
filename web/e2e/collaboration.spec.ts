import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { field, notesEditor, openEditable, retype, trackTitles, typeAtEndOfNotes } from './support/editor';
import { expect, test } from './support/fixtures';
import { saveSideBySide } from './support/screenshots';
import { DEMO_NAMES, e2eStack } from './support/stack';

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

/** Both pages, side by side, each as its user sees it. */
async function screenshotBoth(
  pages: ReadonlyArray<{ page: Page; caption: string }>,
  size: { width: number; height: number },
) {
  const shots = [];
  for (const { page, caption } of pages) {
    await page.setViewportSize(size);
    // The layout settles (sections reflow at 390 px) before the picture is taken.
    await page.evaluate(
      () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
    );
    shots.push({ caption, png: await page.screenshot({ animations: 'disabled' }), width: size.width });
  }
  return shots;
}

test('two people in the demo release see each other, their fields and their edits', async ({
  openAs,
  browser,
}, testInfo) => {
  const { demo } = e2eStack().local;
  const path = `/releases/${demo.releaseId}`;
  const stamp = Date.now().toString(36);

  const editor = await openAs('editor', path, { viewport: DESKTOP });
  const manager = await openAs('manager', path, { viewport: DESKTOP });
  await openEditable(editor, demo.releaseId);
  await openEditable(manager, demo.releaseId);

  // Each sees the other's avatar in the stack (and their own).
  for (const [page, self, other] of [
    [editor, DEMO_NAMES.editor, DEMO_NAMES.manager],
    [manager, DEMO_NAMES.manager, DEMO_NAMES.editor],
  ] as const) {
    const presence = page.getByTestId('presence');
    await expect(presence.getByTestId('presence-avatar').filter({ hasText: other })).toHaveCount(1);
    await expect(presence.getByTestId('presence-avatar').filter({ hasText: `${self} (you)` })).toHaveCount(1);
  }

  // Field presence: whoever is in a field shows there on the other side, ring and name.
  await field(editor, 'release.displayArtist').click();
  const editorTag = manager.getByTestId('presence-release.displayArtist');
  await expect(editorTag).toHaveText(DEMO_NAMES.editor);
  await field(manager, 'release.genre').click();
  const managerTag = editor.getByTestId('presence-release.genre');
  await expect(managerTag).toHaveText(DEMO_NAMES.manager);
  // The ring around the field is drawn in the same colour as the name tag.
  for (const tag of [editorTag, managerTag]) {
    const colour = await tag.evaluate((element) => getComputedStyle(element).backgroundColor);
    await expect(tag.locator('..')).toHaveCSS('box-shadow', `${colour} 0px 0px 0px 2px`);
  }
  // Nobody sees a tag on their own field.
  await expect(editor.getByTestId('presence-release.displayArtist')).toHaveCount(0);
  await expect(manager.getByTestId('presence-release.genre')).toHaveCount(0);

  const pages = [
    { page: editor, caption: `${DEMO_NAMES.editor} (editor)` },
    { page: manager, caption: `${DEMO_NAMES.manager} (manager)` },
  ];
  await saveSideBySide(
    browser,
    await screenshotBoth(pages, DESKTOP),
    join(testInfo.project.outputDir, 'editor-two-people.png'),
  );
  await saveSideBySide(
    browser,
    await screenshotBoth(pages, PHONE),
    join(testInfo.project.outputDir, 'editor-two-people-390.png'),
  );
  for (const { page } of pages) await page.setViewportSize(DESKTOP);

  // A release field: the editor retitles the release, the manager sees it as it is typed.
  const editorTitle = field(editor, 'release.title');
  const originalTitle = await editorTitle.inputValue();
  const newTitle = `${originalTitle} (e2e ${stamp})`;
  await retype(editorTitle, newTitle);
  await expect(field(manager, 'release.title')).toHaveValue(newTitle);
  await expect(manager.getByTestId('release-title')).toHaveText(newTitle);

  // A track: the manager renames the second track; the editor sees the name and where they are.
  const managerTrack = trackTitles(manager).nth(1);
  const trackPath = (await managerTrack.getAttribute('data-field-path'))!;
  const originalTrack = await managerTrack.inputValue();
  const newTrack = `${originalTrack} (e2e ${stamp})`;
  await retype(managerTrack, newTrack);
  await expect(field(editor, trackPath)).toHaveValue(newTrack);
  await expect(editor.getByTestId(`presence-${trackPath}`)).toHaveText(DEMO_NAMES.manager);

  // The notes: the editor types, the manager sees the text and the editor's named caret.
  const note = ` Typed in e2e ${stamp}.`;
  await typeAtEndOfNotes(editor, note);
  await expect(notesEditor(manager)).toContainText(note.trim());
  await expect(
    notesEditor(manager).locator('.collaboration-carets__label').filter({ hasText: DEMO_NAMES.editor }),
  ).toHaveCount(1);

  // Put the demo release back as it was, and check the other side follows.
  for (let i = 0; i < note.length; i++) await editor.keyboard.press('Backspace');
  await expect(notesEditor(manager)).not.toContainText(note.trim());
  await retype(editorTitle, originalTitle);
  await expect(field(manager, 'release.title')).toHaveValue(originalTitle);
  await retype(managerTrack, originalTrack);
  await expect(field(editor, trackPath)).toHaveValue(originalTrack);
});
