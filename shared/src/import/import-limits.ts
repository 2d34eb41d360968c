/**
 * What one import may hold (docs/IMPORT.md, "Limits"). A file over any of them is refused whole,
 * before anything is read into a release.
 */
export const IMPORT_LIMITS = {
  /** Bytes of the uploaded file (.csv, .xlsx or .xml). */
  maxFileBytes: 2 * 1024 * 1024,
  /** Data rows (one per track), not counting the header. */
  maxRows: 2000,
  maxColumns: 100,
  /** Characters a cell may hold before parsing stops (a field holds at most 1,000). */
  maxCellChars: 10_000,
  /** An .xlsx is a zip: the bytes all its parts may inflate to (a zip bomb stops here). */
  maxUnzippedBytes: 32 * 1024 * 1024,
  maxZipEntries: 500,
} as const;

export const ImportErrorReason = {
  wrongType: 'wrong-type',
  tooLarge: 'too-large',
  noHeader: 'no-header',
  noRows: 'no-rows',
  unreadable: 'unreadable',
  notDdex: 'not-ddex',
  badMapping: 'bad-mapping',
} as const;
export type ImportErrorReason = (typeof ImportErrorReason)[keyof typeof ImportErrorReason];

/** A file the import refuses as a whole, with a message a person understands. */
export class ImportError extends Error {
  constructor(
    readonly reason: ImportErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'ImportError';
  }
}
