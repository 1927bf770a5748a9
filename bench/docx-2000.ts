// The Word export at scale: GET /export?format=docx of the fixture chapter with 2,000 annotations
// (a third of them problems proposing a correction, so hundreds of tracked changes, and 400
// replies), full path: read the room (resolving every anchor), plan, write and pack the .docx,
// number the footnotes. Budget: < 2 s (issue 18). Also times the other document exports on the
// same room (plain text, errata, printable page). Prints figures; with --out writes them as JSON.
//   node --import tsx bench/docx-2000.ts [--annotations 2000] [--runs 7] [--seed 1] [--out file.json]
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { yXmlFragmentToProsemirrorJSON } from 'y-prosemirror';
import { annotationsMap, repliesMap } from '../schema/annotations/layout.ts';
import { exportDocx } from '../schema/exchange/export/docx/docx-export.ts';
import { exportErrataMarkdown } from '../schema/exchange/export/errata.ts';
import { DEFAULT_SELECTION } from '../schema/exchange/export/export-selection.ts';
import { exportPlainText } from '../schema/exchange/export/plain-text.ts';
import { exportPrintHtml } from '../schema/exchange/export/print/print-html.ts';
import { readRoomSnapshot } from '../schema/exchange/export/snapshot.ts';
import { unzipSync, strFromU8 } from 'fflate';
import { annotationsDocFor, chapterTextDoc, timeRuns } from './lib/export-fixture.ts';

const { values } = parseArgs({ options: { annotations: { type: 'string', default: '2000' }, runs: { type: 'string', default: '7' }, seed: { type: 'string', default: '1' }, out: { type: 'string' } } });
const COUNT = Number(values.annotations);
const RUNS = Math.max(5, Number(values.runs));

const textDoc = chapterTextDoc();
const annotationsDoc = annotationsDocFor(textDoc, COUNT, Number(values.seed));
const room = { id: 'chapter-5', title: 'Chapter 5' };
const options = { baseUrl: 'http://127.0.0.1:8080', exportedAt: new Date().toISOString() };
const snapshotOf = () => readRoomSnapshot({ room, chapter: yXmlFragmentToProsemirrorJSON(textDoc.getXmlFragment('prosemirror')), textDoc, annotationsDoc });
// Every kind and every status, as a translator would ask for the whole review.
const selection = { ...DEFAULT_SELECTION, includeResolved: true };
console.log(`room: ${annotationsMap(annotationsDoc).size} annotations, ${repliesMap(annotationsDoc).size} replies; ${RUNS} runs each, medians`);

const docx = await timeRuns(RUNS, () => exportDocx(snapshotOf(), { ...options, selection }));
const bytes = await exportDocx(snapshotOf(), { ...options, selection });
const parts = unzipSync(bytes);
const count = (part: string, pattern: RegExp) => (strFromU8(parts[part]!).match(pattern) ?? []).length;
const figures = {
  bytes: bytes.length,
  tracked_deletions: count('word/document.xml', /<w:del /g) + count('word/footnotes.xml', /<w:del /g),
  comments: count('word/comments.xml', /<w:comment /g),
};
console.log(`docx export: ${docx.median} ms (${docx.min}–${docx.max}), ${(bytes.length / 1e6).toFixed(2)} MB, ${figures.comments} comments, ${figures.tracked_deletions} deleted runs`);

const text = await timeRuns(RUNS, () => exportPlainText(snapshotOf()));
const errata = await timeRuns(RUNS, () => exportErrataMarkdown(snapshotOf(), options));
const print = await timeRuns(RUNS, () => exportPrintHtml(snapshotOf(), { ...options, selection }));
console.log(`text: ${text.median} ms; errata: ${errata.median} ms; printable page: ${print.median} ms`);

const result = {
  annotations: annotationsMap(annotationsDoc).size,
  replies: repliesMap(annotationsDoc).size,
  runs: RUNS,
  budget_ms: 2000,
  apparatus: { docx_ms: docx.median, text_ms: text.median, errata_ms: errata.median, print_ms: print.median, ...figures },
  spread: { docx, text, errata, print },
};
if (values.out) writeFileSync(values.out, `${JSON.stringify(result, null, 2)}\n`);
