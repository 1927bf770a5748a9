import { describe, expect, it } from 'vitest';
import { gradebookCsv, GRADEBOOK_COLUMNS, participationRows } from '../../schema/index.ts';
import { libreOfficeCell, parseCsv } from '../helpers/csv-readers.ts';
import { readAnnotationOf } from '../helpers/overview-builders.ts';

describe('the gradebook CSV', () => {
  const rows = participationRows([
    readAnnotationOf({ by: 'u-1', name: '=HYPERLINK("http://evil.example","click")', status: 'sourced', at: 1 }),
    readAnnotationOf({ by: 'u-2', name: 'Smith, "Jo"', kind: 'problem', at: 2 }),
    readAnnotationOf({ by: 'u-3', name: '@SUM(A1:A9)', kind: 'comment', at: 3 }),
  ]);
  const csv = gradebookCsv(rows, { byteOrderMark: true });
  const table = parseCsv(csv.replace(/^\uFEFF/, ''));

  it('has a header of plain words and one row per person', () => {
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(table[0]).toEqual(GRADEBOOK_COLUMNS.map((c) => c.header));
    expect(table).toHaveLength(4);
  });

  it('keeps names with commas and quotes in one cell', () => {
    const jo = table.find((row) => row[1] === 'u-2')!;
    expect(jo[0]).toBe('Smith, "Jo"');
    expect(jo.slice(2, 13)).toEqual(['1', '0', '0', '0', '0', '1', '0', '0', '0', '0', '0']);
  });

  it('neutralises cells a spreadsheet would run as formulas', () => {
    for (const row of table.slice(1)) for (const field of row) expect(libreOfficeCell(field).type, field).not.toBe('formula');
    const names = table.slice(1).map((row) => row[0]);
    expect(names).toContain(`'=HYPERLINK("http://evil.example","click")`);
    expect(names).toContain(`'@SUM(A1:A9)`);
  });

  it('writes counts a spreadsheet reads as numbers', () => {
    const first = table[1]!;
    for (const cell of first.slice(2, 13)) expect(libreOfficeCell(cell).type).toBe('number');
  });
});
