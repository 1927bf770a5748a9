import { importFinding } from './import-report.ts';
import type { ImportFinding } from './import-report.ts';
import type { ChapterInlineJSON } from './chapter-json.ts';
import type { RawPiece } from './fragments.ts';
import { findSuperscriptRuns } from './footnote-markers.ts';

/**
 * Turns a fragment's raw pieces into ProseMirror inline content: `*italic*` spans become
 * the `em` mark (asterisks removed), superscript markers become `footnote_ref` atoms and
 * page-break points become `page_break` atoms. The pieces are read as one string so that a
 * span or marker cut by a page break still counts as one.
 */

/** A footnote marker found in a block, with the input line it is on. */
export interface MarkerOccurrence {
  n: number;
  line: number;
}

/** A block's inline content with the markers it contains and what was odd about it. */
export interface InlineResult {
  content: ChapterInlineJSON[];
  markers: MarkerOccurrence[];
  findings: ImportFinding[];
}

/** The pieces flattened: one string, where each input line starts in it, page-break points. */
interface FlatText {
  text: string;
  /** String index where each text piece starts, ascending, with the piece's input line. */
  lineStarts: number[];
  lines: number[];
  /** Page breaks as [string index they precede, page number], in order. */
  breaks: Array<[number, number]>;
}

/** Flattens pieces into one string, remembering line starts and page-break positions. */
function flatten(pieces: readonly RawPiece[]): FlatText {
  const flat: FlatText = { text: '', lineStarts: [], lines: [], breaks: [] };
  const parts: string[] = [];
  let length = 0;
  for (const piece of pieces) {
    if (piece.kind === 'page') {
      flat.breaks.push([length, piece.page]);
      continue;
    }
    flat.lineStarts.push(length);
    flat.lines.push(piece.line);
    parts.push(piece.text);
    length += piece.text.length;
  }
  flat.text = parts.join('');
  return flat;
}

/** Returns the input line of the character at string index `at` (binary search over line starts). */
function lineAt(flat: FlatText, at: number): number {
  let low = 0;
  let high = flat.lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (flat.lineStarts[mid]! <= at) low = mid;
    else high = mid - 1;
  }
  return flat.lines[low] ?? 0;
}

/** Marks which characters are italic and which asterisks delimit spans; reports lone ones. */
function pairAsterisks(flat: FlatText, findings: ImportFinding[]): { italic: boolean[]; delimiter: boolean[] } {
  const { text } = flat;
  const italic = new Array<boolean>(text.length).fill(false);
  const delimiter = new Array<boolean>(text.length).fill(false);
  const lone = (at: number) => findings.push(importFinding('unmatched-asterisk', lineAt(flat, at), 'an asterisk opens or closes no italic span; kept as text'));
  const canOpen = (at: number) => at + 1 < text.length && !/[\s*]/u.test(text[at + 1]!);
  const canClose = (at: number) => at > 0 && !/\s/u.test(text[at - 1]!);
  let open: number | null = null;
  for (let at = text.indexOf('*'); at !== -1; at = text.indexOf('*', at + 1)) {
    if (open !== null && canClose(at)) {
      delimiter[open] = delimiter[at] = true;
      italic.fill(true, open + 1, at);
      open = null;
    } else if (canOpen(at)) {
      if (open !== null) lone(open);
      open = at;
    } else {
      lone(at);
    }
  }
  if (open !== null) lone(open);
  return { italic, delimiter };
}

/** Appends text to the content, merging with a preceding text node of the same style. */
function pushText(content: ChapterInlineJSON[], text: string, italic: boolean): void {
  if (text === '') return;
  const last = content[content.length - 1];
  if (last?.type === 'text' && (last.marks !== undefined) === italic) {
    last.text += text;
    return;
  }
  content.push(italic ? { type: 'text', text, marks: [{ type: 'em' }] } : { type: 'text', text });
}

/** Positions where inline content changes: delimiters, superscript runs, page breaks, the end. */
function eventPositions(flat: FlatText, delimiter: readonly boolean[], runStarts: Iterable<number>): number[] {
  const events = new Set<number>([...runStarts, ...flat.breaks.map(([at]) => at), flat.text.length]);
  delimiter.forEach((isDelimiter, at) => isDelimiter && events.add(at));
  return [...events].sort((a, b) => a - b);
}

/**
 * Parses a fragment's pieces into inline content. `isMarker(n)` decides whether a
 * superscript number is a footnote marker; other superscript runs (`km²`) stay text and
 * are reported.
 */
export function parseInline(pieces: readonly RawPiece[], isMarker: (n: number) => boolean): InlineResult {
  const findings: ImportFinding[] = [];
  const markers: MarkerOccurrence[] = [];
  const flat = flatten(pieces);
  const { italic, delimiter } = pairAsterisks(flat, findings);
  const runs = new Map(findSuperscriptRuns(flat.text).map((run) => [run.start, run]));
  const content: ChapterInlineJSON[] = [];
  let at = 0;
  let breakIndex = 0;
  // Between two events the text is plain and its italics constant, so it goes in as one slice.
  for (const event of eventPositions(flat, delimiter, runs.keys())) {
    if (event > at) pushText(content, flat.text.slice(at, event), italic[at]!);
    at = Math.max(at, event);
    for (; breakIndex < flat.breaks.length && flat.breaks[breakIndex]![0] <= at; breakIndex++) {
      content.push({ type: 'page_break', attrs: { page: flat.breaks[breakIndex]![1] } });
    }
    const run = runs.get(event);
    if (delimiter[event]) {
      at = Math.max(at, event + 1);
    } else if (run !== undefined && isMarker(run.n)) {
      content.push({ type: 'footnote_ref', attrs: { n: run.n } });
      markers.push({ n: run.n, line: lineAt(flat, event) });
      at = run.end;
    } else if (run !== undefined) {
      findings.push(importFinding('superscript-not-marker', lineAt(flat, event), `superscript ${run.n} is far from the footnote numbers; kept as text`));
    }
  }
  return { content, markers, findings };
}
