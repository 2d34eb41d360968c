import { orderedTrackIds, readSheet, type SheetSeed, setTrackField, tracksMap } from '@patchline/shared';
import type { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { type LatencySummary, round, roundSummary, summarize } from './stats.js';

/** One connected replica, whatever the server behind it. */
export interface BenchClient {
  doc: Y.Doc;
  /** Presence: who this replica sees in the room. */
  awareness: Pick<Awareness, 'setLocalStateField' | 'getStates'>;
  whenSynced(): Promise<void>;
  /** Edits the server refused so far (Patchline's `rejected`; the references refuse nothing). */
  rejections?(): number;
  destroy(): void;
}

/** One document on a server, opened fresh for each run. */
export interface BenchRoom {
  connect(): BenchClient;
  /** Called once every client has joined and holds the seed (a reference room drops its seeder). */
  afterJoin(): Promise<void>;
  /** The state the server stored, when the target can read it back (Patchline: DynamoDB). */
  storedState?(): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** A server under test. */
export interface BenchTarget {
  name: string;
  openRoom(seed: SheetSeed): Promise<BenchRoom>;
  /** The server's child process (its own processes run under it), for its CPU time. */
  serverPid?: number;
  stop(): Promise<void>;
}

export interface WorkloadOptions {
  clients: number;
  editsPerSecond: number;
  durationMs: number;
  /** How long after the last edit deliveries still count. */
  graceMs: number;
  /** After a grace period that ended unconverged, how much longer to watch for convergence. */
  convergeWaitMs: number;
}

export interface WorkloadResult {
  target: string;
  clients: number;
  editsPerSecond: number;
  durationMs: number;
  edits: number;
  /** From the first edit to the last one sent; longer than `durationMs` if the clients lagged. */
  sendMs: number;
  expectedDeliveries: number;
  deliveries: number;
  deliveryRatio: number;
  /** Deliveries whose exact value a receiver saw; the rest arrived folded into a later edit. */
  directDeliveries: number;
  /** From the last edit sent until every delivery arrived (or the grace period ended). */
  drainMs: number;
  latencyMs: LatencySummary;
  /** All clients held the same document when the grace period ended (the bar). */
  converged: boolean;
  /**
   * Time from the last edit until every client held the same document, watched for up to
   * `convergeWaitMs` more when the grace period was not enough: late, or lost (null).
   */
  convergedAfterMs: number | null;
  /** Whether the server's stored state equals the clients' (null: the target cannot tell). */
  storedConverged: boolean | null;
}

export const JOIN_TIMEOUT_MS = 60_000;
const POLL_MS = 5;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `predicate` every `pollMs` for up to `ms`; checks at least once. */
export async function until(predicate: () => boolean, ms: number, pollMs = POLL_MS): Promise<boolean> {
  const deadline = performance.now() + ms;
  while (!predicate()) {
    if (performance.now() >= deadline) return false;
    await sleep(pollMs);
  }
  return true;
}

/**
 * The client workload every target gets: `clients` replicas of one release sheet, each owning
 * one track and setting its title `editsPerSecond` times a second (phases spread evenly), the
 * value carrying the writer, a sequence number and the send time. Latency is measured in this
 * one process on `performance.now()`, from just before the local edit to the moment each other
 * replica's observer sees it. A receiver that sees edit k of a writer also holds every earlier
 * edit of that writer (Yjs integrates a client's updates in clock order), so those count as
 * delivered then too: they were folded into one message, as a resync does.
 */
export async function runWorkload(target: BenchTarget, options: WorkloadOptions): Promise<WorkloadResult> {
  const { clients: count, editsPerSecond, durationMs } = options;
  const seed: SheetSeed = {
    release: { title: 'Benchmark release' },
    tracks: Array.from({ length: count }, (_, i) => ({ title: `slot ${i}` })),
  };
  const room = await target.openRoom(seed);
  const clients = Array.from({ length: count }, () => room.connect());
  try {
    await within(
      Promise.all(clients.map((client) => client.whenSynced())),
      JOIN_TIMEOUT_MS,
      `${target.name}: ${count} clients joining`,
    );
    const hasSeed = () => clients.every((client) => tracksMap(client.doc).size >= count);
    if (!(await until(hasSeed, JOIN_TIMEOUT_MS))) throw new Error(`${target.name}: the seed never arrived`);
    // Joining ends when everyone sees everyone present, as people do before they start typing;
    // until then the server is still handing out presence, which is not the edit load measured.
    for (const [i, client] of clients.entries())
      client.awareness.setLocalStateField('user', { name: `bench ${i}` });
    const allPresent = () => clients.every((client) => client.awareness.getStates().size >= count);
    if (!(await until(allPresent, JOIN_TIMEOUT_MS)))
      throw new Error(`${target.name}: presence never settled`);
    await room.afterJoin();

    const trackIds = orderedTrackIds(clients[0]!.doc);
    const writerOf = new Map(trackIds.map((id, i) => [id, i]));
    const editsPerClient = Math.round((editsPerSecond * durationMs) / 1000);
    const sentAt = clients.map(() => new Float64Array(editsPerClient + 1));
    // lastSeen[receiver * count + writer]: the highest sequence number the receiver has seen.
    const lastSeen = new Int32Array(count * count);
    const expectedDeliveries = editsPerClient * count * (count - 1);
    const latencies = new Float64Array(expectedDeliveries);
    let deliveries = 0;
    let directDeliveries = 0;
    let isCounting = true;

    clients.forEach((client, receiver) => {
      tracksMap(client.doc).observeDeep((events) => {
        const now = performance.now();
        if (!isCounting) return;
        for (const event of events) {
          if (!(event instanceof Y.YMapEvent) || !event.keysChanged.has('title')) continue;
          const writer = writerOf.get(event.path[0] as string);
          if (writer === undefined || writer === receiver) continue;
          const seq = Number(String((event.target as Y.Map<unknown>).get('title')).split(':')[1]);
          const slot = receiver * count + writer;
          if (!(seq > lastSeen[slot]!)) continue;
          for (let s = lastSeen[slot]! + 1; s <= seq; s++)
            latencies[deliveries++] = now - sentAt[writer]![s]!;
          directDeliveries++;
          lastSeen[slot] = seq;
        }
      });
    });

    const { lastSentAt, sendMs } = await paceEdits(count, editsPerSecond, editsPerClient, (writer) => {
      const trackId = trackIds[writer]!;
      const client = clients[writer]!;
      return (seq, now) => {
        sentAt[writer]![seq] = now;
        setTrackField(client.doc, trackId, 'title', `${writer}:${seq}:${now.toFixed(3)}`);
      };
    });
    const { drainMs, converged, convergedAfterMs } = await settle(
      lastSentAt,
      options,
      () => deliveries >= expectedDeliveries,
      () => {
        isCounting = false;
      },
      () => clients.map((c) => c.doc),
    );
    let storedConverged: boolean | null = null;
    if (room.storedState) {
      const stored = new Y.Doc();
      Y.applyUpdate(stored, await room.storedState());
      storedConverged = haveConverged([clients[0]!.doc, stored]);
    }
    return {
      target: target.name,
      clients: count,
      editsPerSecond,
      durationMs,
      edits: count * editsPerClient, // paceEdits makes every one
      sendMs: round(sendMs),
      expectedDeliveries,
      deliveries,
      deliveryRatio: expectedDeliveries === 0 ? 1 : deliveries / expectedDeliveries,
      directDeliveries,
      drainMs: round(drainMs),
      latencyMs: roundSummary(summarize(latencies.subarray(0, deliveries))),
      converged,
      convergedAfterMs,
      storedConverged,
    };
  } finally {
    for (const client of clients) client.destroy();
    await room.close();
  }
}

/** Same state vector and the same sheet everywhere. */
export function haveConverged(docs: Y.Doc[]): boolean {
  const [first, ...rest] = docs;
  if (!first) return true;
  const vector = stateVectorKey(first);
  if (!rest.every((doc) => stateVectorKey(doc) === vector)) return false;
  // Same state vector should mean the same document; reading the sheets checks it (and is slower).
  const sheet = JSON.stringify(readSheet(first));
  return rest.every((doc) => JSON.stringify(readSheet(doc)) === sheet);
}

/** The state vector as sorted `client:clock` pairs, independent of encoding order. */
function stateVectorKey(doc: Y.Doc): string {
  return [...Y.decodeStateVector(Y.encodeStateVector(doc))]
    .sort(([a], [b]) => a - b)
    .map(([client, clock]) => `${client}:${clock}`)
    .join(',');
}

/**
 * Makes `editsPerClient` edits per writer at `editsPerSecond` each, the writers phased evenly so
 * that they do not all edit at once; `writerEdits(writer)` returns the function making one edit
 * (`seq` from 1, `now` its time). Resolves with when the last edit was made, and how long after
 * the first planned one.
 */
export async function paceEdits(
  writers: number,
  editsPerSecond: number,
  editsPerClient: number,
  writerEdits: (writer: number) => (seq: number, now: number) => void,
): Promise<{ lastSentAt: number; sendMs: number }> {
  const interval = 1000 / editsPerSecond;
  const start = performance.now() + 50;
  let lastSentAt = start;
  await Promise.all(
    Array.from(
      { length: writers },
      (_, writer) =>
        new Promise<void>((resolve) => {
          const makeEdit = writerEdits(writer);
          const phase = (writer / writers) * interval;
          let seq = 0;
          const edit = () => {
            seq++;
            const now = performance.now();
            makeEdit(seq, now);
            lastSentAt = now;
            if (seq >= editsPerClient) return resolve();
            setTimeout(edit, Math.max(0, start + phase + seq * interval - performance.now()));
          };
          setTimeout(edit, Math.max(0, start + phase - performance.now()));
        }),
    ),
  );
  return { lastSentAt, sendMs: lastSentAt - start };
}

/**
 * After the last edit: deliveries count until the grace period ends (one grace period for both:
 * deliveries after it do not count, nor does convergence), then how long convergence took, with
 * `convergeWaitMs` more when the grace period was not enough (null: never).
 */
export async function settle(
  lastSentAt: number,
  options: { graceMs: number; convergeWaitMs: number },
  isDelivered: () => boolean,
  stopCounting: () => void,
  docs: () => Y.Doc[],
): Promise<{ drainMs: number; converged: boolean; convergedAfterMs: number | null }> {
  const graceEndsAt = lastSentAt + options.graceMs;
  await until(isDelivered, graceEndsAt - performance.now());
  stopCounting();
  const drainMs = performance.now() - lastSentAt;
  const converged = await until(() => haveConverged(docs()), graceEndsAt - performance.now(), 50);
  const convergedAfterMs =
    converged || (await until(() => haveConverged(docs()), options.convergeWaitMs, 250))
      ? round(performance.now() - lastSentAt)
      : null;
  return { drainMs, converged, convergedAfterMs };
}
