/** `blocking` stops submission for review (and so delivery); a `warning` is worth fixing but does not. */
export type Severity = 'blocking' | 'warning';

/** A value a scalar field of the sheet can hold (release and track scalars, territories). */
export type FieldValue = string | boolean | null | readonly string[];

/**
 * One field set by a fix: `path` is a field path (`release.title`, `tracks.<id>.artists`), `from`
 * the value the fix was computed from and `to` the value it writes. A fix applies only while
 * every field still holds its `from` (someone may have typed meanwhile).
 */
export interface FieldEdit {
  path: string;
  from: FieldValue;
  to: FieldValue;
}

/**
 * A one-click fix, as data: the web app applies it as a normal edit of the person (which the
 * server authorizes like any other), and server code can apply it through the release's room.
 * `applyFix` (fixes.ts) is the one interpreter.
 */
export interface Fix {
  id: FixId;
  /** What the button says: "Use title case", "Move “feat. Ana” to the artist field". */
  label: string;
  edits: FieldEdit[];
}

/**
 * One finding about a sheet. `path` names the field (`release.upc`, `tracks.<trackId>.isrc`) so an
 * editor can put the message beside it and jump to it from a list.
 */
export interface Problem {
  path: string;
  severity: Severity;
  code: ProblemCode;
  message: string;
  fix?: Fix;
  /**
   * For findings judged against data outside the sheet (other releases of the label): the field
   * value they are about. Once the field holds another value the finding no longer applies.
   */
  value?: string;
}

/** Stable codes: the UI and tests key on these, never on message text. docs/DELIVERY-CHECKS.md lists them. */
export const ProblemCode = {
  required: 'required',
  invalidFormat: 'invalid-format',
  invalidCheckDigit: 'invalid-check-digit',
  invalidDate: 'invalid-date',
  preorderNotBeforeRelease: 'preorder-not-before-release',
  originalAfterRelease: 'original-after-release',
  releaseDatePassed: 'release-date-passed',
  shortLeadTime: 'short-lead-time',
  invalidDuration: 'invalid-duration',
  durationNotPositive: 'duration-not-positive',
  trackTooShort: 'track-too-short',
  splitsNotHundred: 'splits-not-100',
  splitShareOutOfRange: 'split-share-out-of-range',
  duplicateIsrc: 'duplicate-isrc',
  unknownTerritory: 'unknown-territory',
  worldwideWithCountries: 'worldwide-with-countries',
  unknownLanguage: 'unknown-language',
  noTracks: 'no-tracks',
  unknownIsrcPrefix: 'unknown-isrc-prefix',
  yearMissingInLine: 'year-missing-in-line',
  symbolInLine: 'symbol-in-line',
  // Titles and artists
  featuringInTitle: 'featuring-in-title',
  featuringFormat: 'featuring-format',
  artistInTitle: 'artist-in-title',
  allCaps: 'all-caps',
  allLowercase: 'all-lowercase',
  titleCase: 'title-case',
  partVolumeAbbreviation: 'part-volume-abbreviation',
  versionInTitle: 'version-in-title',
  originalVersionText: 'original-version-text',
  remixWithoutRemixer: 'remix-without-remixer',
  bannedWord: 'banned-word',
  promotionalText: 'promotional-text',
  emoji: 'emoji',
  censoredWord: 'censored-word',
  duplicateTrackTitle: 'duplicate-track-title',
  singleTitleMismatch: 'single-title-mismatch',
  // Product
  releaseTypeMismatch: 'release-type-mismatch',
  variousArtistsExpected: 'various-artists-expected',
  variousArtistsOnTrack: 'various-artists-on-track',
  explicitTrackOnCleanRelease: 'explicit-track-on-clean-release',
  explicitReleaseWithoutExplicitTrack: 'explicit-release-without-explicit-track',
  instrumentalLanguage: 'instrumental-language',
  duplicateContributor: 'duplicate-contributor',
  noWriterCredit: 'no-writer-credit',
  // Across the label's releases (checked by the server)
  isrcOnOtherRelease: 'isrc-on-other-release',
  isrcOtherRecording: 'isrc-other-recording',
  upcOnOtherRelease: 'upc-on-other-release',
} as const;
export type ProblemCode = (typeof ProblemCode)[keyof typeof ProblemCode];

/** Stable ids of one-click fixes (what a fix does, whatever field it is offered on). */
export const FixId = {
  titleCase: 'title-case',
  moveFeaturing: 'move-featuring',
  useFeatAbbreviation: 'use-feat',
  removeArtistFromTitle: 'remove-artist-from-title',
  abbreviatePartVolume: 'abbreviate-part-volume',
  moveVersion: 'move-version',
  removeText: 'remove-text',
  normalizeIsrc: 'normalize-isrc',
  normalizeUpc: 'normalize-upc',
  removeLineSymbol: 'remove-line-symbol',
  setReleaseType: 'set-release-type',
  useVariousArtists: 'use-various-artists',
  markReleaseExplicit: 'mark-release-explicit',
  markReleaseNotExplicit: 'mark-release-not-explicit',
  setInstrumentalLanguage: 'set-instrumental-language',
  useTrackTitle: 'use-track-title',
} as const;
export type FixId = (typeof FixId)[keyof typeof FixId];

export const blocking = (path: string, code: ProblemCode, message: string, fix?: Fix): Problem =>
  fix ? { path, severity: 'blocking', code, message, fix } : { path, severity: 'blocking', code, message };

export const warning = (path: string, code: ProblemCode, message: string, fix?: Fix): Problem =>
  fix ? { path, severity: 'warning', code, message, fix } : { path, severity: 'warning', code, message };

/** A fix that sets one field from `from` to `to`. */
export const setField = (id: FixId, label: string, path: string, from: FieldValue, to: FieldValue): Fix => ({
  id,
  label,
  edits: [{ path, from, to }],
});
