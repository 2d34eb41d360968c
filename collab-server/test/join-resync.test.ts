import { addTrack, CONNECTION_LIST_MAX_AGE_MS, readTracks } from '@patchline/shared';
import type { ReleaseConnection } from '@patchline/shared/client';
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { CollabDeps } from '../src/core/collab-deps.js';
import { handleDisconnect } from '../src/core/handle-disconnect.js';
import { createStores } from '../src/store/create-stores.js';
import { coreDeps } from './support/core-deps.js';
import { connectRelease, waitForDoc } from './support/release-client.js';
import { idTokenOf } from './support/sign-in.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

let stack: TestStack;

beforeAll(async () => {
  const started = await startTestStack({ workers: 2 });
  stack = started.stack;
  return started.teardown;
});

/** The stores of another handler process: its own caches, the same table. */
const storesOfAnotherProcess = () => createStores({ ...stack.config.dynamodb, region: stack.config.region });

/** Resolves once `holds` is true of `client`'s presence, re-checked on every presence change. */
function awarenessChange(client: ReleaseConnection, holds: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (!holds()) return;
      client.awareness.off('change', check);
      resolve();
    };
    client.awareness.on('change', check);
    check();
  });
}

/** An update that adds a track, built on what is stored now. */
async function addTrackUpdate(releaseId: string, title: string): Promise<Uint8Array> {
  const author = new Y.Doc();
  Y.applyUpdate(author, Y.encodeStateAsUpdate((await stack.stores.documents.load(releaseId))!.doc));
  const vector = Y.encodeStateVector(author);
  addTrack(author, { title });
  return Y.encodeStateAsUpdate(author, vector);
}

describe('connection lists from memory, and the join resync', () => {
  it('lists from memory within the max age, follows its own puts and deletes, and reads again after', async () => {
    const releaseId = stack.demoReleaseId;
    const { connections } = storesOfAnotherProcess();
    const elsewhere = stack.stores.connections;
    const record = (connectionId: string) => ({
      connectionId,
      releaseId,
      userId: 'u',
      name: 'U',
      groups: [],
      role: 'editor' as const,
      connectedAt: Date.now(),
    });
    const ids = async (now: number) =>
      (await connections.listRecent(releaseId, 1_000, now)).map((c) => c.connectionId).sort();
    const before = await ids(0);
    await elsewhere.put(record('other-process='));
    expect(await ids(500)).toEqual(before); // another process's put is not seen yet
    await connections.put(record('this-process='));
    expect(await ids(500)).toEqual([...before, 'this-process='].sort());
    await connections.delete(releaseId, 'this-process=');
    expect(await ids(999)).toEqual(before);
    expect(await ids(1_000)).toEqual([...before, 'other-process='].sort()); // max age: read again
    await elsewhere.delete(releaseId, 'other-process=');
  });

  it('lists again, before its max age, once the release records a newer connection', async () => {
    const releaseId = stack.demoReleaseId;
    const stores = storesOfAnotherProcess();
    const head = async () => (await stores.documents.readHead(releaseId, []))!;
    const { connectionsVersion } = await head();
    const listed = await stores.connections.listRecent(releaseId, 60_000, 0, connectionsVersion);
    const joiner = connectRelease(
      stack.config.websocketUrl,
      releaseId,
      await idTokenOf(stack.config, 'viewer'),
    );
    await joiner.whenSynced();
    const after = (await head()).connectionsVersion;
    expect(after).toBeGreaterThan(connectionsVersion);
    expect(await stores.connections.listRecent(releaseId, 60_000, 0, connectionsVersion)).toHaveLength(
      listed.length,
    );
    expect(await stores.connections.listRecent(releaseId, 60_000, 0, after)).toHaveLength(listed.length + 1);
  });

  it('a client that joins after a handler listed connections still gets the update it was left out of', {
    timeout: 20_000,
  }, async () => {
    const releaseId = stack.demoReleaseId;
    const joiner = connectRelease(
      stack.config.websocketUrl,
      releaseId,
      await idTokenOf(stack.config, 'viewer'),
    );
    await joiner.whenSynced();
    // Stored by a handler whose fan-out list predates the joiner: stored, never sent to it.
    const update = await addTrackUpdate(releaseId, 'Stored while joining');
    await stack.stores.documents.append(releaseId, update);
    expect(readTracks(joiner.doc).some((track) => track.title === 'Stored while joining')).toBe(false);

    await waitForDoc(joiner.doc, (doc) =>
      readTracks(doc).some((track) => track.title === 'Stored while joining'),
    );
  });
  it("someone who joined after a handler listed connections still sees a leaver's presence go", {
    timeout: 20_000,
  }, async () => {
    const releaseId = stack.demoReleaseId;
    const leaver = connectRelease(
      stack.config.websocketUrl,
      releaseId,
      await idTokenOf(stack.config, 'editor'),
    );
    await leaver.whenSynced();
    leaver.awareness.setLocalStateField('user', { name: 'Leaver' });
    // A handler process whose clock stands still lists the connections before anyone else joins.
    const stores = storesOfAnotherProcess();
    const deps: CollabDeps = { ...coreDeps(stack), stores, now: () => 0 };
    await stores.connections.listRecent(releaseId, CONNECTION_LIST_MAX_AGE_MS, 0);

    const joiner = connectRelease(
      stack.config.websocketUrl,
      releaseId,
      await idTokenOf(stack.config, 'viewer'),
    );
    await joiner.whenSynced();
    await awarenessChange(joiner, () => joiner.awareness.getStates().has(leaver.doc.clientID));
    const leaving = (await stores.connections.listForRelease(releaseId)).find(
      (connection) => connection.awarenessClientId === leaver.doc.clientID,
    );
    // That process runs the leaver's $disconnect: the joiner is told, though the list it held
    // for fan-out predates the joiner.
    await handleDisconnect(deps, leaving!.connectionId);
    await awarenessChange(joiner, () => !joiner.awareness.getStates().has(leaver.doc.clientID));
  });
});
