import type { GatewayOrdering } from './gateway-options.js';

/**
 * When a connection's `$default` and `$disconnect` invocations start (README, "Ordering").
 * `run` returns the invocation's promise, settled when the handler has.
 */
export interface ConnectionScheduler {
  message(run: () => Promise<unknown>): Promise<unknown>;
  disconnect(run: () => Promise<unknown>): Promise<unknown>;
}

/** Makes one scheduler per connection; all of a gateway's connections share its random stream. */
export type SchedulerFactory = () => ConnectionScheduler;

export function createSchedulerFactory(options: {
  ordering: GatewayOrdering;
  maxJitterMs: number;
  /** Uniform in [0, 1); seeded, so a run's jitter can be replayed. */
  random: () => number;
}): SchedulerFactory {
  if (options.ordering === 'in-order') return inOrderScheduler;
  const { random } = options;
  const jitter = () => Math.floor(random() * (options.maxJitterMs + 1));
  return () => {
    const held = (run: () => Promise<unknown>) => delay(jitter()).then(run);
    return { message: held, disconnect: held };
  };
}

/**
 * One invocation at a time, in arrival order: the next message's handler starts only after the
 * previous one settled, and `$disconnect` after every message received before the close.
 */
function inOrderScheduler(): ConnectionScheduler {
  let queue: Promise<unknown> = Promise.resolve();
  const enqueue = (run: () => Promise<unknown>) => {
    const result = queue.then(run);
    queue = result.catch(() => undefined);
    return result;
  };
  return { message: enqueue, disconnect: enqueue };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A small seeded PRNG (uniform in [0, 1)): the same seed gives the same jitter sequence. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
