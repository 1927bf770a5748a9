import type { ClaimStatus } from '../../annotations/vocabulary.ts';
import { withinRange } from './chapter-activity.ts';
import type { DateRange, ReadAnnotation } from './chapter-activity.ts';
import type { ChapterText } from '../agreement/sentence-units.ts';

/**
 * The heat strip beside the chapter: per body block (title, headings, paragraphs), how many
 * annotations start in it and with which tags. An annotation belongs to the block its current
 * range starts in; orphaned ones (their text was deleted) belong to none and are counted apart.
 */

/** The tag an annotation is shown with: its claim status, or its kind. */
export type HeatTag = ClaimStatus | 'problem' | 'comment';

/** Every tag, in the order the strip stacks them. */
export const HEAT_TAGS: readonly HeatTag[] = ['sourced', 'contested', 'interpretive', 'problem', 'comment'];

/** One block's cell of the strip. */
export interface BlockHeat {
  blockId: string | null;
  /** The block's position in the chapter, from 0. */
  blockIndex: number;
  type: 'heading' | 'paragraph';
  /** The block's opening words, to label the cell. */
  label: string;
  /** The block's length in characters (the strip draws long paragraphs taller). */
  length: number;
  count: number;
  tags: Record<HeatTag, number>;
}

/** The strip: one cell per body block, and the annotations that lie in no block now. */
export interface ChapterHeat {
  blocks: BlockHeat[];
  orphaned: number;
  /** The largest count of any block (to scale colours). */
  max: number;
}

/** The first words of a text, at most `limit` characters, cut at a word boundary. */
export function openingWords(text: string, limit = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= limit) return flat;
  const cut = flat.slice(0, limit);
  // The cut ends a word when a space follows it; otherwise back up to the last whole word.
  const space = flat[limit] === ' ' ? limit : cut.lastIndexOf(' ');
  return `${(space > limit / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.–—-]+$/u, '')}…`;
}

/** Index into `blocks` of the body block holding projection offset `offset`, or -1. */
function blockAt(starts: readonly number[], ends: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (offset < starts[mid]!) high = mid - 1;
    else if (offset > ends[mid]!) low = mid + 1;
    else return mid;
  }
  return -1;
}

function emptyTags(): Record<HeatTag, number> {
  return { sourced: 0, contested: 0, interpretive: 0, problem: 0, comment: 0 };
}

/** Computes the heat strip of a chapter for the annotations created in `range`. */
export function chapterHeat(projection: ChapterText, annotations: Iterable<ReadAnnotation>, range: DateRange = {}): ChapterHeat {
  const inRange = withinRange(range);
  const body = projection.blocks.map((block, blockIndex) => ({ block, blockIndex })).filter(({ block }) => block.type !== 'footnote');
  const blocks: BlockHeat[] = body.map(({ block, blockIndex }) => ({
    blockId: block.id,
    blockIndex,
    type: block.type as BlockHeat['type'],
    label: openingWords(projection.text.slice(block.start, Math.min(block.end, block.start + 200))),
    length: block.end - block.start,
    count: 0,
    tags: emptyTags(),
  }));
  const starts = body.map(({ block }) => block.start);
  const ends = body.map(({ block }) => block.end);
  let orphaned = 0;
  for (const { annotation, start } of annotations) {
    if (!inRange(annotation.created)) continue;
    const at = start === null ? -1 : blockAt(starts, ends, start);
    // Annotations on footnotes fall between body blocks here: they are not part of the strip.
    if (start === null) orphaned++;
    if (at < 0) continue;
    const cell = blocks[at]!;
    cell.count++;
    cell.tags[annotation.kind === 'claim' ? (annotation.claimStatus ?? 'interpretive') : annotation.kind]++;
  }
  return { blocks, orphaned, max: blocks.reduce((max, cell) => Math.max(max, cell.count), 0) };
}
