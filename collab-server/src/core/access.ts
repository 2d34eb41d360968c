import { type AppAbility, asRelease, defineAbilityFor, type ReleaseRole } from '@patchline/permissions';
import { type ReleaseStatus, readReleaseStatus } from '@patchline/shared';
import type * as Y from 'yjs';
import type { ConnectionRecord } from '../store/connection-store.js';
import type { Stores } from '../store/create-stores.js';
import type { CollabDeps } from './collab-deps.js';
import { sendControl } from './send.js';

export interface Access {
  ability: AppAbility;
  role: ReleaseRole | null;
  canRead: boolean;
}

/**
 * The caller's ability on one release, from their groups and their grant read fresh from
 * DynamoDB, so a role change or revocation applies to the very next message.
 */
export async function resolveAccess(
  stores: Stores,
  identity: { sub: string; groups: readonly string[] },
  releaseId: string,
  status: ReleaseStatus,
): Promise<Access> {
  return accessFromGrant(identity, releaseId, status, await stores.grants.get(releaseId, identity.sub));
}

/** The same, from a grant the caller already read (so it can be read alongside other items). */
export function accessFromGrant(
  identity: { sub: string; groups: readonly string[] },
  releaseId: string,
  status: ReleaseStatus,
  grant: { role: ReleaseRole } | null,
): Access {
  const ability = defineAbilityFor(identity, grant ? [{ releaseId, role: grant.role }] : []);
  return {
    ability,
    role: grant?.role ?? null,
    canRead: ability.can('read', asRelease({ id: releaseId, status })),
  };
}

/**
 * A connection's access now, from its grant read with the document (`doc` gives the status).
 * When it may no longer read the release (a revocation it outlived), it is told, forgotten and
 * closed, and the answer is null: it gets neither the document nor a say in it.
 */
export async function accessOrRevoke(
  deps: CollabDeps,
  connection: ConnectionRecord,
  doc: Y.Doc,
  grant: { role: ReleaseRole } | null,
): Promise<Access | null> {
  const { releaseId, connectionId } = connection;
  const status = readReleaseStatus(doc);
  const access = accessFromGrant(
    { sub: connection.userId, groups: connection.groups },
    releaseId,
    status,
    grant,
  );
  if (access.canRead) return access;
  await sendControl(deps, connectionId, {
    type: 'revoked',
    message: 'Your access to this release was removed',
  });
  await deps.stores.connections.delete(releaseId, connectionId);
  await deps.messenger.close(connectionId);
  return null;
}
