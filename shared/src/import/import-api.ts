import type { ImportField } from './import-fields.js';
import type { ImportPlan } from './plan-import.js';
import type { CellProblem } from './read-table.js';

/** What an uploaded file turned out to be, by its content. */
export type ImportFormat = 'csv' | 'xlsx' | 'ddex';

/** One column of an uploaded spreadsheet in a preview (`POST /imports/preview`). */
export interface ImportColumn {
  index: number;
  header: string;
  /** The field it is imported into (the person's choice, else the detected one), or null. */
  field: ImportField | null;
  /** What the header names by itself. */
  detected: ImportField | null;
}

/** What an import would do, before anything is written (docs/IMPORT.md, "Preview"). */
export interface ImportPreview {
  format: ImportFormat;
  columns: ImportColumn[];
  /** Headers of the columns that are not imported. */
  unmappedColumns: string[];
  rowCount: number;
  problems: CellProblem[];
  plan: ImportPlan;
  /** Why applying it would be refused (a field the caller's role may not write, a locked status). */
  refusal: { message: string; paths: string[] } | null;
}

/** What an applied import did (`POST /releases/import`, `POST /releases/:id/import`). */
export interface ImportResult {
  releaseId: string;
  plan: ImportPlan;
  problems: CellProblem[];
  /**
   * Into an existing release: the version kept just before the import and the paths it wrote, so
   * its author can take it back (`POST /releases/:id/versions/:versionId/restore { paths }`).
   */
  undo: { versionId: string; paths: string[] } | null;
}
