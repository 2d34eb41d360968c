import { addTrack, readSheet, readTracks, setReleaseField } from '@patchline/shared';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DEFAULT_ROOM_OPTIONS, Room } from '../src/room/room.js';
import { Rooms } from '../src/room/rooms.js';
import { coreDeps } from './support/core-deps.js';
import { documentsOfAnotherProcess, releaseWithReplica } from './support/release-replica.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

let stack: TestStack;

beforeAll(async () => {
  const started = await startTestStack({ gateway: false, seed: false });
  stack = started.stack;
  return started.teardown;
});

/** The room of `releaseId` in a process of its own. */
const roomFor = (releaseId: string) => new Rooms(coreDeps(stack)).get(releaseId);

const otherProcess = () => documentsOfAnotherProcess(stack.stores);

const releaseWithWriter = async () => {
  const { releaseId, replica, edit } = await releaseWithReplica(stack.stores, 'Cached');
  return { releaseId, writer: replica, edit };
};

const sheetOf = (doc: Y.Doc) => readSheet(doc);

/** `count` tracks added by `writer`, one stored log item each (titles T0, T1, …). */
async function appendTracks(
  writer: ReturnType<typeof otherProcess>,
  releaseId: string,
  edit: (change: (doc: Y.Doc) => void) => Uint8Array,
  count: number,
): Promise<void> {
  for (let i = 0; i < count; i++)
    await writer.append(
      releaseId,
      edit((doc) => addTrack(doc, { title: `T${i}` })),
    );
}

/**
 * The room's view of a release (room.ts, RoomDocument): what it reads from DynamoDB and when,
 * with other handler processes writing and compacting the same release.
 */
describe(Room.name, () => {
  it('sees what other processes stored after it first loaded the release', async () => {
    const { releaseId, writer, edit } = await releaseWithWriter();
    const room = roomFor(releaseId);
    await room.read();
    const other = otherProcess();
    await other.append(
      releaseId,
      edit((doc) => setReleaseField(doc, 'genre', 'Jazz')),
    );
    await other.append(
      releaseId,
      edit((doc) => addTrack(doc, { title: 'Second' })),
    );
    const loaded = (await room.read())!;
    expect(sheetOf(loaded.doc)).toEqual(sheetOf(writer));
    expect(loaded.log).toHaveLength(2);
  });

  it('follows a compaction by another process by applying its snapshot, without reloading', async () => {
    const { releaseId, writer, edit } = await releaseWithWriter();
    const room = roomFor(releaseId);
    const first = (await room.read())!;
    const other = otherProcess();
    await appendTracks(other, releaseId, edit, 5);
    // Folded into the snapshot before this cache ever saw them: only the snapshot has them now.
    expect(await other.compact(releaseId, (await other.load(releaseId))!)).not.toBeNull();
    await other.append(
      releaseId,
      edit((doc) => setReleaseField(doc, 'genre', 'After')),
    );
    const loaded = (await room.read())!;
    expect(loaded.doc).toBe(first.doc);
    expect(loaded.snapshotId).not.toBe(first.snapshotId);
    expect(loaded.log).toHaveLength(1);
    expect(sheetOf(loaded.doc)).toEqual(sheetOf(writer));
    expect(readTracks(loaded.doc).map((t) => t.title)).toEqual(['T0', 'T1', 'T2', 'T3', 'T4']);
  });

  it("neither counts nor applies again the log items another process's snapshot already holds", async () => {
    const { releaseId, writer, edit } = await releaseWithWriter();
    const room = roomFor(releaseId);
    const other = otherProcess();
    await appendTracks(other, releaseId, edit, 4);
    expect((await room.read())!.log).toHaveLength(4);
    // Folded by another process after this room applied them: the room moves onto its snapshot
    // without reading it (it folded nothing the room lacks), and stops counting them.
    expect(await other.compact(releaseId, (await other.load(releaseId))!)).not.toBeNull();
    expect((await other.load(releaseId))!.log).toHaveLength(0);
    await other.append(
      releaseId,
      edit((doc) => setReleaseField(doc, 'genre', 'After')),
    );
    const loaded = (await room.read())!;
    // Only the item after the snapshot counts towards this process's next compaction.
    expect(loaded.log).toHaveLength(1);
    expect(sheetOf(loaded.doc)).toEqual(sheetOf(writer));
  });

  it('keeps a document adopted from a full load and brings it up to date by refreshes', async () => {
    const { releaseId, writer, edit } = await releaseWithWriter();
    const room = roomFor(releaseId);
    const opened = (await stack.stores.documents.load(releaseId))!;
    room.adoptLoaded(opened);
    await otherProcess().append(
      releaseId,
      edit((doc) => setReleaseField(doc, 'genre', 'Adopted')),
    );
    const loaded = (await room.read())!;
    // The same document object: refreshed in place, not reloaded in full.
    expect(loaded.doc).toBe(opened.doc);
    expect(sheetOf(loaded.doc)).toEqual(sheetOf(writer));
    expect(loaded.log).toHaveLength(1);
  });

  it('moves onto the snapshot it compacted into without reloading, and drops the folded keys', async () => {
    const { releaseId, writer, edit } = await releaseWithWriter();
    const room = roomFor(releaseId);
    const other = otherProcess();
    await appendTracks(other, releaseId, edit, 4);
    const before = (await room.read())!;
    expect(before.log).toHaveLength(4);
    const snapshotId = await room.compactIfDue({ force: true });
    expect(snapshotId).not.toBeNull();
    await other.append(
      releaseId,
      edit((doc) => setReleaseField(doc, 'genre', 'After compaction')),
    );
    const after = (await room.read())!;
    expect(after.doc).toBe(before.doc);
    expect(after.snapshotId).toBe(snapshotId);
    expect(after.log).toHaveLength(1);
    expect(sheetOf(after.doc)).toEqual(sheetOf(writer));
    expect(sheetOf((await stack.stores.documents.load(releaseId))!.doc)).toEqual(sheetOf(writer));
  });

  it("reads each caller's current grant with the document, shared by concurrent callers", async () => {
    const { releaseId } = await releaseWithWriter();
    const room = roomFor(releaseId);
    const grant = (userId: string, role: 'editor' | 'viewer') =>
      stack.stores.grants.put({
        releaseId,
        userId,
        role,
        via: 'direct',
        grantedBy: 'owner-1',
        createdAt: '',
      });
    await grant('ed', 'editor');
    const [asOwner, asEditor, asStranger] = await Promise.all([
      room.read(['owner-1']),
      room.read(['ed']),
      room.read(['stranger']),
    ]);
    expect(asOwner!.grants.get('owner-1')?.role).toBe('owner');
    expect(asEditor!.grants.get('ed')?.role).toBe('editor');
    expect(asStranger!.grants.get('stranger')).toBeNull();
    await grant('ed', 'viewer'); // a downgrade elsewhere applies to the next load
    expect((await room.read(['ed']))!.grants.get('ed')?.role).toBe('viewer');
  });

  it('answers null once the release is gone', async () => {
    const { releaseId } = await releaseWithWriter();
    const room = roomFor(releaseId);
    expect(await room.read()).not.toBeNull();
    await stack.stores.releases.deleteAll(releaseId);
    expect(await room.read()).toBeNull();
  });

  it('keeps only the releases used within the last maxAge in memory', async () => {
    let now = 1_000_000;
    const rooms = new Rooms(
      { ...coreDeps(stack), now: () => now },
      { ...DEFAULT_ROOM_OPTIONS, maxAgeMs: 10_000 },
    );
    const first = await releaseWithWriter();
    const second = await releaseWithWriter();
    await rooms.get(first.releaseId).read();
    now += 6_000;
    await rooms.get(second.releaseId).read();
    expect(rooms.size).toBe(2);
    now += 6_000; // the first is now past maxAge, the second is not
    const third = await releaseWithWriter();
    await rooms.get(third.releaseId).read();
    expect(rooms.size).toBe(2);
    expect(rooms.has(first.releaseId)).toBe(false);
    expect(rooms.has(second.releaseId)).toBe(true);
    // An evicted release loads again in full, with everything stored meanwhile.
    await stack.stores.documents.append(
      first.releaseId,
      first.edit((doc) => setReleaseField(doc, 'genre', 'Back')),
    );
    expect(sheetOf((await rooms.get(first.releaseId).read())!.doc)).toEqual(sheetOf(first.writer));
  });

  it('holds every stored update after any mix of appends, compactions and concurrent loads', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom('append-here', 'append-there', 'compact-here', 'compact-there', 'load'), {
          minLength: 1,
          maxLength: 25,
        }),
        async (steps) => {
          const { releaseId, writer, edit } = await releaseWithWriter();
          const room = roomFor(releaseId);
          const other = otherProcess();
          const pending: Promise<unknown>[] = [];
          for (const [i, step] of steps.entries()) {
            if (step === 'append-here') {
              // Through the room, as any edit of this process: applied, stored, then sent.
              const update = edit((doc) => addTrack(doc, { title: `here ${i}` }));
              await room.edit(
                () => undefined,
                (doc) => Y.applyUpdate(doc, update),
                [],
              );
            } else if (step === 'append-there') {
              await other.append(
                releaseId,
                edit((doc) => addTrack(doc, { title: `there ${i}` })),
              );
            } else if (step === 'compact-there') {
              await other.compact(releaseId, (await other.load(releaseId))!);
            } else if (step === 'compact-here') {
              // Not awaited either: a compaction here may overlap loads and the other process.
              pending.push(room.read().then(() => room.compactIfDue({ force: true })));
            } else {
              pending.push(room.read()); // not awaited: loads overlap
            }
          }
          await Promise.all(pending);
          const loaded = (await room.read())!;
          expect(sheetOf(loaded.doc)).toEqual(sheetOf(writer));
          // And storage itself: compactions here deleted only what they folded in.
          expect(sheetOf((await stack.stores.documents.load(releaseId))!.doc)).toEqual(sheetOf(writer));
        },
      ),
      { numRuns: 15 },
    );
  });
});
