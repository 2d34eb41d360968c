import { RELEASE_ROLES, type ReleaseRole } from '@patchline/shared';

// The roles themselves are part of the REST contract (shared/src/api), so they live in shared.
export { RELEASE_ROLES, type ReleaseRole, SHAREABLE_ROLES, type ShareableRole } from '@patchline/shared';

/** Label-wide Cognito groups (`cognito:groups` in the ID token). */
export const COGNITO_GROUPS = ['admins', 'managers'] as const;
export type CognitoGroup = (typeof COGNITO_GROUPS)[number];

/** Roles an owner may grant; managers and admins may grant any role. */
export const OWNER_GRANTABLE_ROLES = ['editor', 'viewer'] as const satisfies readonly ReleaseRole[];

export const isReleaseRole = (value: unknown): value is ReleaseRole =>
  typeof value === 'string' && (RELEASE_ROLES as readonly string[]).includes(value);

export const isCognitoGroup = (value: unknown): value is CognitoGroup =>
  typeof value === 'string' && (COGNITO_GROUPS as readonly string[]).includes(value);

/** The strongest of several roles (a user may hold a direct grant and a link grant). */
export function strongestRole(roles: Iterable<ReleaseRole>): ReleaseRole | null {
  let best: ReleaseRole | null = null;
  for (const role of roles) {
    if (best === null || RELEASE_ROLES.indexOf(role) < RELEASE_ROLES.indexOf(best)) best = role;
  }
  return best;
}
