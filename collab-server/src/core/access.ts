import { type AppAbility, asRelease, defineAbilityFor, type ReleaseRole } from '@patchline/permissions';
import type { ReleaseStatus } from '@patchline/shared';
import type { Stores } from '../store/create-stores.js';

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
