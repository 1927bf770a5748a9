// Anchor resolution benchmark (issue 4, item 7). On the real chapter (fixtures/chapter-5.txt):
//
//   1. a one-character remote edit reaching a replica whose AnchorIndex holds 2,000
//      annotations: time from Y.applyUpdate to the index's change event (median, p95; Yjs
//      decoding included), next to the same update applied to a replica without an index;
//   2. the same edits, all in the paragraph holding the most annotations (the worst case);
//   3. the same edits after 8 annotated paragraphs were deleted (hundreds of orphans, whose
//      quotes the index must keep an eye on);
//   4. a full resolution of 5,000 anchors (resolveAnchors), and building an AnchorIndex over them.
//
// Prints the figures and writes bench/results/anchor-resolution.json.
//   node --import tsx bench/anchor-resolution.ts [--edits 400] [--repeat 7]
import { execSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as Y from 'yjs';
import { prosemirrorToYXmlFragment } from 'y-prosemirror';
import { BlockTable } from '../schema/anchoring/block-table.ts';
import { createAnchorFromTextRange } from '../schema/anchoring/create-anchor.ts';
import { AnchorIndex } from '../schema/anchoring/anchor-index.ts';
import { resolveAnchors } from '../schema/anchoring/resolve.ts';
import { listAnnotations } from '../schema/annotations/layout.ts';
import type { OperationContext } from '../schema/annotations/operation-context.ts';
import { createAnnotation } from '../schema/annotations/operations.ts';
import { chapterFromJSON } from '../schema/chapter/chapter-schema.ts';
import { importChapter } from '../schema/chapter/importer.ts';
import { mulberry32 } from '../tests/helpers/convergence-fuzz.ts';

const { values } = parseArgs({ options: { edits: { type: 'string', default: '400' }, repeat: { type: 'string', default: '7' } } });
const EDITS = Number(values.edits);
const REPEAT = Number(values.repeat);
const WARMUP = 50;
/** The origin of the benchmark's own text writes (standing in for a remote owner's editor). */
const BENCH_ORIGIN = 'anchor-resolution-bench';
const root = path.resolve(import.meta.dirname, '..');
const random = mulberry32(2025);
const context: OperationContext = { actor: { userId: 'u-bench', name: 'Bench' }, now: () => new Date('2025-01-01T00:00:00.000Z') };

function chapterTextDoc(clientID: number): Y.Doc {
  const imported = importChapter(readFileSync(path.join(root, 'fixtures/chapter-5.txt'), 'utf8'));
  if (!imported.ok) throw new Error(imported.error);
  const ydoc = new Y.Doc();
  ydoc.clientID = clientID;
  prosemirrorToYXmlFragment(chapterFromJSON(imported.doc), ydoc.getXmlFragment('prosemirror'));
  return ydoc;
}

/** Annotates `count` random word-sized ranges (2–12 words) of the chapter. */
function annotate(textDoc: Y.Doc, count: number): Y.Doc {
  const annotations = new Y.Doc();
  annotations.clientID = 77;
  const table = new BlockTable(textDoc.getXmlFragment('prosemirror'));
  const text = table.fullText();
  const wordStarts = [...text.matchAll(/\S+/g)].map((m) => m.index);
  while (listAnnotationsCount(annotations) < count) {
    const first = Math.floor(random() * (wordStarts.length - 13));
    const start = wordStarts[first]!;
    const end = wordStarts[first + 2 + Math.floor(random() * 10)]! - 1;
    const anchor = createAnchorFromTextRange(table, { start, end });
    if (anchor.ok) createAnnotation(annotations, { kind: 'comment', note: 'bench', anchor: anchor.value }, context);
  }
  return annotations;
}

function listAnnotationsCount(doc: Y.Doc): number {
  return doc.getMap('annotations').size;
}

function replica(source: Y.Doc, clientID: number): Y.Doc {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(source));
  return doc;
}

/** Inserts one character at a random place of a random (or the given) block's runs; returns the update. */
function oneCharacterEdit(writer: Y.Doc, blockIndex: number | null): Uint8Array {
  const fragment = writer.getXmlFragment('prosemirror');
  const blocks = fragment.toArray().filter((b): b is Y.XmlElement => b instanceof Y.XmlElement);
  const block = blocks[blockIndex ?? Math.floor(random() * blocks.length)]!;
  const runs = block.toArray().filter((c): c is Y.XmlText => c instanceof Y.XmlText && c.length > 0);
  let update: Uint8Array | null = null;
  const capture = (u: Uint8Array) => (update = u);
  writer.once('update', capture);
  writer.transact(() => {
    if (runs.length === 0) block.insert(0, [new Y.XmlText('x')]);
    else {
      const run = runs[Math.floor(random() * runs.length)]!;
      run.insert(Math.floor(random() * (run.length + 1)), 'x');
    }
  }, BENCH_ORIGIN);
  return update!;
}

function stats(samples: number[]): { median: number; p95: number; min: number; max: number; n: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const round = (x: number) => Number(x.toFixed(3));
  return { median: round(at(0.5)), p95: round(at(0.95)), min: round(sorted[0]!), max: round(sorted.at(-1)!), n: sorted.length };
}

/** Times remote one-character edits into a replica with an index and one without. */
function remoteEdits(textDoc: Y.Doc, annotationsDoc: Y.Doc, blockIndex: number | null) {
  const writer = replica(textDoc, 11);
  const indexed = replica(textDoc, 12);
  const plain = replica(textDoc, 13);
  const index = new AnchorIndex(indexed, replica(annotationsDoc, 14));
  let reached = 0;
  index.onChange(() => (reached = performance.now()));
  const withIndex: number[] = [];
  const withoutIndex: number[] = [];
  let reResolved = 0;
  index.onChange((change) => (reResolved += change.changed.length));
  // The first WARMUP edits let the JIT settle and are not recorded.
  for (let i = 0; i < WARMUP + EDITS; i++) {
    const update = oneCharacterEdit(writer, blockIndex);
    const t0 = performance.now();
    Y.applyUpdate(plain, update);
    const plainMs = performance.now() - t0;
    const t1 = performance.now();
    Y.applyUpdate(indexed, update);
    if (i < WARMUP) continue;
    withoutIndex.push(plainMs);
    withIndex.push(reached - t1);
  }
  index.destroy();
  return { withIndex: stats(withIndex), yjsApplyOnly: stats(withoutIndex), changedPerEdit: Number((reResolved / (WARMUP + EDITS)).toFixed(1)) };
}

/** A copy of the text document with `count` paragraphs deleted (every third, from the tenth block on). */
function deleteParagraphs(textDoc: Y.Doc, count: number): Y.Doc {
  const copy = replica(textDoc, 21);
  const fragment = copy.getXmlFragment('prosemirror');
  copy.transact(() => {
    for (let i = 0; i < count; i++) fragment.delete(10 + i * 3, 1);
  }, BENCH_ORIGIN);
  return copy;
}

function busiestBlock(textDoc: Y.Doc, annotationsDoc: Y.Doc): { index: number; annotations: number } {
  const table = new BlockTable(textDoc.getXmlFragment('prosemirror'));
  const counts = new Map<number, number>();
  for (const resolution of resolveAnchors(textDoc, listAnnotations(annotationsDoc)).values()) {
    if (resolution.start === null) continue;
    const point = table.pointAtTextOffset(resolution.start, 'start');
    const i = table.indexOf(point.block);
    counts.set(i, (counts.get(i) ?? 0) + 1);
  }
  const [index, annotations] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
  return { index, annotations };
}

function timeRepeated(fn: () => void): ReturnType<typeof stats> {
  const samples: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return stats(samples);
}

function gitCommit(): string | null {
  try {
    return execSync('git rev-parse --short HEAD', { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return null;
  }
}

const textDoc = chapterTextDoc(1);
const text = new BlockTable(textDoc.getXmlFragment('prosemirror')).fullText();
console.log(`chapter: ${text.length} characters, ${textDoc.getXmlFragment('prosemirror').length} blocks`);

const with2000 = annotate(textDoc, 2_000);
const spread = remoteEdits(textDoc, with2000, null);
const busiest = busiestBlock(textDoc, with2000);
const hotspot = remoteEdits(textDoc, with2000, busiest.index);
console.log(`remote 1-char edit, 2,000 annotations, random blocks: index ${spread.withIndex.median} ms median / ${spread.withIndex.p95} ms p95 (Yjs alone ${spread.yjsApplyOnly.median} / ${spread.yjsApplyOnly.p95})`);
console.log(`remote 1-char edit, 2,000 annotations, busiest block (${busiest.annotations} annotations): index ${hotspot.withIndex.median} ms median / ${hotspot.withIndex.p95} ms p95`);

const damaged = deleteParagraphs(textDoc, 8);
const orphans = [...resolveAnchors(damaged, listAnnotations(with2000)).values()].filter((r) => r.state === 'orphaned').length;
const withOrphans = remoteEdits(damaged, with2000, null);
console.log(`remote 1-char edit, 2,000 annotations of which ${orphans} orphaned: index ${withOrphans.withIndex.median} ms median / ${withOrphans.withIndex.p95} ms p95`);

const with5000 = annotate(textDoc, 5_000);
const annotations5000 = listAnnotations(with5000);
const full = timeRepeated(() => resolveAnchors(textDoc, annotations5000));
const build = timeRepeated(() => new AnchorIndex(textDoc, with5000).destroy());
console.log(`full resolution of 5,000 anchors: ${full.median} ms median (${full.min}–${full.max}); building an AnchorIndex over them: ${build.median} ms median`);

const result = {
  scenario: 'anchor-resolution',
  date: new Date().toISOString(),
  machine: { cores: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', platform: `${os.platform()} ${os.arch()}` },
  node: process.version,
  yjs: JSON.parse(readFileSync(path.join(root, 'node_modules/yjs/package.json'), 'utf8')).version as string,
  commit: gitCommit(),
  chapter: { characters: text.length, blocks: textDoc.getXmlFragment('prosemirror').length },
  edits: EDITS,
  repeat: REPEAT,
  remoteEdit2000: {
    randomBlocks: spread,
    busiestBlock: { ...hotspot, annotationsInBlock: busiest.annotations },
    afterParagraphDeletions: { ...withOrphans, orphans },
  },
  targetMs: 5,
  fullResolution5000: full,
  buildIndex5000: build,
};
const out = path.join(root, 'bench/results/anchor-resolution.json');
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
console.log(`wrote ${path.relative(root, out)}`);
