import {
  CONNECTION_LIST_MAX_AGE_MS,
  type ControlMessage,
  writeControlFrame,
  writeMessageFrames,
} from '@patchline/shared';
import type { CollabDeps } from './collab-deps.js';

/** Longer than any `$connect` takes (Lambda's timeout for it is seconds). */
export const CONNECT_GRACE_MS = 30_000;

/** Sends one y-protocols message, chunked into ≤ 32 KB frames posted in order. */
export async function sendMessage(
  deps: CollabDeps,
  connectionId: string,
  message: Uint8Array,
): Promise<'sent' | 'gone'> {
  for (const frame of writeMessageFrames(message, { maxMessageBytes: deps.limits.maxMessageBytes })) {
    if ((await deps.messenger.post(connectionId, frame)) === 'gone') return 'gone';
  }
  return 'sent';
}

export function sendControl(
  deps: CollabDeps,
  connectionId: string,
  message: ControlMessage,
): Promise<'sent' | 'gone'> {
  return deps.messenger.post(connectionId, writeControlFrame(message));
}

/**
 * Sends `message` to each connection; connections that answer 410 Gone are removed, so a
 * dropped client without `$disconnect` does not linger in the list.
 */
export async function broadcast(
  deps: CollabDeps,
  releaseId: string,
  message: Uint8Array,
  options: { except?: string } = {},
): Promise<void> {
  return fanOut(deps, releaseId, options, (connectionId) => sendMessage(deps, connectionId, message));
}

/**
 * Sends to each connection of the release (but `except`) with `send`; connections that answer
 * 410 Gone are removed, as in `broadcast`.
 */
export async function fanOut(
  deps: CollabDeps,
  releaseId: string,
  options: { except?: string; connectionsVersion?: number; listFresh?: boolean },
  send: (connectionId: string) => Promise<'sent' | 'gone'>,
): Promise<void> {
  // Listed after the caller's `connectionsVersion` was read (with the document, before the
  // update was stored), and at most CONNECTION_LIST_MAX_AGE_MS ago: a client missing from this
  // list connected since, and its sync step 1 (the first, or its join resync) loads a document
  // that already holds the update (ST1).
  // `listFresh` reads the list now, for what no resync repeats (someone leaving). Removing a
  // connection bumps the version too, so a list that still holds a connection removed before the
  // caller read its version is read again (a revoked connection gets nothing after the revoke).
  const connections = await deps.stores.connections.listRecent(
    releaseId,
    options.listFresh ? 0 : CONNECTION_LIST_MAX_AGE_MS,
    deps.now(),
    options.connectionsVersion,
  );
  await Promise.all(
    connections
      .filter((connection) => connection.connectionId !== options.except)
      .map(async (connection) => {
        const isGone = (await send(connection.connectionId)) === 'gone';
        // A connection whose `$connect` is still running is recorded but not yet postable (API
        // Gateway answers 410 until `$connect` returns); it must not be forgotten. Its sync step 1,
        // processed after `$connect`, loads a document that already holds what it missed here.
        if (isGone && deps.now() - connection.connectedAt > CONNECT_GRACE_MS) {
          await deps.stores.connections.delete(releaseId, connection.connectionId, connection.userId);
        }
      }),
  );
}
