import type { Node as PMNode } from 'prosemirror-model';
import { projectChapter } from '../chapter/text-projection.ts';
import { findingId } from './finding-id.ts';
import type { FindingQuote, FindingType } from './finding.ts';

/**
 * A chapter read once for all detectors: the plain-text projection (the coordinates every
 * finding quote uses) plus, per block, what the projection drops — where the footnote
 * markers sit and which spans are set in italics.
 */

/** A footnote marker inside a block: the note number and the block-relative offset it sits at. */
export interface FootnoteMarker {
  n: number;
  /** Offset in the block's text of the character the marker precedes (text.length at the end). */
  offset: number;
}

/** A block-relative span of text, end exclusive. */
export interface TextSpan {
  start: number;
  end: number;
}

/** One block of the chapter as the detectors see it. */
export interface ReadingBlock {
  index: number;
  id: string | null;
  type: 'heading' | 'paragraph' | 'footnote';
  /** The footnote number for footnotes, the level for headings, null for paragraphs. */
  n: number | null;
  /** Projection offset of the block's first character. */
  start: number;
  text: string;
  markers: FootnoteMarker[];
  /** Spans set in italics (`em`), merged where adjacent. */
  emphasis: TextSpan[];
}

/** The whole chapter as the detectors see it. */
export interface ChapterReading {
  /** The plain-text projection. */
  text: string;
  blocks: ReadingBlock[];
}

function readBlock(block: PMNode, index: number, start: number, id: string | null, n: number | null): ReadingBlock {
  const type = block.type.name as ReadingBlock['type'];
  const reading: ReadingBlock = { index, id, type, n, start, text: '', markers: [], emphasis: [] };
  block.forEach((child) => {
    if (child.isText) {
      const text = child.text ?? '';
      if (child.marks.some((mark) => mark.type.name === 'em')) addEmphasis(reading.emphasis, reading.text.length, text.length);
      reading.text += text;
    } else if (child.type.name === 'footnote_ref') {
      reading.markers.push({ n: Number(child.attrs.n), offset: reading.text.length });
    }
  });
  return reading;
}

function addEmphasis(spans: TextSpan[], start: number, length: number): void {
  const last = spans[spans.length - 1];
  // Marks split text nodes at every mark change; adjacent italic runs are one span for readers.
  if (last && last.end === start) last.end = start + length;
  else spans.push({ start, end: start + length });
}

/** Reads a chapter document (the schema of `chapter/chapter-schema.ts`) for the detectors. */
export function readChapter(doc: PMNode): ChapterReading {
  const projection = projectChapter(doc);
  const blocks: ReadingBlock[] = [];
  let index = 0;
  doc.forEach((block) => {
    const projected = projection.blocks[index];
    if (!projected) throw new RangeError(`block ${index} is missing from the projection`);
    blocks.push(readBlock(block, index, projected.start, projected.id, projected.n));
    index++;
  });
  return { text: projection.text, blocks };
}

/** The body blocks (title, headings, paragraphs) in reading order. */
export function bodyBlocks(reading: ChapterReading): ReadingBlock[] {
  return reading.blocks.filter((block) => block.type !== 'footnote');
}

/** The footnote blocks in document order. */
export function footnoteBlocks(reading: ChapterReading): ReadingBlock[] {
  return reading.blocks.filter((block) => block.type === 'footnote');
}

/** Returns the quote of `block`'s text between block-relative offsets `start` and `end`. */
export function quoteIn(block: ReadingBlock, start: number, end: number): FindingQuote {
  if (!(start >= 0 && start <= end && end <= block.text.length)) {
    throw new RangeError(`span ${start}..${end} lies outside block ${block.id ?? block.index} (length ${block.text.length})`);
  }
  return { exact: block.text.slice(start, end), start: block.start + start, end: block.start + end, blockId: block.id };
}

/** Returns the block holding projection offset `offset`, or undefined between blocks. */
export function blockAtOffset(reading: ChapterReading, offset: number): ReadingBlock | undefined {
  return reading.blocks.find((block) => offset >= block.start && offset <= block.start + block.text.length);
}

/** Returns the stable id of a finding resting on `quotes` (see `finding-id.ts`). */
export function idForFinding(reading: ChapterReading, type: FindingType, rule: string, quotes: readonly FindingQuote[]): string {
  return findingId(
    type,
    rule,
    quotes.map((quote) => {
      const block = blockAtOffset(reading, quote.start);
      return { quote, blockText: block?.text ?? '', blockStart: block?.start ?? 0 };
    }),
  );
}

