import { ProtocolError, ProtocolErrorReason, readFrame } from '@patchline/shared';
import type { ConnectionRecord } from '../store/connection-store.js';
import type { ChunkFrame } from '../store/staging-store.js';
import type { CollabDeps } from './collab-deps.js';
import { endConnection } from './handle-disconnect.js';
import { handleMessage } from './handle-message.js';
import { perProcess } from './per-process.js';
import { sendControl } from './send.js';

/** How long a handler process reuses a connection record it read (release, user, groups). */
const CONNECTION_RECORD_MAX_AGE_MS = 5_000;

/**
 * `$default`: one text frame. Whole messages go straight to `handleMessage`; chunks are staged
 * in DynamoDB because the next chunk may reach another handler instance (PROTOCOL.md). Protocol
 * errors answer an `error` control message and change nothing. Every frame counts against the
 * connection's message rate (`FrameRate`), from `receivedAt`, when the gateway received it.
 */
export async function handleFrame(
  deps: CollabDeps,
  connectionId: string,
  body: string | undefined,
  receivedAt = deps.now(),
): Promise<void> {
  const connection = await deps.stores.connections.getRecent(
    connectionId,
    CONNECTION_RECORD_MAX_AGE_MS,
    deps.now(),
  );
  if (!connection) {
    // A frame racing `$disconnect`, or a connection whose record expired: nothing to attach it to.
    await deps.messenger.close(connectionId);
    return;
  }
  if (connection.ended) {
    // Ended while its `$connect` still ran (no close could reach it then): told now, and closed.
    await sendControl(deps, connectionId, connection.ended);
    await deps.messenger.close(connectionId);
    return;
  }
  const rate = rateOf(deps);
  if (rate.isEnded(connectionId)) return;
  // Counted while the frame is handled: the count costs the frame no wait.
  const counting = rate.count(connection, receivedAt);
  counting.catch(() => undefined); // awaited below
  try {
    await handleFrameOf(deps, connection, body);
  } finally {
    await counting;
  }
}

async function handleFrameOf(deps: CollabDeps, connection: ConnectionRecord, body: string | undefined) {
  const { connectionId } = connection;
  try {
    const frame = readFrame(body ?? '', { maxMessageBytes: deps.limits.maxMessageBytes });
    if (frame.kind === 'data') return await handleMessage(deps, connection, frame.message);
    if (frame.kind === 'control') {
      throw new ProtocolError(ProtocolErrorReason.unknownFrame, 'clients do not send control messages');
    }
    const message = await stageChunk(deps, connection, frame);
    if (message) await handleMessage(deps, connection, message);
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    deps.log('protocol error', { connectionId, reason: error.reason });
    await sendControl(deps, connectionId, { type: 'error', code: error.reason, message: error.message });
  }
}

/**
 * A connection's frames per second (`maxMessagesPerSecond`, `messageBurst`), counted in
 * DynamoDB on the connection's item since its frames reach any handler instance. Each process
 * counts `messageCountBatch` frames of a connection in one read and one write. A connection over the rate
 * gets `error` `too-many-messages` and is closed; its client reconnects, and the sync on
 * reconnecting brings whatever was dropped (PROTOCOL.md, "Limits per person").
 */
class FrameRate {
  /** Frames of each connection handled in this process and not yet counted. */
  private readonly uncounted = new Map<string, number>();
  /** Connections this process ended for their rate: their frames in flight are dropped. */
  private readonly ended = new Set<string>();

  constructor(private readonly deps: CollabDeps) {}

  isEnded(connectionId: string): boolean {
    return this.ended.has(connectionId);
  }

  async count(connection: ConnectionRecord, receivedAt: number): Promise<void> {
    const { connectionId } = connection;
    const { limits } = this.deps;
    const frames = (this.uncounted.get(connectionId) ?? 0) + 1;
    if (frames < limits.messageCountBatch) {
      if (this.uncounted.size >= 10_000) this.uncounted.clear();
      this.uncounted.set(connectionId, frames);
      return;
    }
    this.uncounted.delete(connectionId);
    const verdict = await this.deps.stores.connections.consumeMessages(connectionId, frames, receivedAt, {
      ratePerSecond: limits.maxMessagesPerSecond,
      burst: limits.messageBurst,
    });
    if (verdict === 'contended') {
      // Counted by the next frame's write instead.
      this.uncounted.set(connectionId, frames + (this.uncounted.get(connectionId) ?? 0));
      return;
    }
    if (verdict === 'ok' || this.ended.has(connectionId)) return;
    if (this.ended.size >= 10_000) this.ended.clear();
    this.ended.add(connectionId);
    if (verdict === 'gone') {
      // Ended meanwhile (by its rate in another process, a revocation, a newer connection) while
      // this process still had its record: its frames still in flight here are dropped.
      await this.deps.messenger.close(connectionId);
      return;
    }
    this.deps.log('message rate exceeded', { connectionId, userId: connection.userId });
    await endConnection(this.deps, connection, {
      type: 'error',
      code: 'too-many-messages',
      message: `More than ${limits.maxMessagesPerSecond} messages a second; reconnecting.`,
    });
  }
}

const rateOf = perProcess((deps) => new FrameRate(deps));

/**
 * Stages one chunk and returns the whole message once every chunk is there (staging-store.ts):
 * P5 (a chunk arrives once; a different one at the same index or another count is a conflict),
 * P6 (a message stays under `maxMessageBytes`), P7 (a bounded number of partial messages per
 * connection) and the connection's chunks and bytes in flight (`maxStagedChunks`,
 * `maxStagedBytes`). A refused message's remaining chunks are dropped quietly.
 */
async function stageChunk(
  deps: CollabDeps,
  connection: ConnectionRecord,
  frame: ChunkFrame,
): Promise<Uint8Array | null> {
  const outcome = await deps.stores.staging.stage(connection.connectionId, frame, deps.limits, deps.now());
  if (outcome.kind === 'complete') return outcome.message;
  if (outcome.kind === 'refused') {
    await sendControl(deps, connection.connectionId, {
      type: 'error',
      code: outcome.reason,
      message: outcome.message,
    });
  }
  return null;
}
