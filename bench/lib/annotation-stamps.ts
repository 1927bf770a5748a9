import type * as Y from 'yjs';
import { BlockTable } from '../../schema/anchoring/block-table.ts';
import { createAnchorFromTextRange } from '../../schema/anchoring/create-anchor.ts';
import type { Anchor } from '../../schema/annotations/model.ts';
import type { NewAnnotation } from '../../schema/annotations/operations.ts';

const STAMP_PATTERN = /^bench-stamp:(\d+(?:\.\d+)?) /;

/**
 * The note of a benchmark annotation: the shared-clock time (ms) it was created at, then a
 * remark of ordinary length, so the update has the size of a real one. Receivers read the
 * stamp back with `stampOf`.
 */
export function stampedNote(stampMs: number): string {
  return `bench-stamp:${stampMs.toFixed(3)} Checked against the Russian edition: the wording of this clause differs.`;
}

/** Returns the creation stamp of a benchmark annotation's note, or null for any other note. */
export function stampOf(note: unknown): number | null {
  if (typeof note !== 'string') return null;
  const match = STAMP_PATTERN.exec(note);
  return match ? Number(match[1]) : null;
}

/**
 * Anchors on `count` word-aligned ranges of 2–12 words of the chapter in `textDoc` (of its first
 * `withinChars` characters when given), chosen with `random`: the ranges readers select. Computed once; creating an annotation reuses them.
 */
export function anchorPool(textDoc: Y.Doc, count: number, random: () => number, withinChars = Infinity): Anchor[] {
  const table = new BlockTable(textDoc.getXmlFragment('prosemirror'));
  const wordStarts = [...table.fullText().matchAll(/\S+/g)].map((m) => m.index).filter((start) => start < withinChars);
  if (wordStarts.length < 20) throw new RangeError(`the chapter has only ${wordStarts.length} words`);
  const anchors: Anchor[] = [];
  while (anchors.length < count) {
    const first = Math.floor(random() * (wordStarts.length - 13));
    const end = wordStarts[first + 2 + Math.floor(random() * 10)]! - 1;
    const anchor = createAnchorFromTextRange(table, { start: wordStarts[first]!, end });
    if (anchor.ok) anchors.push(anchor.value);
  }
  return anchors;
}

/** What a benchmark client creates: alternately a contested claim and a comment, stamped. */
export function benchAnnotation(anchor: Anchor, stampMs: number, sequence: number): NewAnnotation {
  return sequence % 2 === 0
    ? { kind: 'claim', claimStatus: 'contested', note: stampedNote(stampMs), anchor }
    : { kind: 'comment', note: stampedNote(stampMs), anchor };
}
