import { createSheet, readSheet } from '@patchline/shared';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRelease } from '../src/core/create-release.js';
import { DynamoDocumentStore } from '../src/store/dynamo-document-store.js';
import { documentsOfAnotherProcess, releaseWithReplica, setGenre } from './support/release-replica.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

let stack: TestStack;

beforeAll(async () => {
  const started = await startTestStack({ gateway: false, seed: false });
  stack = started.stack;
  return started.teardown;
});

const otherProcess = () => documentsOfAnotherProcess(stack.stores);

describe(DynamoDocumentStore.name, () => {
  it('ST3: a release with 10,000 small edits opens from a snapshot plus a short log', async () => {
    const { releaseId, replica, edit } = await releaseWithReplica(stack.stores);
    const documents = stack.stores.documents;
    for (let i = 0; i < 10_000; i += 50) {
      // 50 handlers at a time, each appending then compacting when its load says so.
      await documents.appendAll(
        releaseId,
        Array.from({ length: 50 }, (_, j) => edit(setGenre(`Genre ${i + j}`))),
      );
      const loaded = (await documents.load(releaseId))!;
      if (documents.needsCompaction(loaded)) await documents.compact(releaseId, loaded);
    }
    const loaded = (await documents.load(releaseId))!;
    expect(loaded.log.length).toBeLessThan(documents.limits.compactAfterUpdates);
    expect(loaded.snapshotId).not.toBeNull();
    expect(readSheet(loaded.doc)).toEqual(readSheet(replica));
  }, 120_000);

  it('ST3: two compactions racing drop nothing, including updates written meanwhile', async () => {
    const { releaseId, replica, edit } = await releaseWithReplica(stack.stores);
    for (let i = 0; i < 20; i++)
      await stack.stores.documents.append(releaseId, edit(setGenre(`Before ${i}`)));
    const [a, b] = [otherProcess(), otherProcess()];
    const [loadedA, loadedB] = await Promise.all([a.load(releaseId), b.load(releaseId)]);
    await stack.stores.documents.append(releaseId, edit(setGenre('Written during compaction')));
    const results = await Promise.all([a.compact(releaseId, loadedA!), b.compact(releaseId, loadedB!)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const loaded = (await stack.stores.documents.load(releaseId))!;
    expect(readSheet(loaded.doc)).toEqual(readSheet(replica));
    expect(loaded.log).toHaveLength(1);
  });

  it('ST1–ST3 property: any interleaving of appends, loads and compactions by several processes keeps every update', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom('append', 'compact', 'load'), { minLength: 5, maxLength: 25 }),
        fc.array(fc.nat(2), { minLength: 25, maxLength: 25 }),
        async (steps, processOf) => {
          const { releaseId, replica, edit } = await releaseWithReplica(stack.stores);
          const processes = [otherProcess(), otherProcess(), otherProcess()];
          let n = 0;
          // Each step starts without waiting for the previous one, as concurrent handlers would.
          await Promise.all(
            steps.map(async (step, i) => {
              const store = processes[processOf[i]!]!;
              if (step === 'append') return store.append(releaseId, edit(setGenre(`v${n++}`)));
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
    await expect(stack.stores.documents.create(releaseId, createSheet(), null, {})).rejects.toMatchObject({
      reason: 'already-exists',
    });
  });
});
