import { importFinding } from './import-report.ts';
import type { ImportFinding } from './import-report.ts';
import type { SourceBlock } from './lines.ts';

/**
 * Tells footnote blocks (`130 A.Khlevniuk O., …`) from text blocks that merely start with a
 * number (`1935 also saw…`). A number alone proves nothing; what decides is whether it fits
 * the chapter's footnote sequence and its superscript markers.
 */

/** A block read as running text (title, heading or paragraph, decided later). */
export interface TextBlock {
  kind: 'text';
  source: SourceBlock;
}

/** A block read as the start of footnote `n`; `prefixLength` covers the number and its space. */
export interface FootnoteBlock {
  kind: 'footnote';
  n: number;
  prefixLength: number;
  source: SourceBlock;
}

/** A classified input block. */
export type ClassifiedBlock = TextBlock | FootnoteBlock;

/** The classified blocks with the sequence findings (duplicates, order, doubtful numbers). */
export interface BlockClassification {
  blocks: ClassifiedBlock[];
  findings: ImportFinding[];
}

// A footnote starts with its number, whitespace, then text. Four digits at most: a
// chapter's notes number in the hundreds, and a year needs the sequence rules anyway.
const NUMBERED_BLOCK = /^(\d{1,4})\s+(?=\S)/u;
// How far a numbered block inside a run of footnotes may skip ahead of the previous number
// and still be read as a footnote that lost its marker.
const MAX_SEQUENCE_GAP = 5;

/** Returns the leading number of a block and the length of the number with its space. */
function leadingNumber(text: string): { n: number; prefixLength: number } | null {
  const match = NUMBERED_BLOCK.exec(text);
  return match ? { n: Number(match[1]), prefixLength: match[0].length } : null;
}

/** State of the walk through the blocks. */
interface SequenceState {
  markers: ReadonlySet<number>;
  /** The lowest marker number: where the sequence should start (Infinity without markers). */
  firstMarker: number;
  last: number | null;
  seen: Set<number>;
  previousIsFootnote: boolean;
  findings: ImportFinding[];
}

/** Decides whether numbered block `n` at `line` is a footnote, recording sequence findings. */
function isFootnote(n: number, line: number, nextText: string | undefined, state: SequenceState): boolean {
  const { markers, last, seen, previousIsFootnote, findings } = state;
  if (markers.has(n) && !seen.has(n)) {
    if (last !== null && n < last) {
      findings.push(importFinding('out-of-order-footnote', line, `footnote ${n} comes after footnote ${last}`, n));
    }
    return true;
  }
  if (seen.has(n)) {
    if (!previousIsFootnote) return false;
    findings.push(importFinding('duplicate-footnote', line, `footnote ${n} appears a second time; both are kept`, n));
    return true;
  }
  // No marker refers to n: a footnote only if it continues the sequence.
  if (previousIsFootnote && last !== null && n > last && n <= last + MAX_SEQUENCE_GAP) return true;
  const expected = last === null ? state.firstMarker : last + 1;
  if (n !== expected) return false;
  const next = nextText === undefined ? null : leadingNumber(nextText);
  if (nextText === undefined || (next !== null && (next.n === n + 1 || markers.has(next.n)))) return true;
  findings.push(importFinding(
    'ambiguous-footnote-number', line,
    `this block starts with ${n}, the next footnote number, but no marker refers to it and no footnote follows; read as a paragraph`, n,
  ));
  return false;
}

/**
 * Classifies blocks as footnotes or text. A block starting `N ` is footnote N if a marker
 * refers to N and N has no footnote yet; if it repeats a number inside a run of footnotes
 * (a duplicate); if it follows a footnote and continues the sequence (N a little above the
 * previous number); or if N is exactly the next number expected and a footnote or the end
 * of the text follows. Anything else (a paragraph opening with a year) is text.
 */
export function classifyBlocks(sources: readonly SourceBlock[], markers: ReadonlySet<number>): BlockClassification {
  let firstMarker = Number.POSITIVE_INFINITY;
  for (const n of markers) firstMarker = Math.min(firstMarker, n);
  const state: SequenceState = { markers, firstMarker, last: null, seen: new Set(), previousIsFootnote: false, findings: [] };
  const blocks = sources.map((source, index): ClassifiedBlock => {
    const numbered = leadingNumber(source.text);
    const footnote = numbered !== null && isFootnote(numbered.n, source.line, sources[index + 1]?.text, state);
    state.previousIsFootnote = footnote;
    if (!footnote) return { kind: 'text', source };
    state.last = numbered.n;
    state.seen.add(numbered.n);
    return { kind: 'footnote', n: numbered.n, prefixLength: numbered.prefixLength, source };
  });
  return { blocks, findings: state.findings };
}
