import { type ReleaseStatus, readReleaseFields } from '@patchline/shared';
import type * as Y from 'yjs';
import { type AppAbility, asRelease } from './app-ability.js';
import { inspectUpdate } from './fields-touched-by.js';
import { UpdateDecodeError } from './update-errors.js';
import { shapeViolations } from './update-shape.js';

export const RejectReason = {
  readOnly: 'read-only',
  forbiddenField: 'forbidden-field',
  invalidValue: 'invalid-value',
  undecodable: 'undecodable-update',
  missingDependencies: 'missing-dependencies',
} as const;
export type RejectReason = (typeof RejectReason)[keyof typeof RejectReason];

export type UpdateVerdict =
  | {
      allowed: true;
      paths: string[] /** False for an update that adds nothing new (a re-send). */;
      isWrite: boolean;
    }
  | { allowed: false; reason: RejectReason; paths: string[]; message: string };

/**
 * Decides whether `update` may be applied to release `releaseId` whose stored state is `doc`:
 * allowed only if the caller may update every field it touches (AB20), in the document's
 * current status, and every touched value keeps the layout's shape. Never modifies `doc`.
 */
export function authorizeUpdate(
  ability: AppAbility,
  doc: Y.Doc,
  update: Uint8Array,
  releaseId: string,
): UpdateVerdict {
  let inspection: ReturnType<typeof inspectUpdate>;
  try {
    inspection = inspectUpdate(doc, update);
  } catch (error) {
    if (!(error instanceof UpdateDecodeError)) throw error;
    return { allowed: false, reason: error.reason, paths: [], message: error.message };
  }
  const { paths, isWrite, result } = inspection;
  return judgeChange(ability, releaseId, readReleaseFields(doc).status, {
    paths,
    isWrite,
    invalid: shapeViolations(result, paths),
  });
}

/** What a change is, for judging it: its paths, whether it writes, its invalid paths. */
export interface ChangeSummary {
  paths: string[];
  isWrite: boolean;
  invalid: string[];
}

/**
 * The verdict on a change of release `releaseId` in status `status` (the status before the
 * change): read-only if the caller cannot update the release now and the change writes,
 * `forbidden-field` for paths the caller may not update (AB20), then `invalid-value`. The rules
 * of `authorizeUpdate`, for any way of finding the change.
 */
export function judgeChange(
  ability: AppAbility,
  releaseId: string,
  status: ReleaseStatus,
  { paths, isWrite, invalid }: ChangeSummary,
): UpdateVerdict {
  const release = asRelease({ id: releaseId, status });
  if (isWrite && !ability.can('update', release)) {
    const rule = ability.relevantRuleFor('update', release);
    return {
      allowed: false,
      reason: RejectReason.readOnly,
      paths,
      message: rule?.reason ?? 'You cannot edit this release now',
    };
  }
  const forbidden = paths.filter((path) => !ability.can('update', release, path));
  if (forbidden.length > 0) {
    const reasons = forbidden
      .map((path) => ability.relevantRuleFor('update', release, path)?.reason)
      .filter(Boolean);
    return {
      allowed: false,
      reason: RejectReason.forbiddenField,
      paths: forbidden,
      message: reasons[0] ?? `You may not change ${forbidden.join(', ')}`,
    };
  }
  if (invalid.length > 0) {
    return {
      allowed: false,
      reason: RejectReason.invalidValue,
      paths: invalid,
      message: `Invalid value for ${invalid.join(', ')}`,
    };
  }
  return { allowed: true, paths, isWrite };
}
