import { type AppAbility, asRelease, defineAbilityFor, type ReleaseRole } from '@patchline/permissions';
import { type ReleaseStatus, readReleaseStatus } from '@patchline/shared';
import type * as Y from 'yjs';
import { AuthError, AuthErrorReason } from '../auth/auth-error.js';
import type { VerifiedIdentity } from '../auth/id-token-verifier.js';
import type { ConnectionRecord } from '../store/connection-store.js';
import type { Stores } from '../store/create-stores.js';
import { effectiveGroups, type LabelGroupRecord } from '../store/label-group-store.js';
import type { CollabDeps } from './collab-deps.js';
import { REVOKED_MESSAGE } from './handle-connect.js';
import { endConnection } from './handle-disconnect.js';

export interface Access {
  ability: AppAbility;
  role: ReleaseRole | null;
  canRead: boolean;
}

/**
 * A verified ID token's holder as they stand now: with the label groups an admin last set for
 * them (README.md, "Security model"), not those the token was issued with. A token issued
 * before they were last signed out by such a change is refused.
 */
export async function currentIdentity<T extends VerifiedIdentity>(stores: Stores, identity: T): Promise<T> {
  const record = await stores.labelGroups.get(identity.sub);
  if (record && identity.issuedAt < record.tokensValidFrom)
    throw new AuthError(AuthErrorReason.expiredToken, 'Your access changed; sign in again');
  return { ...identity, groups: effectiveGroups(identity, record) };
}

/**
 * The caller's ability on one release, from their label groups and their grant read fresh from
 * DynamoDB, so a role change, a demotion or a revocation applies to the very next message.
 */
export async function resolveAccess(
  stores: Stores,
  identity: { sub: string; groups: readonly string[] },
  releaseId: string,
  status: ReleaseStatus,
): Promise<Access> {
  const [grant, record] = await Promise.all([
    stores.grants.get(releaseId, identity.sub),
    stores.labelGroups.get(identity.sub),
  ]);
  return accessFromGrant(
    { sub: identity.sub, groups: effectiveGroups(identity, record) },
    releaseId,
    status,
    grant,
  );
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
 * A connection's access now, from its grant and label groups read with the document (`doc`
 * gives the status).
 * When it may no longer read the release (a revocation it outlived), it is told, forgotten and
 * closed, and the answer is null: it gets neither the document nor a say in it.
 */
export async function accessOrRevoke(
  deps: CollabDeps,
  connection: ConnectionRecord,
  doc: Y.Doc,
  grant: { role: ReleaseRole } | null,
  labelGroups: LabelGroupRecord | null,
): Promise<Access | null> {
  const { releaseId } = connection;
  const status = readReleaseStatus(doc);
  const access = accessFromGrant(
    { sub: connection.userId, groups: effectiveGroups(connection, labelGroups) },
    releaseId,
    status,
    grant,
  );
  if (access.canRead) return access;
  await endConnection(deps, connection, { type: 'revoked', message: REVOKED_MESSAGE });
  return null;
}
