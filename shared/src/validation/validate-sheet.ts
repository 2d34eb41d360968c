import type { ReleaseSheet } from '../domain/release-sheet.js';
import { type LabelFindings, labelWideProblems } from './label-rules.js';
import type { Problem } from './problem.js';
import { checkProduct } from './product-rules.js';
import { checkRelease } from './release-rules.js';
import { checkTracks } from './track-rules.js';

export interface ValidationOptions {
  /** Today as `YYYY-MM-DD` (UTC unless given), for the lead-time rules; tests pin it. */
  today?: string;
}

/** `YYYY-MM-DD` of an instant, in UTC. */
export const isoDay = (epochMs: number) => new Date(epochMs).toISOString().slice(0, 10);

/**
 * Every problem of a sheet found from the sheet alone, blocking and warnings, release fields first.
 * Pure and synchronous, so the editor runs it on each change and the server runs the same code
 * before a status change. The label-wide rules need the server (`labelWideProblems`).
 */
export function validateSheet(sheet: ReleaseSheet, options: ValidationOptions = {}): Problem[] {
  const today = options.today ?? isoDay(Date.now());
  return [
    ...checkRelease(sheet.release, sheet.tracks, today),
    ...checkProduct(sheet.release, sheet.tracks),
    ...checkTracks(sheet.tracks, sheet.release),
  ];
}

export interface DeliveryReadiness {
  isReady: boolean;
  /** Each one blocks submitting for review. */
  blocking: Problem[];
  /** Worth fixing, but they do not block. */
  warnings: Problem[];
}

/** Splits problems into what blocks submission and what does not. */
export function readinessOf(problems: readonly Problem[]): DeliveryReadiness {
  const blocking = problems.filter((p) => p.severity === 'blocking');
  return {
    isReady: blocking.length === 0,
    blocking,
    warnings: problems.filter((p) => p.severity === 'warning'),
  };
}

/**
 * What stands between this sheet and submission for review: the sheet's own problems and, when
 * the server looked them up, those across the label's releases.
 */
export function deliveryReadiness(
  sheet: ReleaseSheet,
  options: ValidationOptions & { label?: LabelFindings } = {},
): DeliveryReadiness {
  return readinessOf([
    ...validateSheet(sheet, options),
    ...(options.label ? labelWideProblems(sheet, options.label) : []),
  ]);
}
