import type { Page } from '@playwright/test';
import { apiAs } from './support/api';
import { field, notesEditor, openEditable, retype, statusChip } from './support/editor';
import { expect, test } from './support/fixtures';
import { DEMO_NAMES, e2eStack } from './support/stack';

/** The notes' text as a page shows it, without the other people's named carets. */
function notesText(page: Page): Promise<string> {
  return notesEditor(page).evaluate((element) => {
    const copy = element.cloneNode(true) as HTMLElement;
    for (const caret of copy.querySelectorAll('.collaboration-carets__caret, .collaboration-carets__label'))
      caret.remove();
    return [...copy.querySelectorAll('p')].map((paragraph) => paragraph.textContent ?? '').join('\n');
  });
}

/**
 * Version history (issue 13) from the users' seats: an owner saves a named version, an editor
 * changes the sheet, and the owner restores the version while the editor is typing in the notes.
 * Both pages converge on the same sheet, and the restore shows in the history with its author.
 */
test('one person restores a version while the other is typing: both converge and the restore is in the history', async ({
  openAs,
}) => {
  const { demo } = e2eStack().local;
  const stamp = Date.now().toString(36);
  const managerApi = await apiAs('manager');
  const release = await managerApi.createRelease({ title: `History ${stamp}`, trackCount: 1 });
  await managerApi.grant(release.releaseId, demo.accounts.editor, 'editor');
  const path = `/releases/${release.releaseId}`;

  try {
    const owner = await openAs('manager', path);
    const editor = await openAs('editor', path);
    await openEditable(owner, release.releaseId);
    await openEditable(editor, release.releaseId);

    // The owner names the sheet and saves that state as a version.
    const kept = `Kept title ${stamp}`;
    await retype(field(owner, 'release.title'), kept);
    await expect(field(editor, 'release.title')).toHaveValue(kept);
    await expect(statusChip(owner)).toHaveAttribute('data-status', 'saved');
    await owner.getByTestId('history-open').click();
    const panel = owner.getByTestId('history-panel');
    const versionName = `Before the rewrite ${stamp}`;
    await panel.getByTestId('history-version-name').fill(versionName);
    await panel.getByTestId('history-save').click();
    const named = panel.getByTestId('history-version').filter({ hasText: versionName });
    await expect(named).toHaveAttribute('data-kind', 'named');

    // The editor rewrites the title; the owner sees it.
    const rewritten = `Rewritten ${stamp}`;
    await retype(field(editor, 'release.title'), rewritten);
    await expect(field(owner, 'release.title')).toHaveValue(rewritten);

    // The editor starts typing in the notes; once the owner sees the first words, the owner
    // restores the named version while the editor's keystrokes keep coming.
    const notes = notesEditor(editor);
    await notes.click();
    await expect(notes).toBeFocused();
    await editor.keyboard.press('Control+End');
    // Slow enough to be still typing when the restore lands, on a slow machine too.
    const typing = editor.keyboard.type(`typing while the sheet is restored ${stamp}`, { delay: 80 });
    await expect(notesEditor(owner)).toContainText('typing');
    await named.getByRole('button', { name: `Restore ${versionName}` }).click();
    await owner.getByTestId('history-restore-confirm').click();
    await expect(owner.getByTestId('history-restore-dialog')).toHaveCount(0);
    await typing;

    // Both converge: the version's title on both pages, and the same notes on both.
    await expect(field(owner, 'release.title')).toHaveValue(kept);
    await expect(field(editor, 'release.title')).toHaveValue(kept);
    await expect(statusChip(editor)).toHaveAttribute('data-status', 'saved');
    await expect(statusChip(owner)).toHaveAttribute('data-status', 'saved');
    await expect.poll(async () => (await notesText(owner)) === (await notesText(editor))).toBe(true);

    // The restore is an edit, not a reload: the editor's notes keep working after it.
    await editor.keyboard.press('Control+End');
    await editor.keyboard.type(` after the restore ${stamp}`);
    await expect.poll(() => notesText(owner)).toContain(`after the restore ${stamp}`);
    await expect.poll(async () => (await notesText(owner)) === (await notesText(editor))).toBe(true);
    await expect(statusChip(editor)).toHaveAttribute('data-status', 'saved');
    await expect(statusChip(owner)).toHaveAttribute('data-status', 'saved');

    // The restore is in the history, with its author, for both of them.
    await owner.keyboard.press('Escape');
    await editor.getByTestId('history-open').click();
    const restoreEntry = editor
      .getByTestId('history-panel')
      .getByTestId('history-version')
      .filter({ hasText: `Before restoring ${versionName}` });
    await expect(restoreEntry).toHaveAttribute('data-kind', 'restore');
    await expect(restoreEntry.getByTestId('history-version-author')).toContainText(DEMO_NAMES.manager);
  } finally {
    await managerApi.deleteRelease(release.releaseId);
  }
});
