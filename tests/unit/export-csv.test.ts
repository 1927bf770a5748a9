import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { exportCsv, exportReplyCsv, CSV_COLUMNS, REPLY_CSV_COLUMNS } from '../../schema/exchange/export/csv.ts';
import { CSV_ZIP_ENTRIES, exportCsvZip } from '../../schema/exchange/export/csv-zip.ts';
import { formatCsv, neutraliseFormula, quoteCsvField } from '../../schema/exchange/export/csv-format.ts';
import { EXPORT_OPTIONS, HOSTILE_TEXT, overlappingRoom, sampleRoom, snapshotOf } from '../helpers/export-builders.ts';
import { libreOfficeCell, parseCsv, pythonWithPandas, readWithPandas } from '../helpers/csv-readers.ts';

const PYTHON = pythonWithPandas();
// TextDecoder drops a leading BOM unless told not to; the test must see it.
const utf8 = (bytes: Uint8Array) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
const PANDAS_SKIP = 'not run: no python3 with pandas (scripts/setup.mjs installs Debian’s python3-pandas for `npm test`)';

/** The rows of the annotations table as objects keyed by column. */
function records(csv: string, columns: readonly string[]): Record<string, string>[] {
  const [header, ...rows] = parseCsv(csv);
  expect(header).toEqual([...columns]);
  return rows.map((row) => {
    expect(row).toHaveLength(columns.length);
    return Object.fromEntries(columns.map((c, i) => [c, row[i]!]));
  });
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
    const rows = records(exportCsv(snapshot), CSV_COLUMNS);
    expect(rows).toHaveLength(snapshot.annotations.length);
    const typo = snapshot.annotations.find((a) => a.annotation.correction === 'doubled')!;
    const typoRow = rows.find((r) => r.id === typo.annotation.id)!;
    expect(typoRow.note).toBe('Typo, "quoted", with, commas\nand a newline');
    expect(typoRow.quote).toBe('doubled doubled');
    expect(typoRow.problem_type).toBe('typo');
  });

  it('names people by id and name, says who set the status and when, and marks assistant suggestions', () => {
    const rows = records(exportCsv(snapshotOf(sampleRoom())), CSV_COLUMNS);
    const resolved = rows.find((r) => r.status === 'resolved')!;
    expect([resolved.status_by_id, resolved.status_by, resolved.status_at]).toEqual(['u-owner', 'Owner', '2024-05-04T10:00:00.000Z']);
    expect(rows.every((r) => r.author_id === 'u-alice' && r.author === 'Alice')).toBe(true);
    expect(rows.filter((r) => r.suggested_by_assistant === 'true').map((r) => r.quote)).toEqual(['Critics disagreed']);
    expect(new Set(rows.map((r) => r.suggested_by_assistant))).toEqual(new Set(['true', 'false']));
    expect(rows.find((r) => r.status === 'applied')!.applied_original).toBe('congres');
  });

  it('gives the original page each passage starts on, and none for an orphan', () => {
    const rows = records(exportCsv(snapshotOf(sampleRoom())), CSV_COLUMNS);
    // The sample chapter's only page break (page 12) falls inside "Critics |12|disagreed".
    expect(rows.find((r) => r.quote === 'Critics disagreed')!.page).toBe('11');
    expect(rows.find((r) => r.quote === 'sits there, and a')!.page).toBe('12');
    expect(rows.find((r) => r.anchor_state === 'orphaned')!.page).toBe('');
    // A footnote was printed on the page of its marker: note 1's marker stands before the break.
    const withNote = records(exportCsv(snapshotOf(overlappingRoom())), CSV_COLUMNS);
    expect(withNote.find((r) => r.quote === 'Master of the House')!.page).toBe('11');
  });

  it('writes footnotes as text a spreadsheet keeps (fn 1), never as a bare number', () => {
    const rows = records(exportCsv(snapshotOf(sampleRoom())), CSV_COLUMNS);
    expect(rows.map((r) => r.footnotes).filter(Boolean).sort()).toEqual(['fn 1', 'fn 2']);
    for (const row of rows) expect(libreOfficeCell(row.footnotes).type).toBe('text');
  });

  it('neutralises the formulas hidden in notes, corrections, names and replies', () => {
    const snapshot = snapshotOf(overlappingRoom());
    const cells = [...parseCsv(exportCsv(snapshot)), ...parseCsv(exportReplyCsv(snapshot))].flat();
    expect(cells).toContain(`'=HYPERLINK("http://evil")`);
    expect(cells).toContain(`'@mention +1 -1`);
    expect(cells).toContain(`'-starts with a minus`);
    expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
    expect(cells.map(libreOfficeCell).filter((c) => c.type === 'formula')).toEqual([]);
  });

  it('writes a replies table: one row per reply with its annotation, author id and name, times and body', () => {
    const snapshot = snapshotOf(sampleRoom());
    const rows = records(exportReplyCsv(snapshot), REPLY_CSV_COLUMNS);
    const replies = snapshot.annotations.flatMap((a) => a.replies);
    expect(rows).toHaveLength(replies.length);
    const carol = rows.find((r) => r.author_id === 'u-carol')!;
    expect(carol).toMatchObject({ author: 'Carol', created: '2024-05-02T10:00:00.000Z', modified: '2024-05-02T11:00:00.000Z', body: 'Second reply 𝔊.' });
    const parent = snapshot.annotations.find((a) => a.replies.some((r) => r.authorId === 'u-carol'))!;
    expect(carol.annotation_id).toBe(parent.annotation.id);
  });

  it('zips both tables, each with a byte order mark, identically for the same state and time', () => {
    const snapshot = snapshotOf(sampleRoom());
    const zip = exportCsvZip(snapshot, EXPORT_OPTIONS);
    const files = unzipSync(zip);
    expect(Object.keys(files).sort()).toEqual([CSV_ZIP_ENTRIES.annotations, CSV_ZIP_ENTRIES.replies]);
    expect(utf8(files[CSV_ZIP_ENTRIES.annotations]!)).toBe(exportCsv(snapshot, { byteOrderMark: true }));
    expect(utf8(files[CSV_ZIP_ENTRIES.replies]!)).toBe(exportReplyCsv(snapshot, { byteOrderMark: true }));
    expect(exportCsvZip(snapshot, EXPORT_OPTIONS)).toEqual(zip);
  });

  it('starts with a byte order mark only when asked to', () => {
    const snapshot = snapshotOf(sampleRoom());
    expect(exportCsv(snapshot).startsWith('id,')).toBe(true);
    expect(exportCsv(snapshot, { byteOrderMark: true }).startsWith('\uFEFFid,')).toBe(true);
  });

  it.skipIf(PYTHON === null)(PYTHON === null ? `opens in pandas (${PANDAS_SKIP})` : 'opens in pandas: every row and reply, footnotes as text, formulas neutralised', () => {
    const snapshot = snapshotOf(overlappingRoom());
    const dir = mkdtempSync(path.join(tmpdir(), 'csv-'));
    const files = unzipSync(exportCsvZip(snapshot, EXPORT_OPTIONS));
    for (const [name, bytes] of Object.entries(files)) writeFileSync(path.join(dir, name), bytes);
    const annotations = readWithPandas(PYTHON!, path.join(dir, CSV_ZIP_ENTRIES.annotations));
    expect(Object.keys(annotations.dtypes)).toEqual([...CSV_COLUMNS]);
    expect(annotations.rows).toHaveLength(snapshot.annotations.length);
    expect(annotations.dtypes.footnotes).toBe('object');
    expect(annotations.rows.map((r) => r.footnotes).filter(Boolean).sort()).toEqual(['fn 1', 'fn 2']);
    expect(annotations.rows.map((r) => r.id)).toEqual(snapshot.annotations.map((a) => a.annotation.id));
    const hostile = annotations.rows.find((r) => r.author_id === 'u-mallory')!;
    expect(hostile.author).toBe('<b>Mallory</b> & "Co"');
    // Cell for cell, but the lone surrogate, which UTF-8 cannot encode, arrives as U+FFFD.
    expect(hostile.note).toBe(HOSTILE_TEXT.replace('\ud800', '\uFFFD'));
    const replies = readWithPandas(PYTHON!, path.join(dir, CSV_ZIP_ENTRIES.replies));
    expect(Object.keys(replies.dtypes)).toEqual([...REPLY_CSV_COLUMNS]);
    expect(replies.rows.map((r) => r.body)).toContain("'-starts with a minus");
    expect(replies.rows).toHaveLength(snapshot.annotations.flatMap((a) => a.replies).length);
  }, 120_000);
});
