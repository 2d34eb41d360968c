import { addTrack, readSheet, readTracks, setReleaseField } from '@patchline/shared';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { DocumentCache } from '../src/store/document-cache.js';
import { documentsOfAnotherProcess, releaseWithReplica } from './support/release-replica.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

let stack: TestStack;

beforeAll(async () => {
  const started = await startTestStack({ gateway: false, seed: false });
  stack = started.stack;
  return started.teardown;
});

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
    await writer.appendUpdate(
      releaseId,
      edit((doc) => addTrack(doc, { title: `T${i}` })),
    );
}

describe(DocumentCache.name, () => {
  it('sees what other processes stored after it first loaded the release', async () => {
    const { releaseId, writer, edit } = await releaseWithWriter();
    const cache = new DocumentCache(stack.stores.documents);
    await cache.load(releaseId);
    const other = otherProcess();
    await other.appendUpdate(
      releaseId,
      edit((doc) => setReleaseField(doc, 'genre', 'Jazz')),
    );
    await other.appendUpdate(
      releaseId,
      edit((doc) => addTrack(doc, { title: 'Second' })),
    );
    const loaded = (await cache.load(releaseId))!;
    expect(sheetOf(loaded.doc)).toEqual(sheetOf(writer));
    expect(loaded.updateKeys).toHaveLength(2);
  });

  it('follows a compaction by another process by applying its snapshot, without reloading', async () => {
    const { releaseId, writer, edit } = await releaseWithWriter();
    const cache = new DocumentCache(stack.stores.documents);
    const first = (await cache.load(releaseId))!;
    const other = otherProcess();
    await appendTracks(other, releaseId, edit, 5);
    // Folded into the snapshot before this cache ever saw them: only the snapshot has them now.
    expect(await other.compact(releaseId, (await other.load(releaseId))!)).not.toBeNull();
    await other.appendUpdate(
      releaseId,
      edit((doc) => setReleaseField(doc, 'genre', 'After')),
    );
    const loaded = (await cache.load(releaseId))!;
    expect(loaded.doc).toBe(first.doc);
    expect(loaded.snapshotId).not.toBe(first.snapshotId);
    expect(loaded.updateKeys).toHaveLength(1);
    expect(sheetOf(loaded.doc)).toEqual(sheetOf(writer));
    expect(readTracks(loaded.doc).map((t) => t.title)).toEqual(['T0', 'T1', 'T2', 'T3', 'T4']);
  });

  it("neither counts nor applies again the log items another process's snapshot already holds", async () => {
    const { releaseId, writer, edit } = await releaseWithWriter();
    const cache = new DocumentCache(stack.stores.documents);
    const other = otherProcess();
    await appendTracks(other, releaseId, edit, 4);
    expect((await cache.load(releaseId))!.updateKeys).toHaveLength(4);
    // A compaction caught between its META swap and its deletes: the snapshot holds the four
    // items, and the log still shows them.
    const full = (await other.load(releaseId))!;
    expect(await other.compact(releaseId, { ...full, updateKeys: [], updateSizes: [] })).not.toBeNull();
    expect((await other.load(releaseId))!.updateKeys).toHaveLength(4);
    await other.appendUpdate(
      releaseId,
      edit((doc) => setReleaseField(doc, 'genre', 'After')),
    );
    const loaded = (await cache.load(releaseId))!;
    // Only the item after the snapshot counts towards this process's next compaction.
    expect(loaded.updateKeys).toHaveLength(1);
    expect(sheetOf(loaded.doc)).toEqual(sheetOf(writer));
  });

  it('keeps a document adopted from a full load and brings it up to date by refreshes', async () => {
    const { releaseId, writer, edit } = await releaseWithWriter();
    const cache = new DocumentCache(stack.stores.documents);
    const opened = (await stack.stores.documents.load(releaseId))!;
    cache.adopt(releaseId, opened);
    await otherProcess().appendUpdate(
      releaseId,
      edit((doc) => setReleaseField(doc, 'genre', 'Adopted')),
    );
    const loaded = (await cache.load(releaseId))!;
    // The same document object: refreshed in place, not reloaded in full.
    expect(loaded.doc).toBe(opened.doc);
    expect(sheetOf(loaded.doc)).toEqual(sheetOf(writer));
    expect(loaded.updateKeys).toHaveLength(1);
  });

  it('moves onto the snapshot it compacted into without reloading, and drops the folded keys', async () => {
    const { releaseId, writer, edit } = await releaseWithWriter();
    const cache = new DocumentCache(stack.stores.documents);
    const other = otherProcess();
    await appendTracks(other, releaseId, edit, 4);
    const before = (await cache.load(releaseId))!;
    expect(before.updateKeys).toHaveLength(4);
    const snapshotId = await cache.compact(releaseId, before);
    expect(snapshotId).not.toBeNull();
    await other.appendUpdate(
      releaseId,
      edit((doc) => setReleaseField(doc, 'genre', 'After compaction')),
    );
    const after = (await cache.load(releaseId))!;
    expect(after.doc).toBe(before.doc);
    expect(after.snapshotId).toBe(snapshotId);
    expect(after.updateKeys).toHaveLength(1);
    expect(sheetOf(after.doc)).toEqual(sheetOf(writer));
    expect(sheetOf((await stack.stores.documents.load(releaseId))!.doc)).toEqual(sheetOf(writer));
  });

  it("reads each caller's current grant with the document, shared by concurrent callers", async () => {
    const { releaseId } = await releaseWithWriter();
    const cache = new DocumentCache(stack.stores.documents);
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
      cache.load(releaseId, 'owner-1'),
      cache.load(releaseId, 'ed'),
      cache.load(releaseId, 'stranger'),
    ]);
    expect(asOwner!.grants.get('owner-1')?.role).toBe('owner');
    expect(asEditor!.grants.get('ed')?.role).toBe('editor');
    expect(asStranger!.grants.get('stranger')).toBeNull();
    await grant('ed', 'viewer'); // a downgrade elsewhere applies to the next load
    expect((await cache.load(releaseId, 'ed'))!.grants.get('ed')?.role).toBe('viewer');
  });

  it('answers null once the release is gone', async () => {
    const { releaseId } = await releaseWithWriter();
    const cache = new DocumentCache(stack.stores.documents);
    expect(await cache.load(releaseId)).not.toBeNull();
    await stack.stores.releases.deleteAll(releaseId);
    expect(await cache.load(releaseId)).toBeNull();
  });

  it('keeps only the releases loaded within the last maxAge in memory', async () => {
    let now = 1_000_000;
    const cache = new DocumentCache(stack.stores.documents, { maxAgeMs: 10_000 }, () => now);
    const first = await releaseWithWriter();
    const second = await releaseWithWriter();
    await cache.load(first.releaseId);
    now += 6_000;
    await cache.load(second.releaseId);
    expect(cache.size).toBe(2);
    now += 6_000; // the first is now past maxAge, the second is not
    const third = await releaseWithWriter();
    await cache.load(third.releaseId);
    expect(cache.size).toBe(2);
    expect(cache.peek(first.releaseId)).toBeUndefined();
    expect(cache.peek(second.releaseId)).toBeDefined();
    // An evicted release loads again in full, with everything stored meanwhile.
    await stack.stores.documents.appendUpdate(
      first.releaseId,
      first.edit((doc) => setReleaseField(doc, 'genre', 'Back')),
    );
    expect(sheetOf((await cache.load(first.releaseId))!.doc)).toEqual(sheetOf(first.writer));
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
          const cache = new DocumentCache(stack.stores.documents);
          const other = otherProcess();
          const pending: Promise<unknown>[] = [];
          for (const [i, step] of steps.entries()) {
            if (step === 'append-here') {
              const update = edit((doc) => addTrack(doc, { title: `here ${i}` }));
              const key = await stack.stores.documents.appendUpdate(releaseId, update);
              cache.appended(releaseId, key, update);
            } else if (step === 'append-there') {
              await other.appendUpdate(
                releaseId,
                edit((doc) => addTrack(doc, { title: `there ${i}` })),
              );
            } else if (step === 'compact-there') {
              await other.compact(releaseId, (await other.load(releaseId))!);
            } else if (step === 'compact-here') {
              // Not awaited either: a compaction here may overlap loads and the other process.
              pending.push(
                cache.load(releaseId).then((loaded) => loaded && cache.compact(releaseId, loaded)),
              );
            } else {
              pending.push(cache.load(releaseId)); // not awaited: loads overlap
            }
          }
          await Promise.all(pending);
          const loaded = (await cache.load(releaseId))!;
          expect(sheetOf(loaded.doc)).toEqual(sheetOf(writer));
          // And storage itself: compactions here deleted only what they folded in.
          expect(sheetOf((await stack.stores.documents.load(releaseId))!.doc)).toEqual(sheetOf(writer));
        },
      ),
      { numRuns: 15 },
    );
  });
});
