import { numberToSuperscript } from '../../chapter/footnote-markers.ts';
import { readExportChapter } from './chapter-pieces.ts';
import type { ChapterBlock } from './chapter-pieces.ts';
import type { RoomSnapshot } from './snapshot.ts';

/** Options of the plain-text export. */
export interface PlainTextOptions {
  /** Mark where each original printed page began, as `[p. 12]` in the running text. */
  pages?: boolean;
}

/**
 * The chapter as it reads now (every applied correction in it) as plain UTF-8 text for a
 * person: the title, headings and paragraphs separated by blank lines, one paragraph per line
 * (no hard wrapping, so any editor reflows it), footnote markers as the book printed them
 * (`turn'.¹³⁰`), italics as `*words*`, then every footnote at the end as `130 text`. That is
 * the importer's own format, so the file can start a new room.
 */
export function exportPlainText(snapshot: RoomSnapshot, options: PlainTextOptions = {}): string {
  const { blocks } = readExportChapter(snapshot);
  const body = blocks.filter((b) => b.type !== 'footnote').map((b) => blockLine(b, options, false));
  const notes = blocks.filter((b) => b.type === 'footnote').map((b) => `${b.n} ${blockLine(b, options, true)}`);
  return [...body, ...notes].join('\n\n') + '\n';
}

/** One block as a line of text. Markers inside footnotes cannot occur (the schema has none there). */
function blockLine(block: ChapterBlock, options: PlainTextOptions, inNote: boolean): string {
  let line = '';
  for (const piece of block.pieces) {
    if (piece.kind === 'text') line += piece.em ? italic(piece.text) : piece.text;
    else if (piece.kind === 'footnote-ref' && !inNote) line += numberToSuperscript(piece.n);
    else if (piece.kind === 'page-break' && options.pages) line += /\s$/.test(line) || line === '' ? `[p. ${piece.page}] ` : ` [p. ${piece.page}]`;
  }
  return line;
}

/** Italics as `*words*`, keeping spaces at the edges outside the asterisks. */
function italic(text: string): string {
  const match = /^(\s*)(.*?)(\s*)$/s.exec(text)!;
  return match[2] === '' ? text : `${match[1]}*${match[2]}*${match[3]}`;
}
