import { describe, expect, it } from 'vitest';
import { exportCsv, CSV_COLUMNS } from '../../schema/exchange/export/csv.ts';
import { formatCsv, neutraliseFormula, quoteCsvField } from '../../schema/exchange/export/csv-format.ts';
import { sampleRoom, snapshotOf } from '../helpers/export-builders.ts';

/** A strict RFC 4180 reader: CRLF records, quoted fields with doubled quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"' && text[i + 1] === '"') (field += '"'), (i += 2);
        else if (text[i] === '"') {
          i++;
          break;
        } else field += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r') {
        if (text[i] === '"' || text[i] === '\n') throw new Error(`bare ${JSON.stringify(text[i])} in an unquoted field at ${i}`);
        field += text[i++];
      }
    }
    row.push(field);
    if (text[i] === ',') i++;
    else if (text.startsWith('\r\n', i)) {
      rows.push(row);
      row = [];
      i += 2;
    } else throw new Error(`expected , or CRLF at ${i}`);
  }
  return rows;
}

describe('CSV export', () => {
  it('neutralises every cell that a spreadsheet would run as a formula', () => {
    for (const trigger of ['=', '+', '-', '@', '\t', '\r']) {
      expect(neutraliseFormula(`${trigger}SUM(A1)`)).toBe(`'${trigger}SUM(A1)`);
    }
    expect(neutraliseFormula('plain')).toBe('plain');
    expect(neutraliseFormula('')).toBe('');
    expect(neutraliseFormula('a=b')).toBe('a=b');
  });

  it('quotes fields with commas, quotes, CR or LF and doubles inner quotes (RFC 4180)', () => {
    expect(quoteCsvField('a,b')).toBe('"a,b"');
    expect(quoteCsvField('say "hi"')).toBe('"say ""hi"""');
    expect(quoteCsvField('two\nlines')).toBe('"two\nlines"');
    expect(quoteCsvField('cr\rhere')).toBe('"cr\rhere"');
    expect(quoteCsvField('simple')).toBe('simple');
    expect(formatCsv([['a', 'b'], ['c', 'd']])).toBe('a,b\r\nc,d\r\n');
  });

  it('writes a header and one row per annotation that a strict reader reads back cell for cell', () => {
    const snapshot = snapshotOf(sampleRoom());
    const rows = parseCsv(exportCsv(snapshot));
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(snapshot.annotations.length + 1);
    expect(rows.every((r) => r.length === CSV_COLUMNS.length)).toBe(true);
    const byId = new Map(rows.slice(1).map((r) => [r[0], r]));
    const typo = snapshot.annotations.find((a) => a.annotation.correction === 'doubled')!;
    const typoRow = byId.get(typo.annotation.id)!;
    expect(typoRow[CSV_COLUMNS.indexOf('note')]).toBe('Typo, "quoted", with, commas\nand a newline');
    expect(typoRow[CSV_COLUMNS.indexOf('quote')]).toBe('doubled doubled');
    expect(typoRow[CSV_COLUMNS.indexOf('problem_type')]).toBe('typo');
  });

  it('neutralises the formulas hidden in notes', () => {
    const rows = parseCsv(exportCsv(snapshotOf(sampleRoom())));
    const notes = rows.slice(1).map((r) => r[CSV_COLUMNS.indexOf('note')]!);
    expect(notes).toContain(`'=HYPERLINK("http://evil")`);
    expect(notes).toContain(`'@mention +1 -1`);
    expect(notes.filter((n) => /^[=+\-@\t\r]/.test(n))).toEqual([]);
  });

  it('lists linked footnotes, counts replies, and gives the anchor state and current quote', () => {
    const snapshot = snapshotOf(sampleRoom());
    const rows = parseCsv(exportCsv(snapshot)).slice(1);
    const column = (name: (typeof CSV_COLUMNS)[number]) => rows.map((r) => r[CSV_COLUMNS.indexOf(name)]);
    expect(column('footnotes')).toContain('1');
    expect(column('replies')).toContain('2');
    expect(column('anchor_state')).toContain('orphaned');
    expect(column('quote')).toContain('sits there, and a');
  });

  it('starts with a byte order mark only when asked to', () => {
    const snapshot = snapshotOf(sampleRoom());
    expect(exportCsv(snapshot).startsWith('id,')).toBe(true);
    expect(exportCsv(snapshot, { byteOrderMark: true }).startsWith('\uFEFFid,')).toBe(true);
  });
});
