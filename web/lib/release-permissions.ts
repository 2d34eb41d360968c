import {
  type AppAbility,
  asGrant,
  asRelease,
  asShareLink,
  defineAbilityFor,
  RELEASE_ROLES,
  type ReleaseRole,
  SHAREABLE_ROLES,
  type ShareableRole,
} from '@patchline/permissions';
import type { ReleaseStatus } from '@patchline/shared';
import type { SessionUser } from './session';

/** A release as the list and the share dialog know it. */
export interface ReleaseAccess {
  releaseId: string;
  status: ReleaseStatus;
  role: ReleaseRole | null;
}

/**
 * The same CASL ability the API enforces (permissions/SPEC.md), built in the browser from the signed-in
 * user's groups and their role on one release: the UI hides what the server would refuse.
 */
export function releaseAbility(
  user: Pick<SessionUser, 'sub' | 'groups'>,
  release: ReleaseAccess,
): AppAbility {
  return defineAbilityFor(
    { sub: user.sub, groups: user.groups },
    release.role ? [{ releaseId: release.releaseId, role: release.role }] : [],
  );
}

export function canDeleteRelease(ability: AppAbility, release: ReleaseAccess): boolean {
  return ability.can('delete', asRelease({ id: release.releaseId, status: release.status }));
}

/** Roles this user may offer through a share link (owners and label staff). */
export function shareableRoles(ability: AppAbility, releaseId: string): ShareableRole[] {
  return SHAREABLE_ROLES.filter((role) => ability.can('share', asShareLink({ releaseId, role })));
}

/** Roles this user may give, change or take away (owners: editor/viewer; label staff: any). */
export function grantableRoles(ability: AppAbility, releaseId: string): ReleaseRole[] {
  return RELEASE_ROLES.filter((role) => ability.can('grant', asGrant({ releaseId, role })));
}
