import { awarenessRemoval, readAwarenessEntries } from './awareness-entries.js';
import type { CollabDeps } from './collab-deps.js';
import { broadcastPresence } from './presence-broadcast.js';

/** `$disconnect`: forget the connection and its staged chunks; tell the others it left (ST4). */
export async function handleDisconnect(deps: CollabDeps, connectionId: string): Promise<void> {
  const connection = await deps.stores.connections.get(connectionId);
  if (!connection) return;
  const { releaseId } = connection;
  const presence = await deps.stores.connections.getInRelease(releaseId, connectionId);
  await deps.stores.connections.delete(releaseId, connectionId);
  const staged = await deps.stores.staging.listAll(connectionId);
  await deps.stores.staging.deleteKeys(
    connectionId,
    staged.map((item) => item.SK),
  );
  if (presence?.awareness) {
    // Listed now, not from a list up to a second old: someone who joined within that second
    // would keep this person's presence until it times out (30 s); no join resync repeats a leave.
    for (const entry of readAwarenessEntries(presence.awareness)) {
      await broadcastPresence(deps, releaseId, awarenessRemoval(entry), { listFresh: true });
    }
  }
  deps.log('disconnected', { connectionId, releaseId });
}
