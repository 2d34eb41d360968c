import {
  EMPTY_RELEASE_FIELDS,
  EMPTY_TRACK_FIELDS,
  type ReleaseSheet,
  releaseSheetSchema,
} from '@patchline/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sheetToCsv } from './export-service.js';

/** RFC 4180 reading, to check what a spreadsheet would see. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (quoted) {
      if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',' || (c === '\r' && text[i + 1] === '\n')) {
      row.push(cell);
      cell = '';
      if (c === '\r') {
        rows.push(row);
        row = [];
        i++;
      }
    } else {
      cell += c;
    }
  }
  return rows;
}

// Text a field may hold, with the characters CSV and spreadsheets treat specially.
const text = fc.string({
  unit: fc.constantFrom('a', ' ', ',', '"', '\n', '\r', '=', '+', '-', '@', '\t', 'é'),
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

describe(sheetToCsv.name, () => {
  it('gives one well-formed row per track for any sheet readSheet can return (property)', () => {
    fc.assert(
      fc.property(sheetArb, (sheet) => {
        expect(releaseSheetSchema.safeParse(sheet).success).toBe(true);
        const [header, ...rows] = parseCsv(sheetToCsv(sheet));
        expect(rows).toHaveLength(Math.max(1, sheet.tracks.length));
        for (const row of rows) expect(row).toHaveLength(header!.length);
        const title = rows[0]![header!.indexOf('release.title')]!;
        expect(title).toBe(
          /^[=+\-@\t\r]/.test(sheet.release.title) ? `'${sheet.release.title}` : sheet.release.title,
        );
      }),
      { numRuns: 300 },
    );
  });
});
