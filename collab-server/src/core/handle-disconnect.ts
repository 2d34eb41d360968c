import type { ControlMessage } from '@patchline/shared';
import { roomOf } from '../room/rooms.js';
import type { ConnectionRecord } from '../store/connection-store.js';
import { awarenessRemoval, readAwarenessEntries } from './awareness-entries.js';
import type { CollabDeps } from './collab-deps.js';
import { broadcastPresence } from './presence-broadcast.js';
import { sendControl } from './send.js';

/** Which connection: enough to find each of its items. */
export type ConnectionKey = Pick<ConnectionRecord, 'connectionId' | 'releaseId' | 'userId'>;

/**
 * `$disconnect`: forget the connection and its staged chunks; tell the others it left (ST4). The
 * staged chunks go even when the record went first (a revocation, an eviction): nobody else
 * would delete them.
 */
export async function handleDisconnect(deps: CollabDeps, connectionId: string): Promise<void> {
  const [connection] = await Promise.all([
    deps.stores.connections.get(connectionId),
    deps.stores.staging.deleteAll(connectionId),
  ]);
  if (!connection) return;
  await forgetConnection(deps, connection);
  deps.log('disconnected', { connectionId, releaseId: connection.releaseId });
  await versionWhenLastLeft(deps, connection.releaseId);
}

/**
 * When the last person leaves, what they did is kept as an automatic version (README.md,
 * "Version history"); nothing is saved when nothing changed since the last version. A failure
 * is logged, not raised: the person has left either way.
 */
async function versionWhenLastLeft(deps: CollabDeps, releaseId: string): Promise<void> {
  try {
    if ((await deps.stores.connections.listForRelease(releaseId)).length > 0) return;
    await roomOf(deps, releaseId).saveVersion({ kind: 'auto' });
  } catch (error) {
    deps.log('version failed', { releaseId, error: String(error) });
  }
}

/**
 * Ends a connection from the server side: tells it why (`notice`, a `revoked` or an `error`),
 * takes it out of every list (`ConnectionStore.end`), closes it. Out of the lists before it is
 * closed, so its `$disconnect` finds no presence to announce twice, and every list read after
 * this call returns leaves it out. A connection still in its `$connect` gets neither the notice
 * nor the close (API Gateway answers 410 until `$connect` returns): its first frame gets both
 * (handle-frame.ts), and it receives nothing before.
 */
export async function endConnection(
  deps: CollabDeps,
  connection: ConnectionKey,
  notice: ControlMessage,
): Promise<void> {
  const told = await sendControl(deps, connection.connectionId, notice);
  await forgetConnection(deps, connection, notice);
  // Not told: gone, or still in its `$connect`, which may have returned by now. Closing it then
  // would end it without a word; its first frame gets the notice and the close instead.
  if (told === 'sent') await deps.messenger.close(connection.connectionId);
}

/**
 * Deletes a connection's items, or with `notice` all but its own (`ConnectionStore.end`);
 * either bumps the release's connection-list version. Removes its presence from everyone
 * else's view.
 */
async function forgetConnection(
  deps: CollabDeps,
  connection: ConnectionKey,
  notice?: ControlMessage,
): Promise<void> {
  const { releaseId, connectionId, userId } = connection;
  const { connections } = deps.stores;
  const presence = await connections.getInRelease(releaseId, connectionId);
  if (notice) await connections.end(connection, notice);
  else await connections.delete(releaseId, connectionId, userId);
  if (presence?.awareness) {
    // Listed now, not from a list up to a second old: someone who joined within that second
    // would keep this person's presence until it times out (30 s); no join resync repeats a leave.
    for (const entry of readAwarenessEntries(presence.awareness)) {
      await broadcastPresence(deps, releaseId, awarenessRemoval(entry), { listFresh: true });
    }
  }
}
