import { joinChunks, ProtocolError, ProtocolErrorReason, readFrame } from '@patchline/shared';
import type { ConnectionRecord } from '../store/connection-store.js';
import type { CollabDeps } from './collab-deps.js';
import { handleMessage } from './handle-message.js';
import { sendControl } from './send.js';

/**
 * `$default`: one text frame. Whole messages go straight to `handleMessage`; chunks are staged
 * in DynamoDB because the next chunk may reach another handler instance (DESIGN §4). Protocol
 * errors answer an `error` control message and change nothing.
 */
export async function handleFrame(
  deps: CollabDeps,
  connectionId: string,
  body: string | undefined,
): Promise<void> {
  const connection = await deps.stores.connections.get(connectionId);
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

async function stageChunk(
  deps: CollabDeps,
  connection: ConnectionRecord,
  frame: { id: string; index: number; count: number; bytes: Uint8Array },
): Promise<Uint8Array | null> {
  const { staging } = deps.stores;
  const now = deps.now();
  await staging.stage(
    connection.connectionId,
    frame.id,
    { index: frame.index, count: frame.count, data: frame.bytes, stagedAt: now },
    deps.limits.chunkTimeoutMs,
  );
  const staged = (await staging.list(connection.connectionId, frame.id)).filter(
    (chunk) => chunk.stagedAt >= now - deps.limits.chunkTimeoutMs,
  );
  const fail = async (reason: ProtocolErrorReason, message: string): Promise<never> => {
    await staging.deleteMessage(
      connection.connectionId,
      frame.id,
      Math.max(frame.count, ...staged.map((c) => c.count)),
    );
    throw new ProtocolError(reason, message);
  };
  if (staged.some((chunk) => chunk.count !== frame.count))
    await fail(ProtocolErrorReason.chunkConflict, 'chunk count changed');
  const bytes = staged.reduce((sum, chunk) => sum + chunk.data.length, 0);
  if (bytes > deps.limits.maxMessageBytes) {
    await fail(
      ProtocolErrorReason.messageTooLarge,
      `message exceeds ${deps.limits.maxMessageBytes} bytes; nothing was stored`,
    );
  }
  if (staged.length < frame.count) return null;
  const chunks = new Map(staged.map((chunk) => [chunk.index, chunk.data]));
  await staging.deleteMessage(connection.connectionId, frame.id, frame.count);
  return joinChunks(chunks, frame.count);
}
