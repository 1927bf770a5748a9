import { readChapterLayout } from '../../chapter/chapter-layout.ts';
import { pageLocator } from '../../chapter/page-numbers.ts';
import type { PageLocator } from '../../chapter/page-numbers.ts';
import type { RoomSnapshot } from './snapshot.ts';

/**
 * The chapter as the document exports (Word, plain text, errata, print) lay it out: its blocks,
 * each a list of inline pieces placed at their offsets in the plain-text projection, so that an
 * annotation's range (projection offsets) can be cut out of a block without going back to
 * ProseMirror. Atoms (footnote markers, page breaks) sit at an offset and take no width,
 * exactly as the projection treats them.
 */

/** A run of text, in italics or not; it covers [start, start + text.length). */
export interface TextPiece {
  kind: 'text';
  text: string;
  em: boolean;
  start: number;
}

/** A footnote marker in the text, at offset `at`. */
export interface FootnoteRefPiece {
  kind: 'footnote-ref';
  n: number;
  at: number;
}

/** The start of an original printed page, at offset `at`. */
export interface PageBreakPiece {
  kind: 'page-break';
  page: number;
  at: number;
}

/** Any inline piece of a block. */
export type InlinePiece = TextPiece | FootnoteRefPiece | PageBreakPiece;

/** One block of the chapter with its pieces and its span in the projection. */
export interface ChapterBlock {
  type: 'heading' | 'paragraph' | 'footnote';
  id: string | null;
  /** Heading level (1 for the title), else null. */
  level: number | null;
  /** Footnote number, else null. */
  n: number | null;
  start: number;
  end: number;
  /** The block's reading text (its text pieces joined). */
  text: string;
  pieces: InlinePiece[];
}

/** The chapter of a room snapshot as the document exports read it: its blocks, and where its pages begin. */
export interface ExportChapter {
  blocks: ChapterBlock[];
  pages: PageLocator;
}

/**
 * Reads the chapter of a snapshot into blocks with pieces at projection offsets, from the
 * chapter layout (chapter/chapter-layout.ts: tolerant of a block whose JSON does not match its
 * projection), and the page locator of that layout.
 */
export function readExportChapter(snapshot: Pick<RoomSnapshot, 'chapter' | 'projection'>): ExportChapter {
  const layout = readChapterLayout(snapshot.chapter, snapshot.projection);
  const blocks = layout.blocks.map((block): ChapterBlock => ({
    type: block.type,
    id: block.id,
    level: block.type === 'heading' ? block.n : null,
    n: block.type === 'footnote' ? block.n : null,
    start: block.start,
    end: block.end,
    text: block.text,
    pieces: block.inlines.map((inline): InlinePiece => {
      if (inline.kind === 'text') return { kind: 'text', text: block.text.slice(inline.start, inline.end), em: inline.italic, start: block.start + inline.start };
      return inline.kind === 'footnote-ref' ? { kind: 'footnote-ref', n: inline.n, at: block.start + inline.at } : { kind: 'page-break', page: inline.page, at: block.start + inline.at };
    }),
  }));
  return { blocks, pages: pageLocator(layout) };
}
