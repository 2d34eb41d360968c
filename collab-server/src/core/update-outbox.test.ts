import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { UpdateOutbox } from './update-outbox.js';

/**
 * The outbox is tested against a recording post function: it is pure scheduling, and the
 * gateway it posts to in production is exercised by the integration suites and the benchmark.
 */
function recordingPosts() {
  const posts: Array<{ connectionId: string; update: Uint8Array; done(result?: 'sent' | 'gone'): void }> = [];
  const post = (connectionId: string, update: Uint8Array) =>
    new Promise<'sent' | 'gone'>((resolve) => {
      posts.push({ connectionId, update, done: (result = 'sent') => resolve(result) });
    });
  return { posts, post };
}

function editsOf(count: number): Uint8Array[] {
  return Array.from({ length: count }, (_, i) => {
    const doc = new Y.Doc();
    doc.getMap('release').set(`field${i}`, i);
    return Y.encodeStateAsUpdate(doc);
  });
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('UpdateOutbox', () => {
  it('posts at once when nothing is in flight, and merges what piles up behind a slow post', async () => {
    const { posts, post } = recordingPosts();
    const outbox = new UpdateOutbox(post);
    const [a, b, c] = editsOf(3);
    const first = outbox.send('conn', a!);
    expect(posts).toHaveLength(1);
    const later = [outbox.send('conn', b!), outbox.send('conn', c!)];
    expect(posts).toHaveLength(1); // one in flight per connection
    posts[0]!.done();
    expect(await first).toBe('sent');
    await flush();
    expect(posts).toHaveLength(2);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, posts[1]!.update);
    expect(doc.getMap('release').toJSON()).toEqual({ field1: 1, field2: 2 });
    posts[1]!.done('gone');
    expect(await Promise.all(later)).toEqual(['gone', 'gone']);
    expect(outbox.busyConnections).toBe(0);
  });

  it("with a linger, holds an idle connection's first update and posts it merged with what follows", async () => {
    vi.useFakeTimers();
    try {
      const { posts, post } = recordingPosts();
      const outbox = new UpdateOutbox(post, { lingerMs: 10 });
      const [a, b, c] = editsOf(3);
      const sent = [outbox.send('conn', a!), outbox.send('conn', b!)];
      expect(posts).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(10);
      expect(posts).toHaveLength(1);
      const later = outbox.send('conn', c!); // behind the post in flight, as without a linger
      const doc = new Y.Doc();
      Y.applyUpdate(doc, posts[0]!.update);
      expect(doc.getMap('release').toJSON()).toEqual({ field0: 0, field1: 1 });
      posts[0]!.done();
      expect(await Promise.all(sent)).toEqual(['sent', 'sent']);
      await vi.advanceTimersByTimeAsync(0);
      expect(posts).toHaveLength(2);
      posts[1]!.done();
      expect(await later).toBe('sent');
      await vi.advanceTimersByTimeAsync(0);
      expect(outbox.busyConnections).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps connections independent', () => {
    const { posts, post } = recordingPosts();
    const outbox = new UpdateOutbox(post);
    const [a] = editsOf(1);
    void outbox.send('one', a!);
    void outbox.send('two', a!);
    expect(posts.map((p) => p.connectionId)).toEqual(['one', 'two']);
  });

  it('every update reaches every connection, whatever the order posts complete in', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 9 })), {
          minLength: 1,
          maxLength: 40,
        }),
        fc.array(fc.nat(), { minLength: 40, maxLength: 40 }),
        async (sends, completionOrder) => {
          const { posts, post } = recordingPosts();
          const outbox = new UpdateOutbox(post);
          const edits = editsOf(10);
          const promises = sends.map(([connection, edit]) => outbox.send(`c${connection}`, edits[edit]!));
          let step = 0;
          // Complete in-flight posts in an arbitrary order until everything is sent.
          while (posts.some((p) => p.done !== undefined)) {
            const open = posts.filter((p) => p.done !== undefined);
            const next = open[completionOrder[step++ % completionOrder.length]! % open.length]!;
            const done = next.done;
            (next as { done?: unknown }).done = undefined;
            done();
            await flush();
          }
          await Promise.all(promises);
          for (let c = 0; c <= 2; c++) {
            const doc = new Y.Doc();
            for (const p of posts.filter((p) => p.connectionId === `c${c}`)) Y.applyUpdate(doc, p.update);
            const expected = [...new Set(sends.filter(([conn]) => conn === c).map(([, e]) => e))];
            expect(Object.keys(doc.getMap('release').toJSON()).sort()).toEqual(
              expected.map((e) => `field${e}`).sort(),
            );
          }
          expect(outbox.busyConnections).toBe(0);
        },
      ),
      { numRuns: 100 },
    );
  });
});
