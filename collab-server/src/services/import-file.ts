import {
  IMPORT_LIMITS,
  ImportError,
  ImportErrorReason,
  type ImportedSheet,
  type ImportFormat,
  readErn43,
  type SheetTable,
} from '@patchline/shared';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';

/** What an uploaded file turned out to be (by its content, agreeing with its name). */
export type ImportFile =
  | { format: 'csv' | 'xlsx'; table: SheetTable }
  | { format: 'ddex'; imported: ImportedSheet };

const MB = (bytes: number) => `${bytes / (1024 * 1024)} MB`;
const count = (n: number) => n.toLocaleString('en-US');
const EXTENSIONS: Record<string, ImportFormat> = { csv: 'csv', xlsx: 'xlsx', xml: 'ddex' };
const NAMES: Record<ImportFormat, string> = {
  csv: 'a CSV file',
  xlsx: 'an Excel (.xlsx) workbook',
  ddex: 'DDEX XML',
};

/** What the bytes are: a zip (an .xlsx), XML, other UTF-8 text (CSV), or none of these. */
function sniff(bytes: Uint8Array): { format: ImportFormat; text: string } | null {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
    return { format: 'xlsx', text: '' };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return null;
  }
  // NUL and other C0 controls (but tab, LF, CR) do not occur in a text spreadsheet or XML.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(text)) return null;
  return { format: /^\s*</.test(text) ? 'ddex' : 'csv', text };
}

/**
 * Reads an uploaded file (docs/IMPORT.md): checked by size, then by content, which must agree
 * with the file's extension (.csv, .xlsx or .xml). Refuses with an `ImportError` whatever cannot
 * be read whole; never evaluates a formula, expands an entity or inflates past the limits.
 */
export async function readImportFile(fileName: string, bytes: Uint8Array): Promise<ImportFile> {
  if (bytes.length > IMPORT_LIMITS.maxFileBytes) {
    throw new ImportError(
      ImportErrorReason.tooLarge,
      `The file is ${(bytes.length / (1024 * 1024)).toFixed(1)} MB; an import may be at most ${MB(IMPORT_LIMITS.maxFileBytes)}`,
    );
  }
  if (bytes.length === 0) throw new ImportError(ImportErrorReason.noHeader, 'The file is empty');
  const extension = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? '';
  const named = EXTENSIONS[extension];
  if (!named) {
    throw new ImportError(
      ImportErrorReason.wrongType,
      `"${fileName.slice(0, 100)}" is not a file Patchline imports: use .csv, .xlsx or DDEX .xml`,
    );
  }
  const found = sniff(bytes);
  if (!found || found.format !== named) {
    throw new ImportError(
      ImportErrorReason.wrongType,
      `The file is named .${extension} but does not hold ${NAMES[named]}${found ? ` (it looks like ${NAMES[found.format]})` : ''}`,
    );
  }
  if (found.format === 'ddex') return { format: 'ddex', imported: await readErn43(found.text) };
  const rows = found.format === 'csv' ? readCsvRows(found.text) : await readXlsxRows(bytes);
  return { format: found.format, table: tableOf(rows) };
}

/** Rows with their line numbers in the file, before the header is found. */
interface NumberedRow {
  row: number;
  cells: string[];
}

function tooManyRows(): ImportError {
  return new ImportError(
    ImportErrorReason.tooLarge,
    `The file has more than ${count(IMPORT_LIMITS.maxRows)} rows; an import may hold at most ${count(IMPORT_LIMITS.maxRows)} tracks`,
  );
}

function checkCell(text: string, row: number): string {
  if (text.length > IMPORT_LIMITS.maxCellChars) {
    throw new ImportError(
      ImportErrorReason.tooLarge,
      `A cell in row ${row} holds ${count(text.length)} characters; at most ${count(IMPORT_LIMITS.maxCellChars)} are read`,
    );
  }
  return text;
}

/** The separator the header line uses most: comma, semicolon or tab. */
function delimiterOf(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const counts = [',', ';', '\t'].map((d) => [d, firstLine.split(d).length] as const);
  return counts.reduce((best, next) => (next[1] > best[1] ? next : best))[0];
}

/**
 * Patchline's CSV export puts a `'` before every formula start (export-service.ts, `cell`), so a
 * spreadsheet shows the text instead of running it; reading our own export back takes it off
 * again, and the value is stored as the text it was (never evaluated either way).
 */
const NEUTRALISED_FORMULA_START = /(^|[,;])([^\S\t\r]*)'(?=[=+\-@\t\r])/g;
const unneutralised = (cell: string) => cell.replace(NEUTRALISED_FORMULA_START, '$1$2');

function readCsvRows(text: string): NumberedRow[] {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parseCsv(text, {
      bom: true,
      delimiter: delimiterOf(text.replace(/^\uFEFF/, '')),
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
      // One more than allowed (with the header), so that "too many" is seen without reading on.
      to: IMPORT_LIMITS.maxRows + 2,
      max_record_size: IMPORT_LIMITS.maxCellChars * 4,
    }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  } catch (error) {
    throw new ImportError(
      ImportErrorReason.unreadable,
      `The CSV cannot be read: ${(error as Error).message}`,
    );
  }
  if (records.length > IMPORT_LIMITS.maxRows + 1) throw tooManyRows();
  return records.map(({ record, info }) => ({
    row: info.lines,
    cells: record.map((cell) => unneutralised(checkCell(cell, info.lines))),
  }));
}

/**
 * Inflates every part of the workbook once, counting bytes, and stops at the first byte past
 * `maxUnzippedBytes`: sizes a zip declares can lie, what comes out of the inflater cannot.
 */
async function checkZip(bytes: Uint8Array): Promise<void> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes, { checkCRC32: false });
  } catch (error) {
    throw new ImportError(
      ImportErrorReason.unreadable,
      `The .xlsx cannot be opened: ${(error as Error).message}`,
    );
  }
  const files = Object.values(zip.files).filter((file) => !file.dir);
  if (files.length > IMPORT_LIMITS.maxZipEntries) {
    throw new ImportError(
      ImportErrorReason.tooLarge,
      `The workbook has ${files.length} parts; too many to read`,
    );
  }
  let total = 0;
  const tooLarge = () =>
    new ImportError(
      ImportErrorReason.tooLarge,
      `The workbook unpacks to more than ${MB(IMPORT_LIMITS.maxUnzippedBytes)}; an import may unpack to at most that`,
    );
  for (const file of files) {
    await new Promise<void>((resolve, reject) => {
      const stream = file.nodeStream('nodebuffer');
      stream
        .on('data', (chunk: Uint8Array) => {
          total += chunk.length;
          if (total > IMPORT_LIMITS.maxUnzippedBytes) {
            stream.pause();
            stream.removeAllListeners('data');
            reject(tooLarge());
          }
        })
        .on('error', (error: Error) =>
          reject(new ImportError(ImportErrorReason.unreadable, `The .xlsx is damaged: ${error.message}`)),
        )
        .on('end', () => resolve());
    });
  }
}

const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;

/**
 * A cell as text. Formulas give their cached result only (never the formula, never evaluated);
 * dates give `YYYY-MM-DD`, or `h:mm:ss` for a time of day (a duration typed as 3:25); rich text
 * and hyperlinks their text.
 */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    const ms = value.getTime();
    if (ms >= EXCEL_EPOCH_MS && ms < EXCEL_EPOCH_MS + DAY_MS) {
      const seconds = Math.round((ms - EXCEL_EPOCH_MS) / 1000);
      const [h, m, s] = [Math.floor(seconds / 3600), Math.floor((seconds % 3600) / 60), seconds % 60];
      return h
        ? `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`
        : `${m}:${String(s).padStart(2, '0')}`;
    }
    return Number.isNaN(ms) ? '' : value.toISOString().slice(0, 10);
  }
  if (typeof value === 'object') {
    if ('result' in value || 'formula' in value || 'sharedFormula' in value) {
      const result = (value as { result?: ExcelJS.CellValue }).result;
      return result === undefined || (typeof result === 'object' && result !== null && 'error' in result)
        ? ''
        : cellText(result as ExcelJS.CellValue);
    }
    if ('richText' in value) return value.richText.map((part) => part.text).join('');
    if ('text' in value) return String((value as { text: unknown }).text ?? '');
    if ('error' in value) return '';
    return '';
  }
  return String(value);
}

async function readXlsxRows(bytes: Uint8Array): Promise<NumberedRow[]> {
  await checkZip(bytes);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch (error) {
    throw new ImportError(
      ImportErrorReason.unreadable,
      `The .xlsx cannot be read: ${(error as Error).message}`,
    );
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new ImportError(ImportErrorReason.noHeader, 'The workbook has no sheet');
  const rows: NumberedRow[] = [];
  let tooMany = false;
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (tooMany) return;
    if (rows.length > IMPORT_LIMITS.maxRows) {
      tooMany = true;
      return;
    }
    if (row.cellCount > IMPORT_LIMITS.maxColumns * 10) tooMany = true;
    const cells: string[] = [];
    row.eachCell({ includeEmpty: false }, (cell, column) => {
      if (column <= IMPORT_LIMITS.maxColumns + 1)
        cells[column - 1] = checkCell(cellText(cell.value), rowNumber);
    });
    rows.push({ row: rowNumber, cells: Array.from(cells, (cell) => cell ?? '') });
  });
  if (tooMany) throw tooManyRows();
  return rows;
}

/** The first row with any text is the header; the rows after it are the data. */
function tableOf(rows: NumberedRow[]): SheetTable {
  const nonEmpty = rows.filter((r) => r.cells.some((cell) => cell.trim()));
  const [header, ...data] = nonEmpty;
  if (!header) throw new ImportError(ImportErrorReason.noHeader, 'The file holds no rows');
  const width = Math.max(header.cells.length, ...data.map((r) => r.cells.length));
  if (width > IMPORT_LIMITS.maxColumns) {
    throw new ImportError(
      ImportErrorReason.tooLarge,
      `The file has ${width} columns; an import may have at most ${IMPORT_LIMITS.maxColumns}`,
    );
  }
  if (data.length > IMPORT_LIMITS.maxRows) throw tooManyRows();
  return {
    headers: Array.from({ length: width }, (_, i) => (header.cells[i] ?? '').trim()),
    rows: data.map((r) => Array.from({ length: width }, (_, i) => r.cells[i] ?? '')),
    rowNumbers: data.map((r) => r.row),
    headerRow: header.row,
  };
}
