import { readFile, writeFile } from 'node:fs/promises';
import {
  addTrackEntry,
  CSV_LAYOUT_IDS,
  createSheet,
  DISTRIBUTOR_LAYOUT_IDS,
  DISTRIBUTOR_LAYOUTS,
  EMPTY_RELEASE_FIELDS,
  EMPTY_TRACK_FIELDS,
  orderedTrackIds,
  type ReleaseSheet,
  readSheet,
} from '@patchline/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sheetToCsv } from '../src/services/export-service.js';
import { formulaStarts, parseCsv } from './support/csv.js';

// fast-check prints the seed of a failure; FC_SEED=<seed> replays it.
const replay = process.env.FC_SEED === undefined ? {} : { seed: Number(process.env.FC_SEED) };

// `PATCHLINE_UPDATE_GOLDEN=1 npx vitest run collab-server/test/distributor-csv.test.ts` rewrites the
// files after a deliberate change of a layout; review the diff like code.
const UPDATE = process.env.PATCHLINE_UPDATE_GOLDEN === '1';
const goldenUrl = (layout: string) => new URL(`./golden/distributor-${layout}.csv`, import.meta.url);

/** A three-track release with what CSV and spreadsheets treat specially: commas, quotes, a formula. */
function fixtureSheet(): ReleaseSheet {
  const doc = createSheet({
    release: {
      title: 'Night Bus Home, "Deluxe"',
      version: 'Deluxe Edition',
      displayArtist: 'The Loopback Quartet feat. Ada',
      releaseType: 'EP',
      label: 'Patchline Demo Records',
      catalogNumber: 'PDR-001',
      upc: '196588001239',
      genre: 'Indie Pop',
      language: 'en',
      parentalAdvisory: 'explicit',
      releaseDate: '2026-05-15',
      preorderDate: '2026-04-17',
      originalReleaseDate: '',
      pLine: '2025 Patchline Demo Records',
      cLine: '2026 Patchline Demo Records',
      territories: ['GB', 'US', 'DE'],
    },
    tracks: [
      { title: 'Night Bus Home', isrc: 'QZDEM2600001', duration: 'PT3M41S', language: 'en', explicit: true },
      {
        title: '=Port 4001',
        version: 'Radio Edit',
        artists: 'Ada; The Loopback Quartet',
        isrc: 'QZDEM2600002',
        duration: 'PT1H2M5S',
        language: 'fr',
        iswc: 'T0000000010',
      },
      { title: 'Last Write Wins', isrc: 'QZDEM2600003', duration: '', language: 'zxx' },
    ],
  });
  const [first, second] = orderedTrackIds(doc);
  addTrackEntry(doc, first!, 'credits', { name: 'Ada Lovelace', role: 'Composer' });
  addTrackEntry(doc, first!, 'credits', { name: 'Bo "Mix" Diddley', role: 'MixingEngineer' });
  addTrackEntry(doc, second!, 'credits', { name: '@mention', role: 'Producer' });
  return readSheet(doc);
}

describe('distributor CSV layouts', () => {
  it.each(DISTRIBUTOR_LAYOUT_IDS.map((id) => [id] as const))(
    '%s: the fixture release gives the golden file, one row per track with every header of the layout',
    async (layout) => {
      const sheet = fixtureSheet();
      const csv = sheetToCsv(sheet, layout);
      if (UPDATE) await writeFile(goldenUrl(layout), csv);
      expect(csv).toBe(await readFile(goldenUrl(layout), 'utf8'));
      const [header, ...rows] = parseCsv(csv);
      expect(header).toEqual(DISTRIBUTOR_LAYOUTS[layout].columns.map((c) => c.header));
      expect(rows).toHaveLength(sheet.tracks.length);
      const at = (row: number, name: string) => rows[row]![header!.indexOf(name)];
      expect(at(1, 'Track Title')).toBe("'=Port 4001");
      expect(at(1, 'ISRC')).toBe('QZDEM2600002');
      expect(at(1, 'ISWC')).toBe('T0000000010');
      expect(at(1, 'Track Artist')).toBe('Ada; The Loopback Quartet');
      // A track without its own artists is credited to the release's display artist.
      expect(at(0, 'Track Artist')).toBe('The Loopback Quartet feat. Ada');
      expect(at(2, 'Track Number')).toBe('3');
    },
  );

  it('Believe: production year from the ℗ line, parental advisory Yes/No, durations as m:ss', () => {
    const [header, ...rows] = parseCsv(sheetToCsv(fixtureSheet(), 'believe'));
    const column = (name: string) => rows.map((row) => row[header!.indexOf(name)]);
    expect(column('Production Year')).toEqual(['2025', '2025', '2025']);
    expect(column('Parental Advisory')).toEqual(['Yes', 'No', 'No']);
    expect(column('Duration')).toEqual(['3:41', '1:02:05', '']);
    expect(column('Territories')).toEqual(['GB, US, DE', 'GB, US, DE', 'GB, US, DE']);
    expect(column('Contributors')[0]).toBe('Ada Lovelace (Composer); Bo "Mix" Diddley (MixingEngineer)');
    expect(column('Contributors')[1]).toBe("'@mention (Producer)");
  });

  it('Spotify Uplink: the UPC as primary id of type UPC (EAN for 13 digits), product type and explicit words', () => {
    const sheet = fixtureSheet();
    const read = (s: ReleaseSheet) => {
      const [header, ...rows] = parseCsv(sheetToCsv(s, 'spotify-uplink'));
      return (name: string) => rows.map((row) => row[header!.indexOf(name)]);
    };
    const column = read(sheet);
    expect(column('Primary ID')[0]).toBe('196588001239');
    expect(column('Primary ID Type')[0]).toBe('UPC');
    expect(column('Product Type')[0]).toBe('EP');
    expect(column('Product Explicit')[0]).toBe('Explicit');
    expect(column('Track Explicit')).toEqual(['Explicit', 'Not Explicit', 'Not Explicit']);
    const ean = read({
      ...sheet,
      release: { ...sheet.release, upc: '4006381333931', parentalAdvisory: 'clean' },
    });
    expect(ean('Primary ID Type')[0]).toBe('EAN');
    expect(ean('Product Explicit')[0]).toBe('Clean');
  });

  it('a release without tracks still gives one row, with the release columns filled', () => {
    const sheet = { ...fixtureSheet(), tracks: [] };
    for (const layout of DISTRIBUTOR_LAYOUT_IDS) {
      const [header, ...rows] = parseCsv(sheetToCsv(sheet, layout));
      expect(rows).toHaveLength(1);
      expect(rows[0]).toHaveLength(header!.length);
      expect(rows[0]).toContain('Patchline Demo Records');
    }
  });

  const text = fc.string({
    unit: fc.constantFrom('a', ' ', ',', ';', '"', "'", '\n', '\r', '=', '+', '-', '@', '\t', '1'),
    maxLength: 8,
  });
  const sheetArb: fc.Arbitrary<ReleaseSheet> = fc.record({
    schemaVersion: fc.constant(1),
    release: fc
      .record({ title: text, displayArtist: text, pLine: text, upc: text, genre: text })
      .map((r) => ({ ...EMPTY_RELEASE_FIELDS, ...r })),
    tracks: fc.array(
      fc
        .record({
          id: fc.stringMatching(/^[0-9a-z]{12}$/),
          position: fc.constant('a0'),
          title: text,
          artists: text,
          duration: text,
          isrc: text,
          credits: fc.array(fc.record({ id: fc.string(), name: text, role: text }), { maxLength: 2 }),
          splits: fc.constant([]),
        })
        .map((t) => ({ ...EMPTY_TRACK_FIELDS, ...t })),
      { maxLength: 3 },
    ),
    notes: fc.constant(''),
  });

  it('every layout: well-formed rows, no cell a spreadsheet would evaluate (property)', () => {
    fc.assert(
      fc.property(sheetArb, fc.constantFrom(...CSV_LAYOUT_IDS), (sheet, layout) => {
        const [header, ...rows] = parseCsv(sheetToCsv(sheet, layout));
        expect(rows).toHaveLength(Math.max(1, sheet.tracks.length));
        for (const row of rows) {
          expect(row).toHaveLength(header!.length);
          for (const field of row) expect(formulaStarts(field)).toEqual([]);
        }
      }),
      replay,
    );
  });
});
