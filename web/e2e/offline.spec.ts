import { apiAs } from './support/api';
import {
  field,
  notesEditor,
  openEditable,
  type PatchlineWindow,
  retype,
  statusChip,
  typeAtEndOfNotes,
} from './support/editor';
import { expect, test } from './support/fixtures';
import { e2eStack } from './support/stack';

test('a page goes offline, edits, comes back: the other user sees the edits', async ({ openAs }) => {
  const { demo } = e2eStack().local;
  const stamp = Date.now().toString(36);
  // A release of its own, so nothing here depends on (or changes) the demo release.
  const managerApi = await apiAs('manager');
  const title = `Offline e2e ${stamp}`;
  const { releaseId } = await managerApi.createRelease({
    title,
    displayArtist: 'The Offliners',
    trackCount: 1,
  });
  await managerApi.grant(releaseId, demo.accounts.editor, 'editor');
  const path = `/releases/${releaseId}`;

  try {
    const editor = await openAs('editor', path);
    const manager = await openAs('manager', path);
    await openEditable(editor, releaseId);
    await openEditable(manager, releaseId);

    // The device loses its network. Chromium may keep an open WebSocket alive through
    // `setOffline`, so the page's socket is closed as a real network loss would.
    await editor.context().setOffline(true);
    await editor.evaluate(() => (window as PatchlineWindow).__patchlineConnection!.provider.disconnect());
    await expect
      .poll(() =>
        editor.evaluate(() => (window as PatchlineWindow).__patchlineConnection!.provider.wsconnected),
      )
      .toBe(false);
    await expect(statusChip(editor)).toHaveAttribute('data-status', 'offline');
    await expect(statusChip(editor)).toHaveText('Offline (changes kept on this device)');

    const offlineTitle = `Written offline ${stamp}`;
    const offlineNote = `Noted offline ${stamp}.`;
    await retype(field(editor, 'release.title'), offlineTitle);
    await typeAtEndOfNotes(editor, offlineNote);
    await expect(notesEditor(editor)).toContainText(offlineNote);
    await expect(statusChip(editor)).toHaveAttribute('data-status', 'offline');
    // Nothing has left the device.
    await expect(field(manager, 'release.title')).toHaveValue(title);
    await expect(notesEditor(manager)).not.toContainText(offlineNote);

    // Back online: the socket reconnects and the edits go out in its first sync.
    await editor.context().setOffline(false);
    await editor.evaluate(() => (window as PatchlineWindow).__patchlineConnection!.provider.connect());
    await expect(field(manager, 'release.title')).toHaveValue(offlineTitle);
    await expect(notesEditor(manager)).toContainText(offlineNote);
    await expect(statusChip(editor)).toHaveAttribute('data-status', 'saved');
  } finally {
    await managerApi.deleteRelease(releaseId);
  }
});
