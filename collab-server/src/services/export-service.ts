import { asRelease } from '@patchline/permissions';
import { RELEASE_FIELDS, type ReleaseSheet, readSheet, TRACK_SCALAR_FIELDS } from '@patchline/shared';
import type { ApiDeps, Caller } from './api-deps.js';
import { accessRelease } from './release-access.js';
import { forbidden, notFound } from './service-error.js';

export async function exportSheet(deps: ApiDeps, caller: Caller, releaseId: string): Promise<ReleaseSheet> {
  const access = await accessRelease(deps, caller, releaseId);
  if (!access.ability.can('export', asRelease({ id: releaseId, status: access.release.status })))
    throw forbidden('You cannot export');
  const loaded = await deps.stores.documents.load(releaseId);
  if (!loaded) throw notFound();
  return readSheet(loaded.doc);
}

// Column order follows the document layout, so a new field shows up in exports by itself.
const RELEASE_COLUMNS = RELEASE_FIELDS;
const TRACK_COLUMNS = TRACK_SCALAR_FIELDS;

/** RFC 4180 quoting, plus a leading quote for cells a spreadsheet would run as a formula. */
function cell(value: unknown): string {
  let text = Array.isArray(value)
    ? value.join(' ')
    : value === null || value === undefined
      ? ''
      : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One row per track with the release's fields repeated, as distributors' upload sheets have it. */
export function sheetToCsv(sheet: ReleaseSheet): string {
  const header = [
    ...RELEASE_COLUMNS.map((c) => `release.${c}`),
    'track.number',
    ...TRACK_COLUMNS.map((c) => `track.${c}`),
    'track.credits',
    'track.splits',
  ];
  const releaseCells = RELEASE_COLUMNS.map((c) => cell(sheet.release[c]));
  const rows = (sheet.tracks.length ? sheet.tracks : [null]).map((track, i) => [
    ...releaseCells,
    track ? String(i + 1) : '',
    ...TRACK_COLUMNS.map((c) => cell(track?.[c])),
    cell(track?.credits.map((credit) => `${credit.name} (${credit.role})`).join('; ')),
    cell(track?.splits.map((split) => `${split.party} ${split.role} ${split.share}%`).join('; ')),
  ]);
  return `${[header, ...rows].map((row) => row.join(',')).join('\r\n')}\r\n`;
}
