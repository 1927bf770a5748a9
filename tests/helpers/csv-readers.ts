import { spawnSync } from 'node:child_process';

/**
 * Two ways researchers open the CSV export, for tests: a strict RFC 4180 reader with
 * LibreOffice Calc's default typing of cells, and pandas (when a python3 with pandas is
 * installed: scripts/setup.mjs installs Debian's python3-pandas).
 */

/** A strict RFC 4180 reader: CRLF records, quoted fields with doubled quotes; a leading BOM is dropped. */
export function parseCsv(text: string): string[][] {
  if (text.startsWith('\uFEFF')) text = text.slice(1);
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

/** A cell as a spreadsheet holds it after import. */
export type SheetCell = { type: 'text'; value: string } | { type: 'number'; value: number } | { type: 'boolean'; value: boolean } | { type: 'formula'; value: string };

// LibreOffice Calc's CSV import with its defaults (en-US, "Format quoted field as text" off,
// "Detect special numbers" off, "Evaluate formulas" on as in LibreOffice 7.x and later):
// quoting does not make a field text, a plain decimal number becomes a number, TRUE/FALSE
// become booleans, and a field starting with "=" becomes a formula.
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Types one CSV field the way LibreOffice Calc's CSV import does by default. */
export function libreOfficeCell(field: string): SheetCell {
  if (field.startsWith('=')) return { type: 'formula', value: field };
  if (PLAIN_NUMBER.test(field)) return { type: 'number', value: Number(field) };
  if (/^(true|false)$/i.test(field)) return { type: 'boolean', value: field.toLowerCase() === 'true' };
  return { type: 'text', value: field };
}

/** The first python3 that can import pandas, or null. */
export function pythonWithPandas(): string | null {
  for (const python of [process.env.PYTHON, 'python3', '/usr/bin/python3'].filter((p): p is string => !!p)) {
    const probe = spawnSync(python, ['-c', 'import pandas'], { encoding: 'utf8', timeout: 60_000 });
    if (probe.status === 0) return python;
  }
  return null;
}

/** What pandas makes of a CSV file: each column's dtype and its values as pandas shows them (`str(value)`). */
export interface PandasTable {
  dtypes: Record<string, string>;
  rows: Record<string, string>[];
}

const PANDAS_SCRIPT = `
import json, sys
import pandas as pd
frame = pd.read_csv(sys.argv[1], encoding="utf-8-sig", keep_default_na=True)
rows = [{c: ("" if pd.isna(v) else str(v)) for c, v in row.items()} for row in frame.to_dict(orient="records")]
print(json.dumps({"dtypes": {c: str(t) for c, t in frame.dtypes.items()}, "rows": rows}))
`;

/** Reads a CSV file with `pandas.read_csv` (defaults, UTF-8 with an optional BOM). */
export function readWithPandas(python: string, file: string): PandasTable {
  const run = spawnSync(python, ['-c', PANDAS_SCRIPT, file], { encoding: 'utf8', timeout: 120_000 });
  if (run.status !== 0) throw new Error(`pandas failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as PandasTable;
}
