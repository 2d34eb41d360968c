import { CONNECTION_LIST_MAX_AGE_MS, setReleaseField, writeMessageFrames } from '@patchline/shared';
import * as Y from 'yjs';
import { startCpuMeter } from './machine-load.js';
import { createManagementMessenger, DEFAULT_COLLAB_LIMITS, Rooms, seqOf } from './patchline-internals.js';
import { median, round } from './stats.js';
import type { PatchlineTarget } from './targets/patchline.js';

export interface UpdatePathOptions {
  /** Connected clients: the broadcast posts to all but the sender. */
  clients: number;
  /** Log length when the steps are timed: half the compaction threshold, the average a load sees. */
  logUpdates: number;
  iterations: number;
}

export interface UpdatePathResult extends UpdatePathOptions {
  /** Median of each step the `$default` handler takes per accepted update, timed one by one. */
  stepsMs: Record<string, number>;
  sumMs: number;
  /** CPU time each step costs across all processes (client SDK, dynalite, gateway), per call. */
  stepsCpuMs: Record<string, number>;
  sumCpuMs: number;
}

/** An empty Yjs update as a sync message: harmless to every client that receives it. */
const EMPTY_UPDATE_FRAME = writeMessageFrames(
  Uint8Array.from([0, 2, 2, 0, 0]), // messageSync, syncUpdate, varUint8Array([0, 0])
)[0]!;
/** Untimed calls first: the SDK resolves credentials and endpoints, V8 compiles, on first use. */
const WARMUP_CALLS = 3;
const JOIN_SETTLE_MS = 2_000;

/**
 * The profile behind the latency figures: the store and management API calls the `$default`
 * handler makes for one accepted update (the room, `collab-server/src/room/room.ts`, and
 * `send.ts`), made from here one at a time on an idle stack, each timed. Their sum is the floor
 * under Patchline's propagation latency; their count per edit (3 DynamoDB requests, two of them
 * in parallel, plus one PostToConnection per other client; the connection record, the connection
 * list and the listing touch come from memory most of the time) is what saturates two cores as
 * clients are added.
 */
export async function measureUpdatePath(
  target: PatchlineTarget,
  options: UpdatePathOptions,
): Promise<UpdatePathResult> {
  const { stores } = target;
  const releaseId = await target.createRelease({ release: { title: 'Update path' } });
  const replica = new Y.Doc();
  Y.applyUpdate(replica, Y.encodeStateAsUpdate((await stores.documents.load(releaseId))!.doc));
  let edits = 0;
  const nextUpdate = () => {
    const before = Y.encodeStateVector(replica);
    setReleaseField(replica, 'genre', `Genre ${edits++}`);
    return Y.encodeStateAsUpdate(replica, before);
  };
  for (let i = 0; i < options.logUpdates; i++) await stores.documents.append(releaseId, nextUpdate());

  const connections = Array.from({ length: options.clients }, () => target.connect(releaseId));
  // The messenger the handlers post through (management-messenger.ts).
  const messenger = createManagementMessenger({
    endpoint: target.config.websocketManagementUrl,
    region: target.config.region,
    isLocal: true,
  });
  try {
    await Promise.all(connections.map((connection) => connection.whenSynced()));
    // Joining goes on after sync: every awareness state is stored and sent to everyone.
    await new Promise((resolve) => setTimeout(resolve, JOIN_SETTLE_MS));
    const ids = (await stores.connections.listForRelease(releaseId)).map((c) => c.connectionId);
    const others = ids.slice(1);
    const room = new Rooms({
      stores,
      messenger,
      verifier: { verify: () => Promise.reject(new Error('not used')) },
      limits: DEFAULT_COLLAB_LIMITS,
      now: Date.now,
      log: () => undefined,
    }).get(releaseId);
    // Commits take the numbers after the log as it stands (the room's refresh step only reads).
    let nextSeq = seqOf((await stores.documents.load(releaseId))!) + 1;
    const steps: Record<string, () => Promise<unknown>> = {
      'room refresh: log tail (Query) ∥ META + grant (BatchGetItem)': () => room.read([target.ownerId]),
      'documents.appendAt (conditional PutItem)': () =>
        stores.documents.appendAt(releaseId, nextSeq++, nextUpdate(), {
          by: [target.ownerId],
          paths: ['release.genre'],
        }),
      'connections.listRecent (memory; a Query once a second)': () =>
        stores.connections.listRecent(releaseId, CONNECTION_LIST_MAX_AGE_MS),
      [`PostToConnection × ${others.length}, parallel`]: () =>
        Promise.all(others.map((id) => messenger.post(id, EMPTY_UPDATE_FRAME))),
    };
    const stepsMs: Record<string, number> = {};
    const stepsCpuMs: Record<string, number> = {};
    // One step at a time, so the CPU it costs (here, in dynalite and in the gateway) is its own.
    for (const [name, step] of Object.entries(steps)) {
      for (let i = 0; i < WARMUP_CALLS; i++) await step();
      const runs: number[] = [];
      const stopMeter = startCpuMeter();
      for (let i = 0; i < options.iterations; i++) {
        const t0 = performance.now();
        await step();
        runs.push(performance.now() - t0);
      }
      const cpu = stopMeter();
      stepsMs[name] = round(median(runs));
      stepsCpuMs[name] = round((cpu.bench * cpu.seconds * 1000) / options.iterations);
    }
    const sumMs = round(Object.values(stepsMs).reduce((sum, ms) => sum + ms, 0));
    const sumCpuMs = round(Object.values(stepsCpuMs).reduce((sum, ms) => sum + ms, 0));
    return { ...options, stepsMs, sumMs, stepsCpuMs, sumCpuMs };
  } finally {
    for (const connection of connections) {
      connection.destroy();
      connection.doc.destroy();
    }
  }
}
