import type { ReleaseRole } from '@patchline/permissions';
import { resolveAccess } from './access.js';
import type { CollabDeps } from './collab-deps.js';
import { REVOKED_MESSAGE } from './handle-connect.js';
import { endConnection } from './handle-disconnect.js';
import { sendControl } from './send.js';

/**
 * Tells a user's open connections on a release that their access changed. Call it after the
 * change is written (the grant put or deleted): the connections are listed here, consistently,
 * after that write, and a `$connect` records itself before it reads access (handle-connect.ts),
 * so no connection escapes both. With access left: a `role-changed` message (enforcement already
 * follows from the grant re-read on every message). Without: `revoked`, then the connection is
 * forgotten (which bumps the release's connection-list version, so no handler's cached list
 * reaches it with a later update or presence) and closed.
 */
export async function applyAccessChange(
  deps: CollabDeps,
  input: { releaseId: string; userId: string },
): Promise<void> {
  const [release, listed] = await Promise.all([
    deps.stores.releases.get(input.releaseId),
    deps.stores.connections.listForRelease(input.releaseId),
  ]);
  const connections = listed.filter((c) => c.userId === input.userId);
  await Promise.all(
    connections.map(async (connection) => {
      const access = release
        ? await resolveAccess(
            deps.stores,
            { sub: connection.userId, groups: connection.groups },
            input.releaseId,
            release.status,
          )
        : null;
      if (!access?.canRead) {
        await endConnection(deps, connection, { type: 'revoked', message: REVOKED_MESSAGE });
        return;
      }
      // Label staff without a grant of their own edit as an editor would.
      const role: ReleaseRole =
        access.role ?? (access.ability.can('update', 'Release') ? 'editor' : 'viewer');
      await deps.stores.connections.setRole(input.releaseId, connection.connectionId, role);
      await sendControl(deps, connection.connectionId, {
        type: 'role-changed',
        role,
        message: `Your role is now ${role}`,
      });
    }),
  );
}

/**
 * `applyAccessChange` on every release the user has an open connection on (for a change that is
 * not about one release, such as the user's label groups). Call it after the change is written.
 */
export async function applyAccessChangeForUser(deps: CollabDeps, userId: string): Promise<void> {
  const releaseIds = new Set(
    (await deps.stores.connections.listForUser(userId)).map((connection) => connection.releaseId),
  );
  await Promise.all([...releaseIds].map((releaseId) => applyAccessChange(deps, { releaseId, userId })));
}
