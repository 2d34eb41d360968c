import type { ReleaseRole } from '@patchline/permissions';
import { resolveAccess } from './access.js';
import type { CollabDeps } from './collab-deps.js';
import { sendControl } from './send.js';

/**
 * Tells a user's open connections on a release that their access changed; the REST API calls
 * this after writing the grant. With access left: a `role-changed` message (enforcement already
 * follows from the grant re-read on every message). Without: `revoked`, then the server closes
 * the connection.
 */
export async function applyAccessChange(
  deps: CollabDeps,
  input: { releaseId: string; userId: string },
): Promise<void> {
  const release = await deps.stores.releases.get(input.releaseId);
  const connections = (await deps.stores.connections.listForRelease(input.releaseId)).filter(
    (c) => c.userId === input.userId,
  );
  for (const connection of connections) {
    const access = release
      ? await resolveAccess(
          deps.stores,
          { sub: connection.userId, groups: connection.groups },
          input.releaseId,
          release.status,
        )
      : null;
    if (!access?.canRead) {
      await sendControl(deps, connection.connectionId, {
        type: 'revoked',
        message: 'Your access to this release was removed',
      });
      await deps.stores.connections.delete(input.releaseId, connection.connectionId);
      await deps.messenger.close(connection.connectionId);
      continue;
    }
    // Label staff without a grant of their own edit as an editor would.
    const role: ReleaseRole = access.role ?? (access.ability.can('update', 'Release') ? 'editor' : 'viewer');
    await deps.stores.connections.setRole(input.releaseId, connection.connectionId, role);
    await sendControl(deps, connection.connectionId, {
      type: 'role-changed',
      role,
      message: `Your role is now ${role}`,
    });
  }
}
