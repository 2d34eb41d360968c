import { foreignContentIn, isValidId, notesFragment, type ReleaseSheet, tracksMap } from '@patchline/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { apiClient } from './support/api-client.js';
import { connectRelease } from './support/release-client.js';
import { idTokenOf } from './support/sign-in.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

let stack: TestStack;
let manager: ReturnType<typeof apiClient>;

beforeAll(async () => {
  const started = await startTestStack({ workers: 1 });
  stack = started.stack;
  manager = apiClient(stack.config, await idTokenOf(stack.config, 'manager'));
  return started.teardown;
});

/**
 * Foreign content already stored in a release (written before the server refused it) must not
 * brick the release: every reader skips it and serves the valid rest.
 */
describe('a stored document with foreign content', () => {
  it('still exports as JSON and CSV and can be submitted, without the foreign content', async () => {
    const releaseId = stack.demoReleaseId;
    const before = await manager.get<ReleaseSheet>(`/releases/${releaseId}/export.json`);
    expect(before.status).toBe(200);

    // Written straight into the stored log, bypassing the WebSocket and its checks.
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate((await stack.stores.documents.load(releaseId))!.doc));
    const stateBefore = Y.encodeStateVector(replica);
    replica.transact(() => {
      tracksMap(replica).set('aaaaaaaa.x', new Y.Array() as never);
      tracksMap(replica).set('', new Y.Text('not a track') as never);
      notesFragment(replica).push([new Y.Map() as never]);
    });
    await stack.stores.documents.append(releaseId, Y.encodeStateAsUpdate(replica, stateBefore));

    const json = await manager.get<ReleaseSheet>(`/releases/${releaseId}/export.json`);
    expect(json.status).toBe(200);
    expect(json.body.tracks.map((track) => track.id)).toEqual(before.body.tracks.map((track) => track.id));
    expect(json.body.tracks.every((track) => isValidId(track.id))).toBe(true);
    expect(json.body.release).toEqual(before.body.release);
    expect(json.body.notes).toBe(before.body.notes);

    const csv = await manager.get<string>(`/releases/${releaseId}/export.csv`);
    expect(csv.status).toBe(200);
    expect(csv.body).not.toContain('aaaaaaaa.x');
    expect(csv.body.split('\r\n').filter(Boolean)).toHaveLength(before.body.tracks.length + 1);

    const submitted = await manager.post(`/releases/${releaseId}/status`, { transition: 'submit' });
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({ releaseId, status: 'in_review' });
    const after = await manager.get<ReleaseSheet>(`/releases/${releaseId}/export.json`);
    expect(after.body.release.status).toBe('in_review');
  });
});

describe('the one-off repair', () => {
  it('drops foreign content already stored when someone opens the release, for everyone', async () => {
    const releaseId = stack.demoReleaseId;
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate((await stack.stores.documents.load(releaseId))!.doc));
    const stateBefore = Y.encodeStateVector(replica);
    replica.transact(() => tracksMap(replica).set('bbbbbbbb.y', new Y.Array() as never));
    await stack.stores.documents.append(releaseId, Y.encodeStateAsUpdate(replica, stateBefore));
    expect(foreignContentIn((await stack.stores.documents.load(releaseId))!.doc)).not.toEqual([]);

    const client = connectRelease(
      stack.config.websocketUrl,
      releaseId,
      await idTokenOf(stack.config, 'editor'),
    );
    await client.whenSynced();
    expect(foreignContentIn(client.doc)).toEqual([]);
    // The repair was stored before the client was answered (a server edit through the room).
    expect(foreignContentIn((await stack.stores.documents.load(releaseId))!.doc)).toEqual([]);
  });
});
