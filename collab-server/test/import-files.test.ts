import {
  applyImport,
  createSheet,
  detectMapping,
  IMPORT_LIMITS,
  ImportError,
  ImportErrorReason,
  readErn43,
  readSheet,
  readTable,
} from '@patchline/shared';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { sheetToCsv } from '../src/services/export-service.js';
import { readImportFile } from '../src/services/import-file.js';

/** Hostile and broken files: each is refused whole, with the reason a person is shown. */
const utf8 = (text: string) => new TextEncoder().encode(text);

async function refusal(fileName: string, bytes: Uint8Array) {
  const error = await readImportFile(fileName, bytes).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImportError);
  return error as ImportError;
}

async function xlsxOf(rows: unknown[][], edit?: (sheet: ExcelJS.Worksheet) => void): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Tracks');
  for (const row of rows) sheet.addRow(row);
  edit?.(sheet);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

describe('reading an uploaded spreadsheet', () => {
  it('reads a CSV with a BOM, semicolons and quoted line breaks, keeping row numbers', async () => {
    const file = await readImportFile(
      'tracks.csv',
      utf8('\uFEFFTrack Title;ISRC\r\n"Line\nbreak";USRC17607839\r\n\r\nSecond;\r\n'),
    );
    expect(file.format).toBe('csv');
    if (file.format === 'ddex') throw new Error('unexpected');
    expect(file.table.headers).toEqual(['Track Title', 'ISRC']);
    expect(file.table.rows).toEqual([
      ['Line\nbreak', 'USRC17607839'],
      ['Second', ''],
    ]);
    expect(file.table.rowNumbers).toEqual([3, 5]);
  });

  it('reads an .xlsx: cached formula results (never the formula), dates, times as durations', async () => {
    const bytes = await xlsxOf([['Track Title', 'Duration', 'Release Date', 'ISRC']], (sheet) => {
      sheet.addRow([
        { formula: 'UPPER("x")', result: 'Cached Title' },
        new Date(Date.UTC(1899, 11, 30, 0, 3, 25)),
        new Date(Date.UTC(2026, 5, 5)),
        { formula: 'WEBSERVICE("https://evil.example")' },
      ]);
    });
    const file = await readImportFile('tracks.xlsx', bytes);
    if (file.format !== 'xlsx') throw new Error('unexpected');
    expect(file.table.rows).toEqual([['Cached Title', '3:25', '2026-06-05', '']]);
  });

  it('refuses a file whose content does not match its name', async () => {
    const xlsx = await xlsxOf([['Track Title'], ['A']]);
    expect((await refusal('tracks.csv', xlsx)).reason).toBe(ImportErrorReason.wrongType);
    expect((await refusal('tracks.xlsx', utf8('Track Title\r\nA\r\n'))).message).toMatch(
      /named \.xlsx but does not hold an Excel/,
    );
    expect((await refusal('tracks.csv', new Uint8Array([0, 1, 2, 3, 255, 254]))).reason).toBe(
      ImportErrorReason.wrongType,
    );
    expect((await refusal('cover.png', utf8('Track Title\r\n'))).message).toMatch(/use \.csv, \.xlsx/);
    expect((await refusal('release.csv', utf8('<a/>'))).message).toMatch(/looks like DDEX XML/);
  });

  it('refuses files over 2 MB, over 2,000 rows, over 100 columns, and giant cells', async () => {
    const big = new Uint8Array(IMPORT_LIMITS.maxFileBytes + 1).fill(0x61);
    expect((await refusal('big.csv', big)).message).toMatch(/at most 2 MB/);
    const rows = `Track Title\r\n${'x\r\n'.repeat(IMPORT_LIMITS.maxRows + 1)}`;
    expect((await refusal('rows.csv', utf8(rows))).message).toMatch(/more than 2,000 rows/);
    const wide = `${Array.from({ length: 101 }, (_, i) => `c${i}`).join(',')}\r\n`;
    expect((await refusal('wide.csv', utf8(wide))).message).toMatch(/101 columns/);
    const cell = `Track Title\r\n${'y'.repeat(IMPORT_LIMITS.maxCellChars + 1)}\r\n`;
    expect((await refusal('cell.csv', utf8(cell))).reason).toBe(ImportErrorReason.tooLarge);
    const xlsxRows = await xlsxOf([['Track Title'], ...Array.from({ length: 2001 }, (_, i) => [`t${i}`])]);
    expect((await refusal('rows.xlsx', xlsxRows)).message).toMatch(/more than 2,000 rows/);
  });

  it('refuses an empty file and a damaged .xlsx', async () => {
    expect((await refusal('empty.csv', new Uint8Array())).reason).toBe(ImportErrorReason.noHeader);
    expect((await refusal('blank.csv', utf8('\r\n,,\r\n'))).reason).toBe(ImportErrorReason.noHeader);
    const damaged = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]);
    expect((await refusal('broken.xlsx', damaged)).reason).toBe(ImportErrorReason.unreadable);
  });

  it('stops inflating a zip bomb at the unpacked limit', async () => {
    const zip = new JSZip();
    // 40 MB of one repeated byte deflates to a few dozen kilobytes.
    zip.file('xl/worksheets/sheet1.xml', new Uint8Array(40 * 1024 * 1024).fill(0x20));
    const bomb = await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
    expect(bomb.length).toBeLessThan(IMPORT_LIMITS.maxFileBytes);
    const error = await refusal('bomb.xlsx', bomb);
    expect(error.reason).toBe(ImportErrorReason.tooLarge);
    expect(error.message).toMatch(/unpacks to more than 32 MB/);
  });
});

describe('reading DDEX XML safely', () => {
  it('refuses a DTD: no external entity (XXE) and no entity expansion (billion laughs)', async () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><NewReleaseMessage>&x;</NewReleaseMessage>`;
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><NewReleaseMessage>&lol2;</NewReleaseMessage>`;
    for (const text of [xxe, laughs]) {
      const error = await refusal('release.xml', utf8(text));
      expect(error.reason).toBe(ImportErrorReason.notDdex);
      expect(error.message).toMatch(/DTD/);
    }
  });

  it('refuses XML that is not well-formed or not a NewReleaseMessage', async () => {
    await expect(readErn43('<NewReleaseMessage><a></NewReleaseMessage>')).rejects.toThrow(/not well-formed/);
    await expect(readErn43('<PurgeReleaseMessage/>')).rejects.toThrow(
      /Expected a DDEX ERN NewReleaseMessage/,
    );
    await expect(readErn43('<NewReleaseMessage/>')).rejects.toThrow(/holds no Release/);
    const deep = `${'<a>'.repeat(100)}${'</a>'.repeat(100)}`;
    await expect(readErn43(deep)).rejects.toThrow(/nests too deeply/);
  });
});

describe("reading Patchline's own CSV export back", () => {
  it('gives back every value, formula-looking text included, as the text it was', async () => {
    const typed = [
      '=HYPERLINK("https://evil.example","x")',
      '+1+1',
      '-2+3',
      '@SUM(1)',
      'Intro,=1+1',
      'Ann; -2',
    ];
    const doc = createSheet({
      release: { title: typed[0]!, version: typed[1]!, territories: ['GB', 'US'] },
      tracks: typed.map((title) => ({ title, artists: title, isrc: 'QZPLX2600001', explicit: true })),
    });
    const sheet = readSheet(doc);
    const file = await readImportFile('export.csv', utf8(sheetToCsv(sheet)));
    if (file.format === 'ddex') throw new Error('unexpected');
    const copy = createSheet();
    applyImport(copy, readTable(file.table, detectMapping(file.table.headers)));
    const back = readSheet(copy);
    expect(back.release).toEqual(sheet.release);
    expect(back.tracks.map((t) => [t.title, t.artists, t.explicit])).toEqual(
      sheet.tracks.map((t) => [t.title, t.artists, t.explicit]),
    );
  });
});
