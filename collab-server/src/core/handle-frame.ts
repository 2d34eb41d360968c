import { joinChunks, ProtocolError, ProtocolErrorReason, readFrame } from '@patchline/shared';
import type { ConnectionRecord } from '../store/connection-store.js';
import type { CollabDeps } from './collab-deps.js';
import { handleMessage } from './handle-message.js';
import { sendControl } from './send.js';

/** How long a handler process reuses a connection record it read (release, user, groups). */
const CONNECTION_RECORD_MAX_AGE_MS = 5_000;

/**
 * `$default`: one text frame. Whole messages go straight to `handleMessage`; chunks are staged
 * in DynamoDB because the next chunk may reach another handler instance (shared/PROTOCOL.md). Protocol
 * errors answer an `error` control message and change nothing.
 */
export async function handleFrame(
  deps: CollabDeps,
  connectionId: string,
  body: string | undefined,
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
 * Stages one chunk and returns the whole message once every chunk is there. Enforces P5 (a
 * chunk arrives once; a different one at the same index or another count is a conflict), P6
 * (the staged total stays under the limit) and P7 (a bounded number of partial messages per
 * connection); a refused message leaves a marker so its remaining chunks are dropped quietly.
 */
async function stageChunk(
  deps: CollabDeps,
  connection: ConnectionRecord,
  frame: { id: string; index: number; count: number; bytes: Uint8Array },
): Promise<Uint8Array | null> {
  const { staging } = deps.stores;
  const { connectionId } = connection;
  const now = deps.now();
  const ttl = deps.limits.chunkTimeoutMs;
  const fresh = (await staging.summaries(connectionId)).filter((s) => s.stagedAt >= now - ttl);
  const mine = fresh.find((s) => s.messageId === frame.id);
  if (mine && mine.indexes === null) return null; // already refused: drop the rest quietly
  /** Refuses the message; only the instance that refuses it first answers the client. */
  const refuse = async (reason: ProtocolErrorReason, message: string): Promise<null> => {
    if (await staging.refuse(connectionId, frame.id, now, ttl)) throw new ProtocolError(reason, message);
    return null;
  };
  if (!mine && fresh.filter((s) => s.indexes !== null).length >= deps.limits.maxPendingMessages) {
    throw new ProtocolError(
      ProtocolErrorReason.tooManyPendingMessages,
      `more than ${deps.limits.maxPendingMessages} messages in flight`,
    );
  }
  const tooLarge = () =>
    refuse(
      ProtocolErrorReason.messageTooLarge,
      `message exceeds ${deps.limits.maxMessageBytes} bytes; nothing was stored`,
    );
  // What earlier chunks staged tells early; the list after staging below tells for sure.
  if (mine && mine.count !== frame.count)
    return refuse(ProtocolErrorReason.chunkConflict, 'chunk count changed');
  if ((mine?.bytes ?? 0) + frame.bytes.length > deps.limits.maxMessageBytes) return tooLarge();
  const outcome = await staging.stage(
    connectionId,
    frame.id,
    { index: frame.index, count: frame.count, data: frame.bytes, stagedAt: now },
    ttl,
  );
  if (outcome === 'conflict')
    return refuse(
      ProtocolErrorReason.chunkConflict,
      `chunk ${frame.index} arrived twice with different content`,
    );
  if (outcome === 'duplicate') return null;
  // Listed after our own chunk was stored: chunks may be handled at once by several instances
  // (API Gateway keeps no order), and the one whose chunk was stored last sees them all.
  const { chunks, isClosed } = await staging.listMessage(connectionId, frame.id);
  if (isClosed) {
    // Refused or delivered while we staged: our chunk is one nobody else will delete.
    await staging.deleteChunk(connectionId, frame.id, frame.index);
    return null;
  }
  if (chunks.some((chunk) => chunk.count !== frame.count))
    return refuse(ProtocolErrorReason.chunkConflict, 'chunk count changed');
  if (chunks.reduce((sum, chunk) => sum + chunk.data.length, 0) > deps.limits.maxMessageBytes)
    return tooLarge();
  if (chunks.length < frame.count) return null;
  // Several may see them all: one conditional write picks the one that delivers the message.
  if (!(await staging.claimCompletion(connectionId, frame.id, now, ttl))) return null;
  await staging.deleteMessage(connectionId, frame.id, frame.count);
  return joinChunks(new Map(chunks.map((chunk) => [chunk.index, chunk.data])), frame.count);
}
