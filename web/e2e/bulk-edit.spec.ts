import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { apiAs } from './support/api';
import { field, openEditable, statusChip, waitForSync } from './support/editor';
import { expect, test } from './support/fixtures';
import { e2eStack } from './support/stack';

/** The track ids of the page, in display order, read from their title inputs. */
async function trackIdsOf(page: Page): Promise<string[]> {
  const testIds = await page
    .getByTestId(/^field-tracks\.[^.]+\.title$/)
    .evaluateAll((inputs) => inputs.map((input) => input.getAttribute('data-testid') ?? ''));
  return testIds.map((testId) => testId.split('.')[1]!);
}

const column = (page: Page, ids: readonly string[], name: string) =>
  ids.map((id) => field(page, `tracks.${id}.${name}`));

async function expectColumn(page: Page, ids: readonly string[], name: string, values: readonly string[]) {
  const inputs = column(page, ids, name);
  for (const [i, input] of inputs.entries())
    await expect(input, `track ${i + 1} ${name}`).toHaveValue(values[i]!);
}

test('bulk edit: language on three tracks and ISRCs renumbered, seen live by a second person, each undone in one step', async ({
  openAs,
}, testInfo) => {
  const manager = await apiAs('manager');
  const { releaseId } = await manager.createRelease({
    title: `Bulk e2e ${Date.now().toString(36)}`,
    trackCount: 4,
  });
  await manager.grant(releaseId, e2eStack().local.demo.accounts.editor, 'editor');

  const editor = await openAs('editor', `/releases/${releaseId}`);
  const watcher = await openAs('manager', `/releases/${releaseId}`);
  await openEditable(editor, releaseId);
  await openEditable(watcher, releaseId);
  const ids = await trackIdsOf(editor);
  expect(ids).toHaveLength(4);
  expect(await trackIdsOf(watcher)).toEqual(ids);
  const none = ['', '', '', ''];
  await expectColumn(watcher, ids, 'language', none);
  await expectColumn(watcher, ids, 'isrc', none);

  // Select track 1, then Shift-click track 3: tracks 1–3 are selected.
  await editor.getByRole('checkbox', { name: /^Select track 1,/ }).click();
  await editor.getByRole('checkbox', { name: /^Select track 3,/ }).click({ modifiers: ['Shift'] });
  const toolbar = editor.getByTestId('bulk-edit-toolbar');
  await expect(toolbar.getByTestId('bulk-selected-count')).toHaveText('3 selected');
  await expect(editor.getByRole('checkbox', { name: /^Select track 2,/ })).toBeChecked();
  await expect(editor.getByRole('checkbox', { name: /^Select track 4,/ })).not.toBeChecked();

  // Language for the three, as one edit: the other person sees it.
  await toolbar.getByTestId('bulk-set-field').selectOption('language');
  await toolbar.getByTestId('bulk-set-value').fill('pt');
  await toolbar.getByTestId('bulk-set-apply').click();
  await expectColumn(watcher, ids, 'language', ['pt', 'pt', 'pt', '']);

  // A sequence that would run past 99999 is refused with the reason, and changes nothing.
  await toolbar.getByTestId('bulk-isrc-first').fill('QZ-BLK-26-99998');
  await toolbar.getByTestId('bulk-isrc-apply').click();
  await expect(toolbar.getByTestId('bulk-isrc-problem')).toContainText('would run past QZBLK2699999');
  await toolbar.screenshot({
    path: join(testInfo.project.outputDir, 'bulk-edit-toolbar.png'),
    animations: 'disabled',
  });
  await expectColumn(editor, ids, 'isrc', none);

  // Renumbered from a first code: consecutive designation codes, live on the other side.
  await toolbar.getByTestId('bulk-isrc-first').fill('QZ-BLK-26-00041');
  await toolbar.getByTestId('bulk-isrc-apply').click();
  await expect(toolbar.getByTestId('bulk-isrc-problem')).toHaveCount(0);
  const renumbered = ['QZBLK2600041', 'QZBLK2600042', 'QZBLK2600043', ''];
  await expectColumn(watcher, ids, 'isrc', renumbered);

  // One undo takes back the whole renumbering (and nothing else); the next, the whole language edit.
  await editor.getByTestId('undo').click();
  await expectColumn(watcher, ids, 'isrc', none);
  await expectColumn(watcher, ids, 'language', ['pt', 'pt', 'pt', '']);
  await editor.getByTestId('undo').click();
  await expectColumn(watcher, ids, 'language', none);
  await expectColumn(editor, ids, 'language', none);

  // Select all, then clear.
  await editor.getByTestId('select-all-tracks').check();
  await expect(toolbar.getByTestId('bulk-selected-count')).toHaveText('4 selected');
  await toolbar.getByRole('button', { name: 'Clear selection' }).click();
  await expect(editor.getByTestId('bulk-edit-toolbar')).toHaveCount(0);
});

test('a viewer sees the selection boxes but cannot apply a bulk edit', async ({ openAs }) => {
  const manager = await apiAs('manager');
  const { releaseId } = await manager.createRelease({
    title: `Bulk viewer ${Date.now().toString(36)}`,
    trackCount: 2,
  });
  await manager.grant(releaseId, e2eStack().local.demo.accounts.viewer, 'viewer');
  const viewer = await openAs('viewer', `/releases/${releaseId}`);
  // Synced and shown read-only: the sheet as the viewer works with it, not a page still loading.
  await waitForSync(viewer);
  await expect(statusChip(viewer)).toHaveAttribute('data-status', 'read-only');
  await viewer.getByTestId('select-all-tracks').check();
  const toolbar = viewer.getByTestId('bulk-edit-toolbar');
  await toolbar.getByTestId('bulk-set-value').fill('pt');
  for (const button of ['bulk-set-apply', 'bulk-isrc-apply', 'bulk-credit-apply', 'bulk-fill-apply'])
    await expect(toolbar.getByTestId(button)).toBeDisabled();
});
