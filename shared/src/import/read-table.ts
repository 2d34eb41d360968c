import {
  type Credit,
  MAX_FIELD_LENGTH,
  RELEASE_TYPES,
  type ReleaseFields,
  type ReleaseType,
  type Split,
  type TrackScalarFields,
} from '../domain/release-sheet.js';
import { isIsoDate } from '../validators/iso-date.js';
import { durationFromInput, formatIsoDuration } from '../validators/iso-duration.js';
import { isValidIsrc, normalizeIsrc } from '../validators/isrc.js';
import { isValidIswc, normalizeIswc } from '../validators/iswc.js';
import { isValidLanguage } from '../validators/language.js';
import { isValidTerritory, WORLDWIDE } from '../validators/territory.js';
import { isValidUpc, normalizeUpc } from '../validators/upc.js';
import { type ColumnMapping, IMPORT_FIELD_LABELS, type ImportField } from './import-fields.js';

/**
 * A spreadsheet as the parsers hand it over: the header row and the data rows as text, each
 * with its row number in the file (the header's is 1 when it is the first line).
 */
export interface SheetTable {
  headers: string[];
  rows: string[][];
  rowNumbers: number[];
  /** Spreadsheet row number of the header row. */
  headerRow: number;
}

/** How bad a cell is: an `error` cell is not imported; a `warning` cell is, as it stands. */
export type CellSeverity = 'error' | 'warning';

/** One problem with one cell, shown before anything is written (docs/IMPORT.md, "Problems"). */
export interface CellProblem {
  /** Row number in the file (1 = first line). */
  row: number;
  /** Column index (0 = first column). */
  column: number;
  /** The column's header as written in the file. */
  header: string;
  field: ImportField | null;
  severity: CellSeverity;
  message: string;
}

export type ImportedCredit = Omit<Credit, 'id'>;
export type ImportedSplit = Omit<Split, 'id'>;

/** One track row: the fields its cells set (empty cells set nothing). */
export interface ImportedTrack {
  row: number;
  /** The track number the row gives, if any (its place in the release). */
  number: number | null;
  fields: Partial<TrackScalarFields>;
  /** Replaces the track's credits when the row has a credits cell. */
  credits: ImportedCredit[] | null;
  splits: ImportedSplit[] | null;
}

/** What a spreadsheet says about one release, before it is compared with one. */
export interface ImportedSheet {
  release: Partial<Omit<ReleaseFields, 'status'>>;
  tracks: ImportedTrack[];
  problems: CellProblem[];
}

type Converted<T> = { value: T } | { error: string } | { value: T; warning: string };

const YES = new Set(['yes', 'y', 'true', '1', 'explicit', 'x']);
const NO = new Set(['no', 'n', 'false', '0', 'notexplicit', 'none', 'clean', '']);
const CLEAN = new Set(['clean', 'edited', 'cleanversion', 'explicitcontentedited']);

/** Language names people write instead of the code. */
const LANGUAGE_NAMES: Readonly<Record<string, string>> = {
  english: 'en',
  french: 'fr',
  german: 'de',
  spanish: 'es',
  italian: 'it',
  portuguese: 'pt',
  dutch: 'nl',
  swedish: 'sv',
  japanese: 'ja',
  korean: 'ko',
  chinese: 'zh',
  instrumental: 'zxx',
  multiple: 'mul',
};

const WORLDWIDE_WORDS = new Set(['WORLDWIDE', 'WORLD', 'WW', 'ALL']);
const keyOf = (text: string) => text.toLowerCase().replace(/[\s_\-.]/g, '');

function text(value: string): Converted<string> {
  return value.length > MAX_FIELD_LENGTH
    ? { error: `Longer than ${MAX_FIELD_LENGTH} characters (${value.length})` }
    : { value };
}

function releaseType(value: string): Converted<ReleaseType> {
  const key = keyOf(value);
  const type = RELEASE_TYPES.find((t) => t.toLowerCase() === key) ?? (key === 'lp' ? 'Album' : undefined);
  return type
    ? { value: type }
    : { error: `Unknown release type "${value}": use ${RELEASE_TYPES.join(', ')}` };
}

function parentalAdvisory(value: string): Converted<ReleaseFields['parentalAdvisory']> {
  const key = keyOf(value);
  if (CLEAN.has(key)) return { value: 'clean' };
  if (YES.has(key)) return { value: 'explicit' };
  if (NO.has(key)) return { value: 'none' };
  return { error: `Unknown parental advisory "${value}": use explicit, clean or none` };
}

function explicit(value: string): Converted<boolean> {
  const key = keyOf(value);
  if (YES.has(key)) return { value: true };
  if (NO.has(key) || CLEAN.has(key)) return { value: false };
  return { error: `Unknown explicit value "${value}": use yes or no` };
}

function language(value: string): Converted<string> {
  const key = value.toLowerCase();
  const code = LANGUAGE_NAMES[key] ?? key;
  return isValidLanguage(code)
    ? { value: code }
    : { error: `Unknown language "${value}": use an ISO 639 code such as en, fr or zxx` };
}

function date(value: string): Converted<string> {
  const iso = value.replace(/\//g, '-');
  return isIsoDate(iso) ? { value: iso } : { error: `Not a date: "${value}" (use 2026-03-27)` };
}

function territories(value: string): Converted<string[]> {
  const codes = value
    .split(/[\s,;|]+/)
    .map((code) => code.trim().toUpperCase())
    .filter(Boolean)
    .map((code) => (WORLDWIDE_WORDS.has(code) ? WORLDWIDE : code));
  const unknown = codes.filter((code) => !isValidTerritory(code));
  if (unknown.length > 0) return { error: `Unknown territories: ${unknown.join(', ')}` };
  return { value: [...new Set(codes)] };
}

function duration(value: string): Converted<string> {
  const iso = durationFromInput(value);
  if (iso) return { value: iso };
  // A plain number of seconds ("205", "205.5").
  if (/^\d+(?:\.\d+)?$/.test(value)) return { value: formatIsoDuration(Number(value)) };
  return { error: `Bad duration "${value}": use m:ss (3:25), h:mm:ss or seconds` };
}

function identifier(
  value: string,
  normalize: (input: string) => string,
  isValid: (code: string) => boolean,
  what: string,
): Converted<string> {
  const code = normalize(value);
  return isValid(code) ? { value: code } : { value: code, warning: `Invalid ${what} "${value}"` };
}

function trackNumber(value: string): Converted<number> {
  const number = Number(value);
  return Number.isInteger(number) && number >= 1 && number <= 10_000
    ? { value: number }
    : { error: `Bad track number "${value}"` };
}

/** "Name (Role); Name (Role)", as Patchline's CSV export writes credits. */
function credits(value: string): Converted<ImportedCredit[]> {
  const list: ImportedCredit[] = [];
  for (const part of value
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^(.*?)\s*\(([^()]*)\)$/.exec(part);
    const credit = match ? { name: match[1]!.trim(), role: match[2]!.trim() } : { name: part, role: '' };
    if (!credit.name) return { error: `Credit without a name: "${part}"` };
    if (credit.name.length > MAX_FIELD_LENGTH || credit.role.length > MAX_FIELD_LENGTH)
      return { error: `A credit is longer than ${MAX_FIELD_LENGTH} characters` };
    list.push(credit);
  }
  return { value: list };
}

/** "Party Role 50%; …", as Patchline's CSV export writes splits (the role is one word). */
function splits(value: string): Converted<ImportedSplit[]> {
  const list: ImportedSplit[] = [];
  for (const part of value
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^(.+?)\s+(\S+)\s+(\d+(?:\.\d+)?)\s*%$/.exec(part);
    const share = match ? Number(match[3]) : Number.NaN;
    if (!match || !(share >= 0 && share <= 100))
      return { error: `Bad split "${part}": write "Party Role 50%"` };
    if (match[1]!.length > MAX_FIELD_LENGTH)
      return { error: `A split is longer than ${MAX_FIELD_LENGTH} characters` };
    list.push({ party: match[1]!.trim(), role: match[2]!, share });
  }
  return { value: list };
}

type ReleaseImportField = Extract<ImportField, `release.${string}`>;
const RELEASE_CONVERTERS: Record<ReleaseImportField, (value: string) => Converted<unknown>> = {
  'release.title': text,
  'release.version': text,
  'release.displayArtist': text,
  'release.releaseType': releaseType,
  'release.label': text,
  'release.catalogNumber': text,
  'release.upc': (v) =>
    identifier(v, normalizeUpc, isValidUpc, 'UPC/EAN (12 or 13 digits with a check digit)'),
  'release.genre': text,
  'release.language': language,
  'release.parentalAdvisory': parentalAdvisory,
  'release.originalReleaseDate': date,
  'release.releaseDate': date,
  'release.preorderDate': date,
  'release.pLine': text,
  'release.cLine': text,
  'release.territories': territories,
};

type TrackScalarImportField = `track.${keyof TrackScalarFields}`;
const TRACK_CONVERTERS: Record<TrackScalarImportField, (value: string) => Converted<unknown>> = {
  'track.title': text,
  'track.version': text,
  'track.artists': text,
  'track.isrc': (v) => identifier(v, normalizeIsrc, isValidIsrc, 'ISRC (CC-XXX-YY-NNNNN)'),
  'track.duration': duration,
  'track.explicit': explicit,
  'track.language': language,
  'track.iswc': (v) => identifier(v, normalizeIswc, isValidIswc, 'ISWC (T-123.456.789-C)'),
};

const isReleaseField = (field: ImportField): field is ReleaseImportField => field.startsWith('release.');
const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function convert(field: ImportField, raw: string): Converted<unknown> {
  if (isReleaseField(field)) return RELEASE_CONVERTERS[field](raw);
  switch (field) {
    case 'track.number':
      return trackNumber(raw);
    case 'track.credits':
      return credits(raw);
    case 'track.splits':
      return splits(raw);
    case 'track.featuredArtists':
      return text(raw);
    default:
      return TRACK_CONVERTERS[field](raw);
  }
}

/**
 * Reads a table with a mapping into what it says about a release. Release fields are taken
 * from the first row that fills them (a later row saying otherwise is a warning); every row
 * with any track cell is a track. Empty cells set nothing. Every cell that cannot be read is a
 * `CellProblem` and is left out; nothing here throws on content.
 */
export function readTable(table: SheetTable, mapping: readonly ColumnMapping[]): ImportedSheet {
  const problems: CellProblem[] = [];
  const release: Record<string, unknown> = {};
  const releaseRow: Record<string, number> = {};
  const tracks: ImportedTrack[] = [];
  const featuredOf = new Map<ImportedTrack, string>();
  const problem = (
    row: number,
    column: number,
    field: ImportField,
    severity: CellSeverity,
    message: string,
  ) => problems.push({ row, column, header: table.headers[column] ?? '', field, severity, message });

  table.rows.forEach((cells, r) => {
    const row = table.rowNumbers[r] ?? r + 2;
    const track: ImportedTrack = { row, number: null, fields: {}, credits: null, splits: null };
    let featured = '';
    let hasTrackCell = false;
    for (const [column, field] of mapping.entries()) {
      if (!field) continue;
      const raw = (cells[column] ?? '').trim();
      if (!raw) continue;
      const converted = convert(field, raw);
      if ('error' in converted) {
        problem(row, column, field, 'error', converted.error);
        continue;
      }
      if ('warning' in converted) problem(row, column, field, 'warning', converted.warning);
      if (isReleaseField(field)) {
        const name = field.slice('release.'.length);
        if (!(name in release)) {
          release[name] = converted.value;
          releaseRow[name] = row;
        } else if (!sameValue(release[name], converted.value)) {
          problem(
            row,
            column,
            field,
            'warning',
            `${IMPORT_FIELD_LABELS[field]} differs from row ${releaseRow[name]}; the value there is kept`,
          );
        }
        continue;
      }
      hasTrackCell = true;
      if (field === 'track.number') track.number = converted.value as number;
      else if (field === 'track.credits') track.credits = converted.value as ImportedCredit[];
      else if (field === 'track.splits') track.splits = converted.value as ImportedSplit[];
      else if (field === 'track.featuredArtists') featured = converted.value as string;
      else (track.fields as Record<string, unknown>)[field.slice('track.'.length)] = converted.value;
    }
    if (featured) featuredOf.set(track, featured);
    if (hasTrackCell) tracks.push(track);
  });
  // Featured artists join the track's artist, or the release's when the row names none.
  for (const [track, featured] of featuredOf) {
    const main = track.fields.artists ?? (release.displayArtist as string | undefined) ?? '';
    track.fields.artists = main ? `${main} feat. ${featured}` : featured;
  }
  return { release: release as ImportedSheet['release'], tracks, problems };
}
