import { authorizeUpdate, RejectReason } from '@patchline/permissions';
import type { ConnectionRecord } from '../store/connection-store.js';
import { accessOrRevoke } from './access.js';
import type { CollabDeps } from './collab-deps.js';
import { committerFor } from './release-committer.js';
import { sendControl, sendMessage } from './send.js';
import { writeSyncStep1 } from './y-messages.js';

/**
 * A Yjs update from a client (sync step 2 or update): authorized field by field against the
 * stored document and the sender's current grant, then stored, then sent to the others.
 * A refused update is neither stored nor sent; the sender is told why (DESIGN §6).
 */
export async function handleUpdate(
  deps: CollabDeps,
  connection: ConnectionRecord,
  update: Uint8Array,
): Promise<void> {
  const { releaseId, connectionId } = connection;
  // The document and the sender's current grant, read after this update arrived.
  const loaded = await deps.stores.documentCache.load(releaseId, connection.userId);
  if (!loaded) {
    await sendControl(deps, connectionId, { type: 'revoked', message: 'This release no longer exists' });
    await deps.messenger.close(connectionId);
    return;
  }
  const access = await accessOrRevoke(
    deps,
    connection,
    loaded.doc,
    loaded.grants.get(connection.userId) ?? null,
  );
  if (!access) return;

  const verdict = authorizeUpdate(access.ability, loaded.doc, update, releaseId);
  if (!verdict.allowed) {
    if (verdict.reason === RejectReason.missingDependencies) {
      // Built on changes we have not stored yet (frames can overtake each other across handler
      // instances): ask for everything we lack; the client answers with one complete update.
      await sendMessage(deps, connectionId, writeSyncStep1(loaded.doc));
      return;
    }
    deps.log('update rejected', { connectionId, releaseId, reason: verdict.reason, paths: verdict.paths });
    await sendControl(deps, connectionId, {
      type: 'rejected',
      reason: verdict.reason,
      fields: verdict.paths.slice(0, 100),
      message: verdict.message,
    });
    return;
  }
  if (!verdict.isWrite) return;

  await committerFor(deps).commit(releaseId, update, connectionId, verdict.paths, loaded.connectionsVersion);

  if (deps.stores.documents.needsCompaction(loaded)) {
    const snapshotId = await deps.stores.documentCache.compact(releaseId, loaded);
    deps.log('compaction', { releaseId, snapshotId, updates: loaded.updateKeys.length });
  }
}
