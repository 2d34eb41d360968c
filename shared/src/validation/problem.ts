export type Severity = 'error' | 'warning';

/**
 * One finding about a sheet. `path` names the field (`release.upc`, `tracks.<trackId>.isrc`)
 * so an editor can put the message beside it and jump to it from a list.
 */
export interface Problem {
  path: string;
  severity: Severity;
  code: ProblemCode;
  message: string;
}

/** Stable codes: the UI and tests key on these, never on message text. */
export const ProblemCode = {
  required: 'required',
  invalidFormat: 'invalid-format',
  invalidCheckDigit: 'invalid-check-digit',
  invalidDate: 'invalid-date',
  preorderAfterRelease: 'preorder-after-release',
  originalAfterRelease: 'original-after-release',
  invalidDuration: 'invalid-duration',
  durationNotPositive: 'duration-not-positive',
  splitsNotHundred: 'splits-not-100',
  splitShareOutOfRange: 'split-share-out-of-range',
  duplicateIsrc: 'duplicate-isrc',
  unknownTerritory: 'unknown-territory',
  worldwideWithCountries: 'worldwide-with-countries',
  unknownLanguage: 'unknown-language',
  noTracks: 'no-tracks',
  unknownIsrcPrefix: 'unknown-isrc-prefix',
  featuringInTitle: 'featuring-in-title',
  yearMissingInLine: 'year-missing-in-line',
} as const;
export type ProblemCode = (typeof ProblemCode)[keyof typeof ProblemCode];
