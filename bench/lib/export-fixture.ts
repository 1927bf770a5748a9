import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as Y from 'yjs';
import { prosemirrorJSONToYXmlFragment } from 'y-prosemirror';
import { BlockTable } from '../../schema/anchoring/block-table.ts';
import { createAnchorFromTextRange } from '../../schema/anchoring/create-anchor.ts';
import { annotationsMap, annotationToYMap, repliesMap, replyToYMap } from '../../schema/annotations/layout.ts';
import type { Annotation } from '../../schema/annotations/model.ts';
import { AnnotationOrigin } from '../../schema/annotations/origin.ts';
import { chapterSchema } from '../../schema/chapter/chapter-schema.ts';
import { importChapter } from '../../schema/chapter/importer.ts';
import { mulberry32 as prng } from '../../tests/helpers/seeded-random.ts';
import { PROJECT_ROOT } from './machine-info.ts';

/**
 * The room the export benchmarks read (export-10000, docx-2000): the fixture chapter and a
 * seeded crowd of annotations, built in memory; and the timing of repeated runs.
 */

/** Figures of repeated runs: the median, the range and every run, in ms to 0.1. */
export interface RunTimes {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)]! * 10) / 10;
}

/** Times `count` runs of `run` after one warm-up run (JIT and caches, not counted). */
export async function timeRuns(count: number, run: () => unknown): Promise<RunTimes> {
  await run();
  const runs: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await run();
    runs.push(Math.round((performance.now() - started) * 10) / 10);
  }
  return { median: median(runs), min: Math.min(...runs), max: Math.max(...runs), runs };
}

/** The fixture chapter as a text document. */
export function chapterTextDoc(): Y.Doc {
  const imported = importChapter(readFileSync(path.join(PROJECT_ROOT, 'fixtures/chapter-5.txt'), 'utf8'));
  if (!imported.ok) throw new Error(imported.error);
  const textDoc = new Y.Doc();
  prosemirrorJSONToYXmlFragment(chapterSchema, imported.doc, textDoc.getXmlFragment('prosemirror'));
  return textDoc;
}

/**
 * `count` annotations of every kind on random word ranges (claims contested with a footnote,
 * problems proposing a correction, comments), a reply on every fifth, from a seeded generator.
 */
export function annotationsDocFor(textDoc: Y.Doc, count: number, seed: number): Y.Doc {
  const random = prng(seed);
  const table = new BlockTable(textDoc.getXmlFragment('prosemirror'));
  const text = table.fullText();
  const footnotes = [130, 131, 132, 133, 140];
  const doc = new Y.Doc();
  doc.transact(() => {
    for (let i = 0; i < count; i++) {
      const start = Math.floor(random() * (text.length - 80));
      const anchor = createAnchorFromTextRange(table, { start, end: start + 10 + Math.floor(random() * 60) });
      if (!anchor.ok) continue;
      const kind = (['claim', 'problem', 'comment'] as const)[i % 3]!;
      const id = `a-${String(i).padStart(16, '0')}`;
      const annotation: Annotation = {
        id, kind,
        claimStatus: kind === 'claim' ? 'contested' : null,
        problemType: kind === 'problem' ? 'mistranslation' : null,
        footnotes: kind === 'claim' ? [footnotes[i % footnotes.length]!] : [],
        note: `Note ${i}: a remark of ordinary length about the annotated passage.`,
        correction: kind === 'problem' ? 'a corrected wording' : null,
        status: 'open', statusBy: null, statusByName: null, statusAt: null,
        authorId: `u-${i % 40}`, authorName: `Student ${i % 40}`,
        created: '2024-05-01T10:00:00.000Z', modified: '2024-05-01T10:00:00.000Z',
        related: [], anchor: anchor.value, provenance: null, applied: null, v: 1,
      };
      annotationsMap(doc).set(id, annotationToYMap(annotation));
      if (i % 5 === 0) {
        const replyId = `r-${String(i).padStart(16, '0')}`;
        repliesMap(doc).set(replyId, replyToYMap({ id: replyId, annotationId: id, authorId: 'u-1', authorName: 'Tutor', body: 'A reply.', created: '2024-05-02T10:00:00.000Z', modified: '2024-05-02T10:00:00.000Z' }));
      }
    }
  }, new AnnotationOrigin('create', 'bench'));
  return doc;
}
