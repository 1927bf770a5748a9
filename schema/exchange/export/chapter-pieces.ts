import { BLOCK_SEPARATOR } from '../../chapter/text-projection.ts';

/**
 * The chapter as the document exports (Word, plain text, print) lay it out: its blocks, each a
 * list of inline pieces placed at their offsets in the plain-text projection, so that an
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
  pieces: InlinePiece[];
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function inlinePiece(node: unknown, offset: number, where: string): InlinePiece {
  if (!isObject(node)) throw new TypeError(`${where}: an inline node is not an object`);
  const attrs = isObject(node.attrs) ? node.attrs : {};
  if (node.type === 'text' && typeof node.text === 'string') {
    const em = Array.isArray(node.marks) && node.marks.some((mark) => isObject(mark) && mark.type === 'em');
    return { kind: 'text', text: node.text, em, start: offset };
  }
  if (node.type === 'footnote_ref') return { kind: 'footnote-ref', n: Number(attrs.n), at: offset };
  if (node.type === 'page_break') return { kind: 'page-break', page: Number(attrs.page), at: offset };
  throw new TypeError(`${where}: unknown inline node ${JSON.stringify(node.type)}`);
}

/**
 * Reads the chapter's ProseMirror JSON (as a room snapshot holds it) into blocks with pieces.
 * Offsets follow `projectChapter` exactly: blocks joined by BLOCK_SEPARATOR, atoms empty.
 * Throws a TypeError when the JSON is not a chapter document.
 */
export function chapterBlocks(chapter: unknown): ChapterBlock[] {
  if (!isObject(chapter) || chapter.type !== 'doc' || !Array.isArray(chapter.content)) throw new TypeError('chapterBlocks: not a chapter document');
  const blocks: ChapterBlock[] = [];
  let offset = 0;
  for (const [index, node] of chapter.content.entries()) {
    if (!isObject(node) || (node.type !== 'heading' && node.type !== 'paragraph' && node.type !== 'footnote')) {
      throw new TypeError(`chapterBlocks: block ${index} is not a heading, paragraph or footnote`);
    }
    if (index > 0) offset += BLOCK_SEPARATOR.length;
    const attrs = isObject(node.attrs) ? node.attrs : {};
    const start = offset;
    const pieces: InlinePiece[] = [];
    for (const inline of Array.isArray(node.content) ? node.content : []) {
      const piece = inlinePiece(inline, offset, `block ${index}`);
      pieces.push(piece);
      if (piece.kind === 'text') offset += piece.text.length;
    }
    blocks.push({
      type: node.type,
      id: typeof attrs.id === 'string' ? attrs.id : null,
      level: node.type === 'heading' ? Number(attrs.level ?? 2) : null,
      n: node.type === 'footnote' ? Number(attrs.n) : null,
      start,
      end: offset,
      pieces,
    });
  }
  return blocks;
}

/** The reading text of a block, as the projection has it. */
export function blockPlainText(block: ChapterBlock): string {
  let text = '';
  for (const piece of block.pieces) if (piece.kind === 'text') text += piece.text;
  return text;
}

/**
 * The number of the printed page the chapter starts on: one before the first page break's
 * page (the importer numbers breaks from its `firstPage` option), or 1 without breaks.
 */
export function firstPageOf(blocks: readonly ChapterBlock[]): number {
  for (const block of blocks) {
    for (const piece of block.pieces) if (piece.kind === 'page-break') return Math.max(0, piece.page - 1);
  }
  return 1;
}

/**
 * Finds the original page of any offset. Body offsets count the page breaks before them; an
 * offset in a footnote starts from the page of that footnote's marker in the body (a note is
 * printed on the page that refers to it) and counts the breaks inside the note before it.
 */
export class PageLocator {
  private readonly bodyBreaks: { at: number; page: number }[] = [];
  private readonly notePage = new Map<number, number>();
  private readonly blocks: readonly ChapterBlock[];
  private readonly first: number;

  constructor(blocks: readonly ChapterBlock[]) {
    this.blocks = blocks;
    this.first = firstPageOf(blocks);
    for (const block of blocks) {
      if (block.type === 'footnote') continue;
      for (const piece of block.pieces) {
        if (piece.kind === 'page-break') this.bodyBreaks.push({ at: piece.at, page: piece.page });
        else if (piece.kind === 'footnote-ref' && !this.notePage.has(piece.n)) this.notePage.set(piece.n, this.bodyPageAt(piece.at));
      }
    }
  }

  /** The page an offset of the projection lies on. */
  pageAt(offset: number): number {
    const block = this.blocks.find((b) => offset >= b.start && offset <= b.end);
    if (!block || block.type !== 'footnote') return this.bodyPageAt(offset);
    let page = this.notePage.get(block.n ?? -1) ?? this.bodyPageAt(Number.POSITIVE_INFINITY);
    for (const piece of block.pieces) if (piece.kind === 'page-break' && piece.at <= offset) page = piece.page;
    return page;
  }

  private bodyPageAt(offset: number): number {
    let page = this.first;
    for (const pageBreak of this.bodyBreaks) {
      if (pageBreak.at > offset) break;
      page = pageBreak.page;
    }
    return page;
  }
}
