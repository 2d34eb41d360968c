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
    for (const entry of readAwarenessEntries(presence.awareness)) {
      await broadcastPresence(deps, releaseId, awarenessRemoval(entry));
    }
  }
  deps.log('disconnected', { connectionId, releaseId });
}
