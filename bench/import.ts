import { defineAbilityFor } from '@patchline/permissions';
import { applyImport, createSheet, detectMapping, readTable } from '@patchline/shared';
import ExcelJS from 'exceljs';
import { previewOf, readImportFile } from './patchline-internals.js';
import type { BarResult } from './report.js';
import { median, round } from './stats.js';

/** Issue 14's bar: import a 1,000-row spreadsheet, preview included, in at most this many ms. */
export const IMPORT_BAR_MS = 2_000;

export interface ImportBenchResult {
  rows: number;
  fileBytes: { xlsx: number; csv: number };
  runs: number;
  /** Parse the .xlsx, map the headers, read every cell, plan and judge the edit (what the preview answers). */
  xlsxPreviewMs: { median: number; max: number };
  /** The same for the same rows as CSV. */
  csvPreviewMs: { median: number; max: number };
  /** Writing the import into a new release document (what the room applies), after a preview. */
  applyMs: { median: number; max: number };
}

const HEADERS = [
  'Release Title',
  'Release Artist',
  'Release Type',
  'Label',
  'UPC',
  'Genre',
  'Release Date',
  'Track Number',
  'Track Title',
  'Track Artist',
  'ISRC',
  'Duration',
  'Explicit',
  'Lyrics Language',
  'ISWC',
  'Credits',
];

/** A 1,000-track catalogue sheet, release fields on every row, as distributors' templates have it. */
function rowsOf(count: number): string[][] {
  return Array.from({ length: count }, (_, i) => [
    'Thousand Takes',
    'The Loopback Quartet',
    'Album',
    'Loopback Records',
    '196588001314',
    'Alternative',
    '2026-11-06',
    String(i + 1),
    `Take ${i + 1}`,
    i % 7 === 0 ? 'The Loopback Quartet feat. Kito' : 'The Loopback Quartet',
    `QZPLX26${String(10_000 + i).padStart(5, '0')}`,
    `${3 + (i % 3)}:${String((i * 13) % 60).padStart(2, '0')}`,
    i % 11 === 0 ? 'Yes' : 'No',
    'en',
    'T-034.524.680-1',
    'Mira Sol (Composer); Jun Hara (Producer)',
  ]);
}

const summary = (samples: number[]) => ({
  median: round(median(samples), 1),
  max: round(Math.max(...samples), 1),
});

async function timed(runs: number, run: () => Promise<unknown>): Promise<number[]> {
  await run(); // warm-up, unreported
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  return samples;
}

/** Times the preview of a 1,000-row import as the server computes it (issue 14, "Tests and bars"). */
export async function measureImport(options: { rows: number; runs: number }): Promise<ImportBenchResult> {
  const rows = rowsOf(options.rows);
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Tracks');
  sheet.addRows([HEADERS, ...rows]);
  const xlsx = new Uint8Array(await workbook.xlsx.writeBuffer());
  const csv = new TextEncoder().encode(
    [HEADERS, ...rows]
      .map((row) => row.map((cell) => `"${cell.replace(/"/g, '""')}"`).join(','))
      .join('\r\n'),
  );
  const manager = defineAbilityFor({ sub: 'bench-manager', groups: ['managers'] });
  const preview = (fileName: string, bytes: Uint8Array) => async () => {
    const result = await previewOf({ fileName, bytes }, createSheet(), manager, 'benchimport00001');
    if (result.plan.added.length !== options.rows || result.problems.length > 0 || result.refusal) {
      throw new Error(
        `unexpected preview: ${result.plan.added.length} tracks, ${result.problems.length} problems`,
      );
    }
  };
  const xlsxSamples = await timed(options.runs, preview('tracks.xlsx', xlsx));
  const csvSamples = await timed(options.runs, preview('tracks.csv', csv));
  const file = await readImportFile('tracks.csv', csv);
  if (file.format === 'ddex') throw new Error('unexpected format');
  const imported = readTable(file.table, detectMapping(file.table.headers));
  const applySamples = await timed(options.runs, async () => applyImport(createSheet(), imported));
  return {
    rows: options.rows,
    fileBytes: { xlsx: xlsx.length, csv: csv.length },
    runs: options.runs,
    xlsxPreviewMs: summary(xlsxSamples),
    csvPreviewMs: summary(csvSamples),
    applyMs: summary(applySamples),
  };
}

/**
 * The bar: the preview of a 1,000-row .xlsx, what a person waits for before seeing what will
 * change. Beside it, the apply that follows (which parses and judges the file again, since it
 * never trusts the preview, then writes it): a whole import is about two previews and a write.
 */
export function importBar(result: ImportBenchResult): BarResult {
  const figure = result.xlsxPreviewMs.median;
  const whole = round(2 * figure + result.applyMs.median, 1);
  return {
    name: `import a ${result.rows}-row spreadsheet: preview`,
    figure: `${figure} ms .xlsx preview (csv ${result.csvPreviewMs.median} ms; write ${result.applyMs.median} ms; preview + apply ≈ ${whole} ms)`,
    bar: `≤ ${IMPORT_BAR_MS} ms`,
    pass: figure <= IMPORT_BAR_MS,
  };
}
