// Export and import at scale: native, W3C, TEI and CSV export of a room with 10,000 annotations (the
// budget in docs/performance.md is < 300 ms), and import throughput of the native file into an
// empty room. Prints figures and writes bench/results/export-10000.json.
//   node --import tsx bench/export-10000.ts [--annotations 10000] [--runs 7] [--seed 1]
import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { annotationsMap, repliesMap } from '../schema/annotations/layout.ts';
import { exportNative } from '../schema/exchange/export/native.ts';
import { exportW3C } from '../schema/exchange/export/w3c.ts';
import { exportCsv } from '../schema/exchange/export/csv.ts';
import { exportCsvZip } from '../schema/exchange/export/csv-zip.ts';
import { exportTei } from '../schema/exchange/export/tei/tei.ts';
import { readRoomSnapshot } from '../schema/exchange/export/snapshot.ts';
import { applyImport } from '../schema/exchange/import/apply.ts';
import { DEFAULT_IMPORT_LIMITS } from '../schema/exchange/import/limits.ts';
import { importParseContextOfDoc } from '../schema/exchange/import/native.ts';
import { parseImport } from '../schema/exchange/import/parse.ts';
import { yXmlFragmentToProsemirrorJSON } from 'y-prosemirror';
import { annotationsDocFor, chapterTextDoc, timeRuns } from './lib/export-fixture.ts';

const root = path.resolve(import.meta.dirname, '..');
const argument = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const COUNT = argument('annotations', 10_000);
const RUNS = Math.max(5, argument('runs', 7));
const SEED = argument('seed', 1);

function gitCommit(): string {
  try {
    return execSync('git rev-parse --short HEAD', { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

const textDoc = chapterTextDoc();
const annotationsDoc = annotationsDocFor(textDoc, COUNT, SEED);
const room = { id: 'chapter-5', title: 'Chapter 5' };
const options = { baseUrl: 'http://127.0.0.1:8080', exportedAt: new Date().toISOString() };
const snapshotOf = () => readRoomSnapshot({ room, chapter: yXmlFragmentToProsemirrorJSON(textDoc.getXmlFragment('prosemirror')), textDoc, annotationsDoc });
console.log(`room: ${annotationsMap(annotationsDoc).size} annotations, ${repliesMap(annotationsDoc).size} replies; ${RUNS} runs each, medians`);

// The full path of GET /export: read the room (resolving every anchor), export, serialise.
const snapshot = await timeRuns(RUNS, snapshotOf);
const nativeRun = await timeRuns(RUNS, () => JSON.stringify(exportNative(snapshotOf(), options)));
const w3cRun = await timeRuns(RUNS, () => JSON.stringify(exportW3C(snapshotOf(), options)));
const nativeText = JSON.stringify(exportNative(snapshotOf(), options));
const w3cText = JSON.stringify(exportW3C(snapshotOf(), options));
console.log(`read room (resolve ${COUNT} anchors): ${snapshot.median} ms`);
console.log(`native export: ${nativeRun.median} ms (${nativeRun.min}–${nativeRun.max}), ${(nativeText.length / 1e6).toFixed(1)} MB`);
console.log(`W3C export:    ${w3cRun.median} ms (${w3cRun.min}–${w3cRun.max}), ${(w3cText.length / 1e6).toFixed(1)} MB`);
const teiRun = await timeRuns(RUNS, () => exportTei(snapshotOf(), options));
const csvRun = await timeRuns(RUNS, () => exportCsv(snapshotOf(), { byteOrderMark: true }));
const csvZipRun = await timeRuns(RUNS, () => exportCsvZip(snapshotOf(), options));
const teiBytes = Buffer.byteLength(exportTei(snapshotOf(), options));
const csvZipBytes = exportCsvZip(snapshotOf(), options).byteLength;
console.log(`TEI export:    ${teiRun.median} ms (${teiRun.min}–${teiRun.max}), ${(teiBytes / 1e6).toFixed(1)} MB`);
console.log(`CSV export:    ${csvRun.median} ms (${csvRun.min}–${csvRun.max}); both tables zipped: ${csvZipRun.median} ms, ${(csvZipBytes / 1e6).toFixed(1)} MB`);

// Import: parse + validate + anchor + write the native file into an empty room.
let imported = 0;
const importRun = await timeRuns(RUNS, () => {
  const target = new Y.Doc();
  const parsed = parseImport(nativeText, importParseContextOfDoc(textDoc, DEFAULT_IMPORT_LIMITS));
  if (!parsed.ok) throw new Error(parsed.error.message);
  const report = applyImport(parsed.plan, textDoc, target, { actor: { userId: 'u-owner', name: 'Owner' }, now: new Date().toISOString(), dryRun: false });
  if (report.refused.length > 0) throw new Error(`refused: ${JSON.stringify(report.refused.slice(0, 3))}`);
  imported = report.imported;
});
const perSecond = Math.round(imported / (importRun.median / 1000));
console.log(`native import into an empty room: ${importRun.median} ms for ${imported} annotations = ${perSecond} annotations/s`);

const result = {
  scenario: 'export-10000',
  date: new Date().toISOString(),
  machine: { cores: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', platform: `${os.platform()} ${os.arch()}` },
  node: process.version,
  commit: gitCommit(),
  annotations: annotationsMap(annotationsDoc).size,
  replies: repliesMap(annotationsDoc).size,
  runs: RUNS,
  budgetMs: 300,
  apparatus: {
    ms: Math.max(nativeRun.median, w3cRun.median),
    native_ms: nativeRun.median,
    w3c_ms: w3cRun.median,
    read_room_ms: snapshot.median,
    native_bytes: Buffer.byteLength(nativeText),
    w3c_bytes: Buffer.byteLength(w3cText),
    tei_ms: teiRun.median,
    tei_bytes: teiBytes,
    csv_ms: csvRun.median,
    csv_zip_ms: csvZipRun.median,
    csv_zip_bytes: csvZipBytes,
    import_ms: importRun.median,
    import_annotations_per_s: perSecond,
  },
  spread: { native: nativeRun, w3c: w3cRun, tei: teiRun, csv: csvRun, csvZip: csvZipRun, readRoom: snapshot, import: importRun },
};
const out = path.join(root, 'bench/results/export-10000.json');
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
console.log(`wrote ${path.relative(root, out)}`);
