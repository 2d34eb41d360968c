import { describe, expect, it } from 'vitest';
import type { ReleaseSheet } from '../domain/release-sheet.js';
import {
  type ColumnSource,
  DISTRIBUTOR_LAYOUT_IDS,
  DISTRIBUTOR_LAYOUTS,
  distributorRows,
} from '../export/distributor-layouts.js';
import { createSheet } from '../sheet/create-sheet.js';
import { readSheet } from '../sheet/read-sheet.js';
import { sheetOf, variant } from '../validation/test-sheets.js';
import { parseIsoDuration } from '../validators/iso-duration.js';
import { detectMapping, fieldForHeader, IMPORT_FIELD_LABELS, IMPORT_FIELDS } from './import-fields.js';
import { applyImport, planImport } from './plan-import.js';
import { readTable, type SheetTable } from './read-table.js';

const tableOf = (headers: string[], ...rows: string[][]): SheetTable => ({
  headers,
  rows,
  rowNumbers: rows.map((_, i) => i + 2),
  headerRow: 1,
});

describe('header mapping', () => {
  it("maps our own export's headers, the distributor templates' and common synonyms", () => {
    expect(
      detectMapping(['release.title', 'track.number', 'track.isrc', 'track.duration', 'release.status']),
    ).toEqual(['release.title', 'track.number', 'track.isrc', 'track.duration', null]);
    // Believe-style catalogue template.
    expect(
      detectMapping(['Track Number', 'Title', 'Mix Title/Version', 'Release Title', '℗ Line', '© Line']),
    ).toEqual([
      'track.number',
      'track.title',
      'track.version',
      'release.title',
      'release.pLine',
      'release.cLine',
    ]);
    // SongDis-style upload form.
    expect(
      detectMapping(['Primary Artist', 'Featured Artist', 'Primary Genre', 'P Holder', 'Explicit']),
    ).toEqual([
      'release.displayArtist',
      'track.featuredArtists',
      'release.genre',
      'release.pLine',
      'track.explicit',
    ]);
    expect(
      ['Track Title', 'ISRC Code', 'Artist', 'Duration (mm:ss)', 'Cat #', 'UPC/EAN'].map(fieldForHeader),
    ).toEqual([
      'track.title',
      'track.isrc',
      'track.artists',
      'track.duration',
      'release.catalogNumber',
      'release.upc',
    ]);
  });

  it("maps every field's own label (what the mapping step shows) to that field", () => {
    expect(IMPORT_FIELDS.filter((field) => fieldForHeader(IMPORT_FIELD_LABELS[field]) !== field)).toEqual([]);
  });

  it('leaves unknown headers and a second column for the same field unmapped', () => {
    expect(detectMapping(['Price Tier', 'ISRC', 'ISRC Code', ''])).toEqual([null, 'track.isrc', null, null]);
  });
});

describe('reading rows', () => {
  it('reports each bad cell by row and column, and imports the rest', () => {
    const table = tableOf(
      ['Track Title', 'ISRC', 'Duration', 'Language', 'Explicit', 'Release Date', 'Territories'],
      ['One', 'us-rc1-76-07839', '3:25', 'English', 'yes', '2026/06/05', 'GB, us'],
      ['Two', 'NOT-AN-ISRC', 'three minutes', 'klingon', 'maybe', 'next week', 'GB XX'],
    );
    const imported = readTable(table, detectMapping(table.headers));
    expect(imported.release).toEqual({ releaseDate: '2026-06-05', territories: ['GB', 'US'] });
    expect(imported.tracks.map((t) => t.fields)).toEqual([
      { title: 'One', isrc: 'USRC17607839', duration: 'PT3M25S', language: 'en', explicit: true },
      { title: 'Two', isrc: 'NOTANISRC' },
    ]);
    expect(imported.problems.map((p) => [p.row, p.column, p.severity, p.message])).toEqual([
      [3, 1, 'warning', 'Invalid ISRC (CC-XXX-YY-NNNNN) "NOT-AN-ISRC"'],
      [3, 2, 'error', 'Bad duration "three minutes": use m:ss (3:25), h:mm:ss or seconds'],
      [3, 3, 'error', 'Unknown language "klingon": use an ISO 639 code such as en, fr or zxx'],
      [3, 4, 'error', 'Unknown explicit value "maybe": use yes or no'],
      [3, 5, 'error', 'Not a date: "next week" (use 2026-03-27)'],
      [3, 6, 'error', 'Unknown territories: XX'],
    ]);
  });

  it('takes release fields from the first row that has them and warns when a later row differs', () => {
    const table = tableOf(
      ['Release Title', 'Track Title', 'Featured Artist', 'Release Artist'],
      ['Blue Hours', 'One', 'Kito', 'Nova Lane'],
      ['', 'Two', '', ''],
      ['Other Title', 'Three', '', ''],
    );
    const imported = readTable(table, detectMapping(table.headers));
    expect(imported.release).toEqual({ title: 'Blue Hours', displayArtist: 'Nova Lane' });
    expect(imported.tracks[0]!.fields.artists).toBe('Nova Lane feat. Kito');
    expect(imported.problems).toEqual([
      expect.objectContaining({
        row: 4,
        column: 0,
        severity: 'warning',
        message: expect.stringMatching(/row 2/),
      }),
    ]);
  });

  it('keeps formula-looking text as plain text (a value, never a formula)', () => {
    const table = tableOf(['Track Title'], ['=HYPERLINK("https://evil.example","x")']);
    const doc = createSheet();
    applyImport(doc, readTable(table, ['track.title']));
    expect(readSheet(doc).tracks[0]!.title).toBe('=HYPERLINK("https://evil.example","x")');
  });
});

describe('planning and applying an import', () => {
  it('updates tracks matched by ISRC or number, adds the rest, and writes credits and splits', () => {
    const doc = createSheet({
      release: { title: 'Old' },
      tracks: [
        { title: 'A', isrc: 'USRC17607839' },
        { title: 'B', isrc: '' },
      ],
    });
    const table = tableOf(
      ['release.title', 'track.number', 'track.title', 'track.isrc', 'track.credits', 'track.splits'],
      [
        'New',
        '5',
        'A (Remaster)',
        'USRC17607839',
        'Ana Writer (Composer); Bo (Producer)',
        'Ana Composer 50%',
      ],
      ['', '2', 'B', '', '', ''],
      ['', '3', 'C', 'USRC17607840', '', ''],
    );
    const imported = readTable(table, detectMapping(table.headers));
    const plan = planImport(readSheet(doc), imported);
    expect(plan.release).toEqual([{ path: 'release.title', field: 'title', before: 'Old', after: 'New' }]);
    expect(plan.changed.map((t) => [t.row, t.changes.map((c) => c.field)])).toEqual([
      [2, ['title', 'credits', 'splits']],
    ]);
    expect(plan.unchangedTracks).toBe(1);
    expect(plan.added.map((t) => t.title)).toEqual(['C']);
    const { paths } = applyImport(doc, imported);
    const sheet = readSheet(doc);
    expect(sheet.tracks.map((t) => t.title)).toEqual(['A (Remaster)', 'B', 'C']);
    expect(sheet.tracks[0]!.credits.map(({ name, role }) => `${name}/${role}`)).toEqual([
      'Ana Writer/Composer',
      'Bo/Producer',
    ]);
    expect(sheet.tracks[0]!.splits.map(({ party, share }) => `${party}:${share}`)).toEqual(['Ana:50']);
    expect(paths).toContain(`tracks.${sheet.tracks[2]!.id}`);
    // Applying the same file again changes nothing.
    expect(planImport(sheet, imported)).toMatchObject({ release: [], added: [], changed: [] });
  });
});

describe('the distributor templates Patchline exports (DISTRIBUTOR_LAYOUTS)', () => {
  /** Columns that hold nothing of the sheet's, or only something derived from other columns. */
  const UNREAD: ReadonlySet<string> = new Set(['none', 'discNumber', 'productionYear', 'upcKind']);

  it.each(DISTRIBUTOR_LAYOUT_IDS)('%s: every column with sheet data is mapped, and it imports back', (id) => {
    const layout = DISTRIBUTOR_LAYOUTS[id];
    const sheet = sheetOf(
      variant({ parentalAdvisory: 'explicit' }, { 1: { explicit: true, version: 'Live' } }),
    );
    const [headers, ...rows] = distributorRows(layout, sheet);
    const mapping = detectMapping(headers!);
    expect(
      layout.columns.filter((column, i) => (mapping[i] !== null) === UNREAD.has(sourceKey(column.source))),
    ).toEqual([]);
    const doc = createSheet();
    const imported = readTable(
      { headers: headers!, rows, rowNumbers: rows.map((_, i) => i + 2), headerRow: 1 },
      mapping,
    );
    expect(imported.problems.map((p) => `${p.header}: ${p.message}`)).toEqual([]);
    applyImport(doc, imported);
    const back = readSheet(doc);
    const held = new Set(
      layout.columns.flatMap((c) => (c.source.from === 'release' ? [c.source.field] : [])),
    );
    for (const field of held) expect([field, back.release[field]]).toEqual([field, sheet.release[field]]);
    expect(back.release.territories).toEqual(sheet.release.territories);
    const tracks = (s: ReleaseSheet) =>
      s.tracks.map((t) => ({
        title: t.title,
        version: t.version,
        artists: t.artists || s.release.displayArtist,
        isrc: t.isrc,
        duration: parseIsoDuration(t.duration),
        explicit: t.explicit,
        language: t.language,
        iswc: t.iswc,
        credits: t.credits.map(({ name, role }) => ({ name, role })),
      }));
    expect(tracks(back)).toEqual(tracks(sheet));
  });
});

const sourceKey = (source: ColumnSource) =>
  source.from === 'derived' ? source.value : source.from === 'none' ? 'none' : source.field;
