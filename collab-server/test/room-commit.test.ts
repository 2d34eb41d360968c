import { addTrack, readTracks } from '@patchline/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Rooms } from '../src/room/rooms.js';
import { coreDeps } from './support/core-deps.js';
import { connectRelease, waitForDocs } from './support/release-client.js';
import { idTokenOf } from './support/sign-in.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

let stack: TestStack;

beforeAll(async () => {
  const started = await startTestStack({ workers: 1 });
  stack = started.stack;
  return started.teardown;
});

describe('room commits', () => {
  it('commits a burst of updates in fewer log items, each stored before it is sent, and delivers all', async () => {
    const releaseId = stack.demoReleaseId;
    const readers = await Promise.all(
      (['viewer', 'editor'] as const).map(async (role) =>
        connectRelease(stack.config.websocketUrl, releaseId, await idTokenOf(stack.config, role)),
      ),
    );
    await Promise.all(readers.map((reader) => reader.whenSynced()));
    const before = (await stack.stores.documents.load(releaseId))!;
    const author = new Y.Doc();
    Y.applyUpdate(author, Y.encodeStateAsUpdate(before.doc));
    const updates = Array.from({ length: 30 }, (_, i) => {
      const vector = Y.encodeStateVector(author);
      addTrack(author, { title: `Burst ${i}` });
      return Y.encodeStateAsUpdate(author, vector);
    });

    const editor = (await stack.stores.grants.listForRelease(releaseId)).find((g) => g.role === 'editor');
    const room = new Rooms(coreDeps(stack)).get(releaseId);
    const sender = {
      connectionId: 'no-such-sender',
      releaseId,
      userId: editor!.userId,
      name: 'Editor',
      groups: [],
      role: 'editor' as const,
      connectedAt: Date.now(),
      expiresAt: 0,
    };
    // The first binds the author's client id to the editor; then 29 invocations arrive
    // together in one handler process.
    await room.receiveUpdate(sender, updates[0]!);
    await Promise.all(updates.slice(1).map((update) => room.receiveUpdate(sender, update)));

    const after = (await stack.stores.documents.load(releaseId))!;
    const keysBefore = new Set(before.log.map((record) => record.key));
    const newItems = after.log.filter((record) => !keysBefore.has(record.key));
    expect(newItems.length).toBeGreaterThan(0);
    expect(newItems.length).toBeLessThan(updates.length);
    const titles = (doc: Y.Doc) => readTracks(doc).map((track) => track.title);
    expect(titles(after.doc)).toEqual(titles(author));
    // The merged commits reach the connected readers like single updates.
    await waitForDocs(
      readers.map((reader) => reader.doc),
      () => readers.every((reader) => titles(reader.doc).join() === titles(author).join()),
    );
  });
});
