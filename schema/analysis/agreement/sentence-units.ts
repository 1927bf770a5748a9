import type { ClaimStatus } from '../../annotations/vocabulary.ts';
import type { ProjectedBlock } from '../../chapter/text-projection.ts';
import type { ReadingBlock } from '../chapter-reading.ts';
import { splitSentences } from '../sentence-splitter.ts';

/**
 * The units of agreement between readers: the sentences of the chapter's paragraphs (split as
 * the assistants split them, `sentence-splitter.ts`), and per sentence the claim status each
 * reader gave it. A reader gave a sentence a status when one of their claims covers most of it
 * (more than half of its characters); when several do, the claim covering most of it counts
 * (then the one changed last). A sentence a reader left untagged is missing data for that
 * reader, not a value.
 */

/**
 * The chapter's text as the seminar view reads it: the plain-text projection and its blocks
 * (a `TextProjection`, or the `chapter` of a native export).
 */
export interface ChapterText {
  text: string;
  blocks: readonly Pick<ProjectedBlock, 'id' | 'type' | 'n' | 'start' | 'end'>[];
}

/** One claim as the agreement measure reads it: who made it, its status, and where it lies now. */
export interface ClaimPlacement {
  /** The claim's annotation id (breaks the last ties). */
  id: string;
  readerId: string;
  status: ClaimStatus;
  /** Projection offsets (UTF-16) of the claim's current range, end exclusive. */
  start: number;
  end: number;
  /** ISO time of the claim's last change. */
  modified: string;
}

/** A sentence of the chapter, in projection coordinates. */
export interface SentenceSpan {
  /** The id of its paragraph (`p-12`), or null for a block without one. */
  blockId: string | null;
  /** The paragraph's position among the chapter's blocks, from 0. */
  blockIndex: number;
  /** Position of the sentence within its paragraph, from 0. */
  ordinal: number;
  start: number;
  end: number;
  text: string;
}

/** A sentence and the status each reader who tagged it gave it. */
export interface SentenceUnit {
  sentence: SentenceSpan;
  /** Reader id → status, for the readers whose claim covers most of the sentence. */
  values: Map<string, ClaimStatus>;
}

/** A block of the projection as the sentence splitter reads it (footnote markers do not move sentence ends). */
function readingBlockOf(projection: ChapterText, index: number): ReadingBlock {
  const block = projection.blocks[index]!;
  const text = projection.text.slice(block.start, block.end);
  return { index, id: block.id, type: block.type, n: block.n, start: block.start, text, markers: [], emphasis: [] };
}

/** The sentences of every paragraph of the chapter, in reading order (headings and footnotes make no claims to agree on). */
export function chapterSentences(projection: ChapterText): SentenceSpan[] {
  const sentences: SentenceSpan[] = [];
  projection.blocks.forEach((block, index) => {
    if (block.type !== 'paragraph') return;
    for (const sentence of splitSentences(readingBlockOf(projection, index))) {
      sentences.push({ blockId: block.id, blockIndex: index, ordinal: sentence.ordinal, start: block.start + sentence.start, end: block.start + sentence.end, text: sentence.text });
    }
  });
  return sentences;
}

/** Index of the first sentence ending after `offset` (sentences are sorted and do not overlap). */
function firstSentenceEndingAfter(sentences: readonly SentenceSpan[], offset: number): number {
  let low = 0;
  let high = sentences.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (sentences[mid]!.end <= offset) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Whether claim `a` outranks claim `b` for a sentence: more overlap, then changed later, then the larger id. */
function outranks(a: { overlap: number; claim: ClaimPlacement }, b: { overlap: number; claim: ClaimPlacement }): boolean {
  if (a.overlap !== b.overlap) return a.overlap > b.overlap;
  if (a.claim.modified !== b.claim.modified) return a.claim.modified > b.claim.modified;
  return a.claim.id > b.claim.id;
}

/**
 * Pairs sentences with the readers' claims: per sentence, the status of each reader's claim
 * covering most of it. Claims without a range (orphaned) tag nothing. Runs in
 * O(claims · log sentences + overlaps).
 */
export function sentenceUnits(sentences: readonly SentenceSpan[], claims: Iterable<ClaimPlacement>): SentenceUnit[] {
  const best: Map<string, { overlap: number; claim: ClaimPlacement }>[] = sentences.map(() => new Map());
  for (const claim of claims) {
    if (!(claim.end > claim.start)) continue;
    for (let i = firstSentenceEndingAfter(sentences, claim.start); i < sentences.length && sentences[i]!.start < claim.end; i++) {
      const sentence = sentences[i]!;
      const overlap = Math.min(sentence.end, claim.end) - Math.max(sentence.start, claim.start);
      // "Covers most of the sentence": strictly more than half of its characters.
      if (overlap * 2 <= sentence.end - sentence.start) continue;
      const candidate = { overlap, claim };
      const current = best[i]!.get(claim.readerId);
      if (!current || outranks(candidate, current)) best[i]!.set(claim.readerId, candidate);
    }
  }
  return sentences.map((sentence, i) => ({ sentence, values: new Map([...best[i]!].map(([reader, { claim }]) => [reader, claim.status])) }));
}
