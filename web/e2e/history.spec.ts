import { apiAs } from './support/api';
import { field, notesEditor, openEditable, retype, statusChip } from './support/editor';
import { expect, test } from './support/fixtures';
import { DEMO_NAMES, e2eStack } from './support/stack';

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
    const typed = `typing during the restore ${stamp} and after it`;
    const typing = editor.keyboard.type(typed, { delay: 40 });
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
    await expect
      .poll(
        async () => (await notesEditor(owner).textContent()) === (await notesEditor(editor).textContent()),
      )
      .toBe(true);
    const ownerNotes = (await notesEditor(owner).textContent()) ?? '';
    await expect(notesEditor(editor)).toHaveText(ownerNotes);
    // What was typed after the restore is kept (the restore is an edit, not a reload).
    expect(ownerNotes).toContain('after it');

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
