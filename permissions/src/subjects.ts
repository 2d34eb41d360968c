import type { ReleaseStatus } from '@patchline/shared';
import type { ReleaseRole, ShareableRole } from './roles.js';

/** A release as permission checks see it: which one, and where it is in the workflow. */
export interface ReleaseSubject {
  id: string;
  status: ReleaseStatus;
}

/** A role someone gives, changes or takes away on a release. */
export interface GrantSubject {
  releaseId: string;
  role: ReleaseRole;
}

/** A share link on a release, offering `role` to whoever redeems it. */
export interface ShareLinkSubject {
  releaseId: string;
  role: ShareableRole;
}

export interface AuditLogSubject {
  releaseId: string;
}

export const SUBJECTS = ['Release', 'Grant', 'ShareLink', 'AuditLog', 'LabelGroup', 'all'] as const;
export type SubjectName = (typeof SUBJECTS)[number];
