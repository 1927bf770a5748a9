/**
 * RFC 4180 serialisation with spreadsheet-formula neutralisation, independent of what the
 * rows mean (the annotation columns live in `exchange/export/csv.ts`).
 */

/** Characters that make a spreadsheet read a cell as a formula (or a DDE command). */
const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r']);

/**
 * Returns the cell text with a leading `'` when it would start a spreadsheet formula
 * (`=`, `+`, `-`, `@`, tab or carriage return), so that Excel, LibreOffice and Google
 * Sheets show it as text instead of evaluating it (OWASP "CSV injection").
 */
export function neutraliseFormula(cell: string): string {
  return cell.length > 0 && FORMULA_TRIGGERS.has(cell[0]!) ? `'${cell}` : cell;
}

/**
 * Quotes one field as RFC 4180 requires: wrapped in double quotes, inner quotes doubled,
 * when it contains a comma, a double quote, CR or LF; otherwise unchanged.
 */
export function quoteCsvField(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
}

/** Serialises rows of cells to CSV text: neutralised, quoted, CRLF after every record. */
export function formatCsv(rows: readonly (readonly string[])[]): string {
  let out = '';
  for (const row of rows) {
    out += row.map((cell) => quoteCsvField(neutraliseFormula(cell))).join(',') + '\r\n';
  }
  return out;
}
