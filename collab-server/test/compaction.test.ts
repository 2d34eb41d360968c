import { createSheet, readSheet, setReleaseField } from '@patchline/shared';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createRelease } from '../src/core/create-release.js';
import { DynamoDocumentStore } from '../src/store/dynamo-document-store.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

let stack: TestStack;

beforeAll(async () => {
  const started = await startTestStack({ gateway: false, seed: false });
  stack = started.stack;
  return started.teardown;
});

/** A fresh release plus a replica whose edits we append as the handler would. */
async function releaseWithReplica() {
  const releaseId = await createRelease(stack.stores, {
    ownerId: 'owner-1',
    seed: { release: { title: 'Start' } },
  });
  const replica = new Y.Doc();
  Y.applyUpdate(replica, Y.encodeStateAsUpdate((await stack.stores.documents.load(releaseId))!.doc));
  const edit = (value: string): Uint8Array => {
    const before = Y.encodeStateVector(replica);
    setReleaseField(replica, 'genre', value);
    return Y.encodeStateAsUpdate(replica, before);
  };
  return { releaseId, replica, edit };
}

/** Another handler process: its own store instance on the same table. */
const otherProcess = () => new DynamoDocumentStore(stack.stores.client, stack.stores.tableName);

describe(DynamoDocumentStore.name, () => {
  it('ST3: a release with 10,000 small edits opens from a snapshot plus a short log', async () => {
    const { releaseId, replica, edit } = await releaseWithReplica();
    const documents = stack.stores.documents;
    for (let i = 0; i < 10_000; i += 50) {
      // 50 handlers at a time, each appending then compacting when its load says so.
      await Promise.all(
        Array.from({ length: 50 }, (_, j) => documents.append(releaseId, edit(`Genre ${i + j}`))),
      );
      const loaded = (await documents.load(releaseId))!;
      if (documents.needsCompaction(loaded)) await documents.compact(releaseId, loaded);
    }
    const loaded = (await documents.load(releaseId))!;
    expect(loaded.updateKeys.length).toBeLessThan(documents.limits.compactAfterUpdates);
    expect(loaded.snapshotId).not.toBeNull();
    expect(readSheet(loaded.doc)).toEqual(readSheet(replica));
  }, 120_000);

  it('ST3: two compactions racing drop nothing, including updates written meanwhile', async () => {
    const { releaseId, replica, edit } = await releaseWithReplica();
    for (let i = 0; i < 20; i++) await stack.stores.documents.append(releaseId, edit(`Before ${i}`));
    const [a, b] = [otherProcess(), otherProcess()];
    const [loadedA, loadedB] = await Promise.all([a.load(releaseId), b.load(releaseId)]);
    await stack.stores.documents.append(releaseId, edit('Written during compaction'));
    const results = await Promise.all([a.compact(releaseId, loadedA!), b.compact(releaseId, loadedB!)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const loaded = (await stack.stores.documents.load(releaseId))!;
    expect(readSheet(loaded.doc)).toEqual(readSheet(replica));
    expect(loaded.updateKeys).toHaveLength(1);
  });

  it('ST1–ST3 property: any interleaving of appends, loads and compactions by several processes keeps every update', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom('append', 'compact', 'load'), { minLength: 5, maxLength: 25 }),
        fc.array(fc.nat(2), { minLength: 25, maxLength: 25 }),
        async (steps, processOf) => {
          const { releaseId, replica, edit } = await releaseWithReplica();
          const processes = [otherProcess(), otherProcess(), otherProcess()];
          let n = 0;
          // Each step starts without waiting for the previous one, as concurrent handlers would.
          await Promise.all(
            steps.map(async (step, i) => {
              const store = processes[processOf[i]!]!;
              if (step === 'append') return store.append(releaseId, edit(`v${n++}`));
              const loaded = await store.load(releaseId);
              if (step === 'compact' && loaded) await store.compact(releaseId, loaded);
            }),
          );
          const loaded = (await stack.stores.documents.load(releaseId))!;
          expect(readSheet(loaded.doc)).toEqual(readSheet(replica));
        },
      ),
      { numRuns: 15 },
    );
  }, 120_000);

  it('refuses to create a release twice', async () => {
    const releaseId = await createRelease(stack.stores, { ownerId: 'owner-1' });
    await expect(stack.stores.documents.create(releaseId, createSheet(), {})).rejects.toMatchObject({
      reason: 'already-exists',
    });
  });
});
