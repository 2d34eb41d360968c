/** Per-release roles, strongest first (permissions/SPEC.md). */
export const RELEASE_ROLES = ['owner', 'editor', 'viewer'] as const;
export type ReleaseRole = (typeof RELEASE_ROLES)[number];

/** Roles a share link may offer: ownership is never handed out by link. */
export const SHAREABLE_ROLES = ['editor', 'viewer'] as const satisfies readonly ReleaseRole[];
export type ShareableRole = (typeof SHAREABLE_ROLES)[number];
