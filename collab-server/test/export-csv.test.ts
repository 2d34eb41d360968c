import {
  EMPTY_RELEASE_FIELDS,
  EMPTY_TRACK_FIELDS,
  type ReleaseSheet,
  releaseSheetSchema,
} from '@patchline/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sheetToCsv } from '../src/services/export-service.js';
import { formulaStarts, parseCsv } from './support/csv.js';

// Text a field may hold, with the characters CSV and spreadsheets treat specially.
const text = fc.string({
  unit: fc.constantFrom('a', ' ', ',', ';', '"', "'", '\n', '\r', '=', '+', '-', '@', '\t', 'é', '1'),
  maxLength: 8,
});
const sheetArb: fc.Arbitrary<ReleaseSheet> = fc.record({
  schemaVersion: fc.constant(1),
  release: fc
    .record({ title: text, label: text, territories: fc.array(text, { maxLength: 2 }) })
    .map((r) => ({
      ...EMPTY_RELEASE_FIELDS,
      ...r,
    })),
  tracks: fc.array(
    fc
      .record({
        id: fc.stringMatching(/^[0-9a-z]{12}$/),
        position: fc.string({ maxLength: 4 }),
        title: text,
        duration: text,
        credits: fc.array(fc.record({ id: fc.string(), name: text, role: text }), { maxLength: 2 }),
        splits: fc.array(
          fc.record({ id: fc.string(), party: text, role: text, share: fc.integer({ min: 0, max: 100 }) }),
          { maxLength: 2 },
        ),
      })
      .map((t) => ({ ...EMPTY_TRACK_FIELDS, ...t })),
    { maxLength: 4 },
  ),
  notes: text,
});

const withoutQuotes = (value: string) => value.replaceAll("'", '');

describe(sheetToCsv.name, () => {
  it('gives one well-formed row per track, no cell a spreadsheet would evaluate, the text kept (property)', () => {
    fc.assert(
      fc.property(sheetArb, (sheet) => {
        expect(releaseSheetSchema.safeParse(sheet).success).toBe(true);
        const [header, ...rows] = parseCsv(sheetToCsv(sheet));
        expect(rows).toHaveLength(Math.max(1, sheet.tracks.length));
        for (const row of rows) {
          expect(row).toHaveLength(header!.length);
          for (const field of row) expect(formulaStarts(field)).toEqual([]);
        }
        // Only `'` is ever added: the rest of the text is what was typed.
        const title = rows[0]![header!.indexOf('release.title')]!;
        expect(withoutQuotes(title)).toBe(withoutQuotes(sheet.release.title));
        sheet.tracks.forEach((track, i) => {
          expect(rows[i]![header!.indexOf('track.number')]).toBe(String(i + 1));
          expect(withoutQuotes(rows[i]![header!.indexOf('track.duration')]!)).toBe(
            withoutQuotes(track.duration),
          );
        });
      }),
      { numRuns: 500 },
    );
  });

  it('quotes every field, so a `,` or `;` inside one never opens another cell', () => {
    const csv = sheetToCsv({
      schemaVersion: 1,
      release: { ...EMPTY_RELEASE_FIELDS, title: 'a;b,c' },
      tracks: [],
      notes: '',
    });
    const [header, row] = csv.split('\r\n');
    expect(header).toMatch(/^"release\.title","release\.version",/);
    expect(row).toMatch(/^"a;b,c","",/);
  });
});
