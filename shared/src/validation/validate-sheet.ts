import type { ReleaseSheet } from '../domain/release-sheet.js';
import type { Problem } from './problem.js';
import { checkRelease } from './release-rules.js';
import { checkTracks } from './track-rules.js';

/**
 * Every problem of a sheet, errors and warnings, in field order. Pure and synchronous, so the
 * editor runs it on each change and the server runs the same code before a status change.
 */
export function validateSheet(sheet: ReleaseSheet): Problem[] {
  return [...checkRelease(sheet.release), ...checkTracks(sheet.tracks)];
}

export interface DeliveryReadiness {
  isReady: boolean;
  /** Errors: each one blocks submitting for review. */
  blocking: Problem[];
  /** Warnings: worth fixing, but they do not block. */
  warnings: Problem[];
}

/** What stands between this sheet and submission for review. */
export function deliveryReadiness(sheet: ReleaseSheet): DeliveryReadiness {
  const problems = validateSheet(sheet);
  const blocking = problems.filter((p) => p.severity === 'error');
  return {
    isReady: blocking.length === 0,
    blocking,
    warnings: problems.filter((p) => p.severity === 'warning'),
  };
}
