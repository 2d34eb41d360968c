import * as Y from 'yjs';

/** Posts one Yjs update (already merged) to one connection. */
export type PostUpdate = (connectionId: string, update: Uint8Array) => Promise<'sent' | 'gone'>;
/** Folds updates into one that has the effect of all of them. */
export type MergeUpdates = (updates: Uint8Array[]) => Uint8Array;

interface Lane {
  pending: Uint8Array[];
  waiters: Array<{ resolve(result: 'sent' | 'gone'): void; reject(error: unknown): void }>;
}

/**
 * Fan-out of Yjs updates from one handler process, at most one post in flight per connection:
 * updates for a connection that arrive while a post to it is under way wait and go out merged
 * (`Y.mergeUpdates`) in the next one. Idle, every update is posted at once; busy (50 people
 * typing), the number of posts follows what the process can send instead of growing with
 * edits × recipients until it falls behind for good. Yjs updates commute, so merging changes
 * nothing a client ends up with. A caller's promise settles when the post carrying its update
 * does. Where a runtime runs one invocation per process at a time (Lambda), lanes never fill
 * and this is a plain post. Awareness updates go through one too, with their own `merge`.
 */
export class UpdateOutbox {
  private readonly lanes = new Map<string, Lane>();
  private readonly merge: MergeUpdates;
  private readonly lingerMs: number;

  /**
   * `lingerMs` holds an idle connection's first update that long before posting it, so what
   * follows within it goes out in the same post: for traffic that comes in bursts and need not
   * arrive at once (presence), never for edits.
   */
  constructor(
    private readonly post: PostUpdate,
    options: { merge?: MergeUpdates; lingerMs?: number } = {},
  ) {
    this.merge = options.merge ?? Y.mergeUpdates;
    this.lingerMs = options.lingerMs ?? 0;
  }

  send(connectionId: string, update: Uint8Array): Promise<'sent' | 'gone'> {
    const lane = this.lanes.get(connectionId);
    if (lane) return this.enqueue(lane, update);
    const fresh: Lane = { pending: [], waiters: [] };
    this.lanes.set(connectionId, fresh);
    if (this.lingerMs > 0) {
      const lingering = this.enqueue(fresh, update);
      setTimeout(() => void this.drain(connectionId, fresh), this.lingerMs);
      return lingering;
    }
    const first = this.post(connectionId, update);
    // The lane stays open until its backlog is sent, whether or not the first post succeeded.
    void first.then(
      () => this.drain(connectionId, fresh),
      () => this.drain(connectionId, fresh),
    );
    return first;
  }

  private enqueue(lane: Lane, update: Uint8Array): Promise<'sent' | 'gone'> {
    return new Promise((resolve, reject) => {
      lane.pending.push(update);
      lane.waiters.push({ resolve, reject });
    });
  }

  /** Connections with a post under way (for tests and diagnostics). */
  get busyConnections(): number {
    return this.lanes.size;
  }

  private async drain(connectionId: string, lane: Lane): Promise<void> {
    while (lane.pending.length > 0) {
      const updates = lane.pending.splice(0);
      const waiters = lane.waiters.splice(0);
      try {
        const merged = updates.length === 1 ? updates[0]! : this.merge(updates);
        const result = await this.post(connectionId, merged);
        for (const waiter of waiters) waiter.resolve(result);
      } catch (error) {
        for (const waiter of waiters) waiter.reject(error);
      }
    }
    this.lanes.delete(connectionId);
  }
}
