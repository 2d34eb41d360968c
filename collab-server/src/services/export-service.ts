import { asRelease } from '@patchline/permissions';
import {
  type CsvLayoutId,
  DdexExportRefused,
  DISTRIBUTOR_LAYOUTS,
  distributorRows,
  exportErn43,
  RELEASE_FIELDS,
  type ReleaseSheet,
  randomId,
  readSheet,
  TRACK_SCALAR_FIELDS,
} from '@patchline/shared';
import type { ApiDeps, Caller } from './api-deps.js';
import { versionSheet } from './history-service.js';
import { accessRelease } from './release-access.js';
import { forbidden, notFound, ServiceError, ServiceErrorReason } from './service-error.js';

/** Refuses whoever may not export the release: 404 when they may not read it, else 403. */
export async function requireExport(deps: ApiDeps, caller: Caller, releaseId: string): Promise<void> {
  const access = await accessRelease(deps, caller, releaseId);
  if (!access.ability.can('export', asRelease({ id: releaseId, status: access.release.status })))
    throw forbidden('You cannot export');
}

/** The current sheet, or the sheet of version `versionId` (README.md, "Version history"). */
export async function exportSheet(
  deps: ApiDeps,
  caller: Caller,
  releaseId: string,
  versionId?: string,
): Promise<ReleaseSheet> {
  await requireExport(deps, caller, releaseId);
  if (versionId !== undefined) return versionSheet(deps, releaseId, versionId);
  const loaded = await deps.stores.documents.load(releaseId);
  if (!loaded) throw notFound();
  return readSheet(loaded.doc);
}

// Column order follows the document layout, so a new field shows up in exports by itself.
const RELEASE_COLUMNS = RELEASE_FIELDS;
const TRACK_COLUMNS = TRACK_SCALAR_FIELDS;

/**
 * Where a spreadsheet starts a formula (OWASP, "CSV Injection"): `=`, `+`, `-`, `@`, tab or CR
 * at the start of a cell, even behind spaces or newlines. A cell also starts after a `,` or `;`
 * inside a field, for a reader whose locale separates with `;`, or that splits text into
 * columns. Tabs and CRs are themselves triggers, so they are not skipped as whitespace.
 */
const FORMULA_START = /(^|[,;])([^\S\t\r]*)(?=[=+\-@\t\r])/g;

/**
 * One CSV field, neutralised as OWASP advises: a `'` before every formula start makes the
 * spreadsheet read the cell as text, and every field is quoted (RFC 4180, `"` doubled) so no
 * `,`, `;`, quote or line break inside it can open another cell, whatever separator the reader
 * uses.
 *
 * Nothing legitimate is a formula: the export has no signed numeric column (`track.number` is
 * generated, split shares are 0–100 inside the splits text, durations are ISO 8601 `PT3M41S`, dates
 * `YYYY-MM-DD`), so a leading `-` is always typed text and keeps its `'`.
 */
function cell(value: unknown): string {
  const text = Array.isArray(value)
    ? value.join(' ')
    : value === null || value === undefined
      ? ''
      : String(value);
  return `"${text.replace(FORMULA_START, "$1$2'").replace(/"/g, '""')}"`;
}

/** Rows of cells as CSV text: every cell neutralised by `cell`, CRLF line ends (RFC 4180). */
function toCsv(rows: readonly (readonly unknown[])[]): string {
  return `${rows.map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
}

/**
 * One row per track with the release's fields repeated, as distributors' upload sheets have it:
 * our own layout (`release.<field>`, `track.<field>` headers) or a distributor's
 * (`DISTRIBUTOR_LAYOUTS`, docs/DELIVERY.md "Distributor CSV").
 */
export function sheetToCsv(sheet: ReleaseSheet, layout: CsvLayoutId = 'patchline'): string {
  if (layout !== 'patchline') return toCsv(distributorRows(DISTRIBUTOR_LAYOUTS[layout], sheet));
  const header = [
    ...RELEASE_COLUMNS.map((c) => `release.${c}`),
    'track.number',
    ...TRACK_COLUMNS.map((c) => `track.${c}`),
    'track.credits',
    'track.splits',
  ];
  const rows = (sheet.tracks.length ? sheet.tracks : [null]).map((track, i) => [
    ...RELEASE_COLUMNS.map((c) => sheet.release[c]),
    track ? i + 1 : '',
    ...TRACK_COLUMNS.map((c) => track?.[c]),
    track?.credits.map((credit) => `${credit.name} (${credit.role})`).join('; '),
    track?.splits.map((split) => `${split.party} ${split.role} ${split.share}%`).join('; '),
  ]);
  return toCsv([header, ...rows]);
}

/**
 * `sheet` as a DDEX ERN 4.3 `NewReleaseMessage` from the label's sender to its recipient
 * (docs/DELIVERY.md), with a fresh message id; throws `DdexExportRefused` when not ready.
 */
export function ddexMessageOf(deps: ApiDeps, releaseId: string, sheet: ReleaseSheet): string {
  return exportErn43(sheet, deps.ddex, {
    releaseId,
    messageId: `${releaseId}-${randomId(12)}`,
    createdAt: new Date(deps.now()),
  });
}

/**
 * The current sheet as a DDEX message, for whoever may export. A sheet that is not ready answers
 * `not-ready` with the blocking problems, as submitting does; nothing is stored.
 */
export async function exportDdex(
  deps: ApiDeps,
  caller: Caller,
  releaseId: string,
  versionId?: string,
): Promise<string> {
  const sheet = await exportSheet(deps, caller, releaseId, versionId);
  try {
    return ddexMessageOf(deps, releaseId, sheet);
  } catch (error) {
    if (!(error instanceof DdexExportRefused)) throw error;
    throw new ServiceError(
      ServiceErrorReason.notReady,
      'Fix the blocking problems before exporting DDEX',
      error.problems,
    );
  }
}
