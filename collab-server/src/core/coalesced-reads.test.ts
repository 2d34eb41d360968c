import { describe, expect, it } from 'vitest';
import { CoalescedReads } from './coalesced-reads.js';

/** A read whose completion the test decides, numbered in the order reads start. */
function controllableSource() {
  const started: Array<{ n: number; finish(): void; fail(error: Error): void }> = [];
  const fetch = () =>
    new Promise<number>((resolve, reject) => {
      const n = started.length + 1;
      started.push({ n, finish: () => resolve(n), fail: reject });
    });
  return { started, fetch };
}

describe('CoalescedReads', () => {
  it('answers a caller with a read that started after its call, never the one already running', async () => {
    const reads = new CoalescedReads<number>();
    const source = controllableSource();
    const first = reads.read('k', source.fetch);
    const second = reads.read('k', source.fetch); // arrives while read 1 runs
    expect(source.started).toHaveLength(1);
    source.started[0]!.finish();
    expect(await first).toBe(1);
    await Promise.resolve();
    expect(source.started).toHaveLength(2);
    source.started[1]!.finish();
    expect(await second).toBe(2);
  });

  it('shares one queued read among every caller that arrived during a running one', async () => {
    const reads = new CoalescedReads<number>();
    const source = controllableSource();
    const first = reads.read('k', source.fetch);
    const waiting = Array.from({ length: 20 }, () => reads.read('k', source.fetch));
    source.started[0]!.finish();
    await first;
    await new Promise((resolve) => setImmediate(resolve));
    source.started[1]!.finish();
    expect(await Promise.all(waiting)).toEqual(Array(20).fill(2));
    expect(source.started).toHaveLength(2);
  });

  it('keeps keys apart and passes a failed read to its callers only', async () => {
    const reads = new CoalescedReads<number>();
    const source = controllableSource();
    const a = reads.read('a', source.fetch);
    const b = reads.read('b', source.fetch);
    expect(source.started).toHaveLength(2);
    source.started[0]!.fail(new Error('throttled'));
    source.started[1]!.finish();
    await expect(a).rejects.toThrow('throttled');
    expect(await b).toBe(2);
    const again = reads.read('a', source.fetch);
    source.started[2]!.finish();
    expect(await again).toBe(3);
  });
});
