import { apiAs } from './support/api';
import { field, openEditable, statusChip } from './support/editor';
import { expect, test } from './support/fixtures';
import { e2eStack } from './support/stack';

test('a manager downgrades a live editor to viewer: within 5 s the editor’s page is read-only', async ({
  openAs,
}, testInfo) => {
  const { demo } = e2eStack().local;
  const path = `/releases/${demo.releaseId}`;
  const managerApi = await apiAs('manager');
  const editorId = (await (await apiAs('editor')).me()).userId;

  const editor = await openAs('editor', path);
  await openEditable(editor, demo.releaseId);
  const banner = editor.getByTestId('read-only-banner');
  await expect(banner).toHaveCount(0);

  const manager = await openAs('manager', path);
  await openEditable(manager, demo.releaseId);
  await manager.getByTestId('share-button').click();
  const dialog = manager.getByTestId('share-dialog');
  const row = dialog.locator(`[data-testid="member-row"][data-email="${demo.accounts.editor}"]`);
  const roleSelect = row.getByTestId('member-role-select');
  await expect(roleSelect).toHaveText('Editor');

  try {
    await roleSelect.click();
    const viewerOption = manager.getByRole('option', { name: 'Viewer', exact: true });
    await expect(viewerOption).toBeVisible();
    // The 5 s start with the manager's choice: API, role-changed message, the page following.
    const chosenAt = Date.now();
    await viewerOption.click();
    await expect(banner).toBeVisible({ timeout: 5_000 });
    const latency = `${Date.now() - chosenAt} ms`;
    testInfo.annotations.push({ type: 'read-only after', description: latency });
    console.log(`[downgrade] the editor's page was read-only ${latency} after the manager's choice`);
    await expect(banner).toHaveAttribute('data-reason', 'viewer');
    await expect(statusChip(editor)).toHaveAttribute('data-status', 'read-only');
    await expect(field(editor, 'release.title')).not.toBeEditable();
    await expect(roleSelect).toHaveText('Viewer');
  } finally {
    // Give the editor back their role, whatever happened above.
    await managerApi.changeRole(demo.releaseId, editorId, 'editor');
  }
  await expect(banner).toHaveCount(0);
  await expect(field(editor, 'release.title')).toBeEditable();
});
