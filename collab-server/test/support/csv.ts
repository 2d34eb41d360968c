/** RFC 4180 reading (quoted fields, `""`, CRLF rows), to check what a spreadsheet would see. */
export function parseCsv(text: string): string[][] {
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

/** What spreadsheets run as a formula when a cell starts with it (OWASP, "CSV Injection"). */
const FORMULA_TRIGGERS = ['=', '+', '-', '@', '\t', '\r'];

/**
 * The would-be cells of a field that a spreadsheet would evaluate: the field itself and every
 * piece after a `,` or `;` (the separator of some locales, and of "text to columns"), each read
 * past leading spaces and newlines (tabs and CRs are triggers themselves).
 */
export function formulaStarts(field: string): string[] {
  return field.split(/[,;]/).filter((piece) => {
    const start = piece.replace(/^[^\S\t\r]*/, '');
    return FORMULA_TRIGGERS.some((trigger) => start.startsWith(trigger));
  });
}
