import {
  type AppAbility,
  asAuditLog,
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

/**
 * What the history panel offers (permissions/SPEC.md, as the history API enforces it): saving a
 * version takes the right to edit the release in some status; restoring, an editable status
 * (the API judges each restored field like any edit); a copy, ownership or a label group; the
 * activity feed, the right to read the audit log.
 */
export function historyAccess(
  ability: AppAbility,
  release: { releaseId: string; role: ReleaseRole | null },
  user: Pick<SessionUser, 'groups'>,
  current: { isReadOnly: boolean; readOnlyReason: string | null; canEdit(path: string): boolean },
) {
  const { releaseId } = release;
  const mayEdit = ability.can('update', asRelease({ id: releaseId, status: 'draft' }));
  return {
    // A version changes nothing in the sheet: the status does not matter, only the role.
    canSaveVersion: mayEdit && current.readOnlyReason !== 'revoked',
    canRestore: !current.isReadOnly,
    canEdit: current.canEdit,
    canCopy:
      release.role === 'owner' || user.groups.some((group) => group === 'managers' || group === 'admins'),
    canReadActivity: ability.can('read', asAuditLog({ releaseId })),
  };
}
