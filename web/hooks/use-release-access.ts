'use client';

import {
  type AppAbility,
  asRelease,
  defineAbilityFor,
  LABEL_CONTROLLED_FIELDS,
  type ReleaseRole,
} from '@patchline/permissions';
import {
  canTransition,
  fieldPath,
  type ReleaseStatus,
  STATUS_TRANSITION_NAMES,
  type StatusTransition,
} from '@patchline/shared';
import { useMemo } from 'react';

export interface ReleaseAccessInput {
  releaseId: string;
  user: { sub: string; groups: readonly string[] } | null;
  /** The caller's role from `GET /releases/:id` (null for label staff without a grant). */
  role: ReleaseRole | null;
  /** From the document, so a status change shows at once. */
  status: ReleaseStatus;
  isRevoked: boolean;
}

export type ReadOnlyReason = 'revoked' | 'viewer' | 'locked' | null;

export interface ReleaseAccess {
  ability: AppAbility;
  /** Nothing in the sheet can be changed by this user now. */
  isReadOnly: boolean;
  readOnlyReason: ReadOnlyReason;
  /** Whether this user may change the field at `path` in the current status. */
  canEdit: (path: string) => boolean;
  /** Label-controlled fields this user sees but may not change while the sheet is editable. */
  isLabelField: (path: string) => boolean;
  /** Workflow transitions this user may perform from the current status. */
  transitions: StatusTransition[];
}

const LABEL_PATHS = new Set<string>(LABEL_CONTROLLED_FIELDS.map((field) => fieldPath.release(field)));

/**
 * The same CASL ability the server enforces, built in the browser from the session's groups and
 * the role the API reports: the UI disables what the server would refuse (permissions/SPEC.md).
 */
export function useReleaseAccess(input: ReleaseAccessInput): ReleaseAccess {
  const { releaseId, user, role, status, isRevoked } = input;
  const sub = user?.sub ?? '';
  const groupsKey = user?.groups.join(',') ?? '';
  return useMemo(
    () =>
      computeReleaseAccess({
        releaseId,
        user: { sub, groups: groupsKey ? groupsKey.split(',') : [] },
        role,
        status,
        isRevoked,
      }),
    [releaseId, sub, groupsKey, role, status, isRevoked],
  );
}

/** `useReleaseAccess` without React, for tests and non-component code. */
export function computeReleaseAccess(input: ReleaseAccessInput): ReleaseAccess {
  const { releaseId, user, role, status, isRevoked } = input;
  const ability = defineAbilityFor(
    { sub: user?.sub ?? '', groups: user?.groups ?? [] },
    role ? [{ releaseId, role }] : [],
  );
  const subject = asRelease({ id: releaseId, status });
  const canEdit = (path: string) => !isRevoked && ability.can('update', subject, path);
  const canEditAnything = canEdit(fieldPath.release('title')) || canEdit(fieldPath.notes);
  let readOnlyReason: ReadOnlyReason = null;
  if (isRevoked) readOnlyReason = 'revoked';
  else if (!canEditAnything) {
    // A viewer sees the viewer banner whatever the status; others see why the sheet is locked.
    const couldEverEdit = ability.can(
      'update',
      asRelease({ id: releaseId, status: 'draft' }),
      'release.title',
    );
    readOnlyReason = couldEverEdit ? 'locked' : 'viewer';
  }
  return {
    ability,
    isReadOnly: readOnlyReason !== null,
    readOnlyReason,
    canEdit,
    isLabelField: (path: string) => LABEL_PATHS.has(path),
    transitions: isRevoked
      ? []
      : STATUS_TRANSITION_NAMES.filter(
          (transition) => canTransition(status, transition) && ability.can(transition, subject),
        ),
  };
}
