import type { SourceBlock } from './lines.ts';

/**
 * The importer's working form of a block while pages are being put back together: a list
 * of raw text pieces (still with `*` and superscript markers, each remembering its input
 * line) and page-break points. The inline parser turns it into ProseMirror content last,
 * so an italic span or a marker cut by a page break is still read as one.
 */

/** Raw text from one input line, or the point where an original page began. */
export type RawPiece =
  | { kind: 'text'; text: string; line: number }
  | { kind: 'page'; page: number };

/** A title, section heading or body paragraph being assembled. */
export interface BodyFragment {
  kind: 'heading' | 'paragraph';
  /** 1 for the chapter title, 2 for section headings; ignored for paragraphs. */
  level: 1 | 2;
  /** The input line the block starts on. */
  line: number;
  pieces: RawPiece[];
}

/** A footnote being assembled; its number is already stripped from the text. */
export interface FootnoteFragment {
  n: number;
  line: number;
  pieces: RawPiece[];
}

// A word cut at a hyphen or an unspaced dash ("construc-", "privileged—") joins its
// continuation directly: a space would invent text. A spaced dash (" – ") keeps the space.
const JOINS_WITHOUT_SPACE = /\S[-–—]$/u;

/**
 * Returns a block's text as pieces, one per input line, skipping its first `skip`
 * characters (a footnote's number). Lines after the first carry the joining space.
 */
export function piecesOf(source: SourceBlock, skip = 0): RawPiece[] {
  const pieces: RawPiece[] = [];
  let offset = 0;
  source.lines.forEach((line, index) => {
    const text = index === 0 ? line.text : ` ${line.text}`;
    const start = Math.max(0, skip - offset);
    offset += text.length;
    const kept = text.slice(start);
    if (kept.length > 0) pieces.push({ kind: 'text', text: kept, line: line.line });
  });
  return pieces;
}

// Enough of a fragment's end to judge how its last sentence ends.
const TAIL_CHARS = 200;

/**
 * Returns at least the last 200 characters of a fragment's text (all of it if shorter):
 * what sentence-shape checks need, without rebuilding a long paragraph on every join.
 */
export function fragmentTail(pieces: readonly RawPiece[]): string {
  let tail = '';
  for (let i = pieces.length - 1; i >= 0 && tail.length < TAIL_CHARS; i--) {
    const piece = pieces[i]!;
    if (piece.kind === 'text') tail = piece.text + tail;
  }
  return tail;
}

/** Returns the last text piece of a fragment, if any. */
function lastTextPiece(pieces: readonly RawPiece[]): { kind: 'text'; text: string; line: number } | undefined {
  for (let i = pieces.length - 1; i >= 0; i--) {
    const piece = pieces[i]!;
    if (piece.kind === 'text') return piece;
  }
  return undefined;
}

/**
 * Appends the continuation of a fragment that was cut by a page break: a joining space
 * (unless the text ends on a hyphen or dash), a page break for `page`, then the block's text.
 */
export function appendContinuation(pieces: RawPiece[], source: SourceBlock, page: number): void {
  const last = lastTextPiece(pieces);
  if (last !== undefined && !JOINS_WITHOUT_SPACE.test(last.text)) last.text += ' ';
  pieces.push({ kind: 'page', page });
  // A loop, not push(...): a block of a million lines would overflow the argument stack.
  for (const piece of piecesOf(source)) pieces.push(piece);
}
