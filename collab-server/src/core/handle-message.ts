import { CONNECTION_LIST_MAX_AGE_MS } from '@patchline/shared';
import { roomOf } from '../room/rooms.js';
import type { ConnectionRecord } from '../store/connection-store.js';
import { type AwarenessEntry, readAwarenessEntries, writeAwarenessEntries } from './awareness-entries.js';
import type { CollabDeps } from './collab-deps.js';
import { broadcastPresence } from './presence-broadcast.js';
import { sanitizePresenceState } from './presence-state.js';
import { sendControl, sendMessage } from './send.js';
import { type IncomingMessage, readIncomingMessage, writeAwarenessMessage } from './y-messages.js';

/** One whole y-protocols message from a client. */
export async function handleMessage(
  deps: CollabDeps,
  connection: ConnectionRecord,
  bytes: Uint8Array,
): Promise<void> {
  let message: IncomingMessage;
  try {
    message = readIncomingMessage(bytes);
  } catch (error) {
    await sendControl(deps, connection.connectionId, {
      type: 'error',
      code: 'malformed-message',
      message: (error as Error).message,
    });
    return;
  }
  switch (message.type) {
    case 'sync-step1':
      return answerSyncStep1(deps, connection, message.stateVector);
    case 'sync-update':
      return roomOf(deps, connection.releaseId).receiveUpdate(connection, message.update);
    case 'awareness':
      return handleAwareness(deps, connection, message.update);
    case 'query-awareness':
      return sendPresence(deps, connection);
    case 'auth':
      return; // y-protocols auth messages carry nothing we use; access is decided at $connect.
  }
}

/**
 * Sync step 1 → what the client lacks (step 2), what we lack (our step 1), and who is here.
 * The release's room answers (room.ts); a later step 1 is the client's join resync
 * (join-resync.ts), answered from the room's document.
 */
async function answerSyncStep1(
  deps: CollabDeps,
  connection: ConnectionRecord,
  stateVector: Uint8Array,
): Promise<void> {
  const isJoinResync = deps.now() - connection.connectedAt >= CONNECTION_LIST_MAX_AGE_MS;
  const room = roomOf(deps, connection.releaseId);
  if ((await room.answerSyncStep1(connection, stateVector, isJoinResync)) === 'answered')
    await sendPresence(deps, connection, isJoinResync);
}

/**
 * Everyone's stored awareness, merged into one message for a (re)joining client (ST4). A join
 * resync may take it from the list the fan-out keeps: its client has had everyone's presence
 * since joining, through the broadcasts.
 */
async function sendPresence(
  deps: CollabDeps,
  connection: ConnectionRecord,
  isJoinResync = false,
): Promise<void> {
  const { connections: store } = deps.stores;
  const connections = isJoinResync
    ? await store.listRecent(connection.releaseId, CONNECTION_LIST_MAX_AGE_MS, deps.now())
    : await store.listForRelease(connection.releaseId);
  const entries = connections
    .filter((other) => other.connectionId !== connection.connectionId && other.awareness)
    .flatMap((other) => readAwarenessEntries(other.awareness!));
  if (entries.length > 0)
    await sendMessage(deps, connection.connectionId, writeAwarenessMessage(writeAwarenessEntries(entries)));
}

/**
 * Awareness is decoded in full before anything is stored, and every state checked:
 * its `user` is the sender's verified identity, whatever it claims, and a field or cursor peers
 * cannot read is refused (presence-state.ts; PROTOCOL.md, "Presence"). y-websocket clients relay
 * every state they know, so a connection speaks only for the Yjs client it announced first;
 * relayed entries are dropped (their owners send them) and nobody can move another's cursor.
 * The sender gets its own state back, which keeps y-websocket's 30 s silence timeout from
 * dropping idle clients.
 */
async function handleAwareness(
  deps: CollabDeps,
  connection: ConnectionRecord,
  update: Uint8Array,
): Promise<void> {
  const refuse = (message: string) =>
    sendControl(deps, connection.connectionId, { type: 'error', code: 'bad-awareness', message });
  if (update.length > deps.limits.maxAwarenessBytes) {
    await refuse(`awareness over ${deps.limits.maxAwarenessBytes} bytes`);
    return;
  }
  let entries: AwarenessEntry[];
  try {
    entries = readAwarenessEntries(update).map((entry) => ({
      ...entry,
      state: sanitizePresenceState(entry.state, connection, deps.limits.maxAwarenessBytes),
    }));
  } catch (error) {
    await refuse((error as Error).message);
    return;
  }
  const { releaseId, connectionId } = connection;
  const { connections } = deps.stores;
  // Read with the write, after this message arrived: the broadcast reaches no connection
  // removed (revoked, ended) before it (`fanOut`).
  const connectionsVersion = connections.version(releaseId);
  connectionsVersion.catch(() => undefined); // awaited below when it is used
  const first = entries[0]!.clientId;
  if (entries.every((entry) => entry.clientId === first)) {
    // The usual message, one client's state: a single conditional write checks that it is the
    // client this connection announced (or announces it) and stores it.
    const ownUpdate = writeAwarenessEntries(entries);
    if (await connections.setAwareness(releaseId, connectionId, ownUpdate, first, true)) {
      await broadcastPresence(deps, releaseId, ownUpdate, { connectionsVersion: await connectionsVersion });
      return;
    }
  }
  const presence = await connections.getInRelease(releaseId, connectionId);
  const ownClientId = presence?.awarenessClientId ?? first;
  const own = entries.filter((entry) => entry.clientId === ownClientId);
  if (!presence || own.length === 0) return;
  const ownUpdate = writeAwarenessEntries(own);
  if (!(await connections.setAwareness(releaseId, connectionId, ownUpdate, ownClientId))) return;
  await broadcastPresence(deps, releaseId, ownUpdate, { connectionsVersion: await connectionsVersion });
}
