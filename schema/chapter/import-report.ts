/**
 * What the chapter importer tells the user besides the document: findings with line
 * numbers, and counts. A finding never means text was lost; it says where the importer
 * made a choice the owner may want to check, or where the source itself is inconsistent.
 */

/**
 * The kinds of finding.
 *
 * - `marker-without-footnote`: a superscript marker whose footnote is not in the text.
 * - `footnote-without-marker`: a footnote that no marker in the body refers to.
 * - `duplicate-footnote`: a second footnote with a number already used (kept, with its own id).
 * - `out-of-order-footnote`: a footnote whose number is lower than the one before it.
 * - `duplicate-marker`: a footnote referred to by more than one marker in the body.
 * - `out-of-order-marker`: a marker whose number is lower than an earlier marker's.
 * - `unplaced-block`: a block that starts mid-sentence but has nothing to continue;
 *   kept as a paragraph of its own.
 * - `ambiguous-continuation`: a page-break join (or non-join) with more than one plausible reading.
 * - `ambiguous-footnote-number`: a block starting with a number that could be a footnote
 *   without a marker; read as a paragraph.
 * - `unfinished-paragraph` / `unfinished-footnote`: a block that ends mid-sentence and has
 *   no continuation.
 * - `unmatched-asterisk`: an `*` that opens or closes no italic span; kept as text.
 * - `superscript-not-marker`: superscript digits far outside the footnote numbers (a unit
 *   such as `km²`); kept as text.
 * - `missing-title`: the first block is not a title line; the chapter has no level-1 heading.
 * - `control-characters`: invisible control characters were removed.
 * - `left-out`: something a chapter cannot hold (an image, an equation, a drawing) was left
 *   out; Markdown and Word sources only.
 * - `flattened`: a table or list became plain paragraphs; Word and Markdown sources only.
 */
export type ImportFindingCode =
  | 'marker-without-footnote'
  | 'footnote-without-marker'
  | 'duplicate-footnote'
  | 'out-of-order-footnote'
  | 'duplicate-marker'
  | 'out-of-order-marker'
  | 'unplaced-block'
  | 'ambiguous-continuation'
  | 'ambiguous-footnote-number'
  | 'unfinished-paragraph'
  | 'unfinished-footnote'
  | 'unmatched-asterisk'
  | 'superscript-not-marker'
  | 'missing-title'
  | 'control-characters'
  | 'left-out'
  | 'flattened';

/** One finding: what, where (1-based input line) and, for footnote findings, which number. */
export interface ImportFinding {
  code: ImportFindingCode;
  line: number;
  message: string;
  n?: number;
}

/** Counts of what the importer built; `headings` includes the title, `lines` counts input lines. */
export interface ImportStats {
  headings: number;
  paragraphs: number;
  footnotes: number;
  pages: number;
  lines: number;
}

/** Everything the importer reports besides the document, findings sorted by line. */
export interface ImportReport {
  findings: ImportFinding[];
  stats: ImportStats;
}

/** Builds a finding; `n` is included only when given so that reports stay compact. */
export function importFinding(code: ImportFindingCode, line: number, message: string, n?: number): ImportFinding {
  return n === undefined ? { code, line, message } : { code, line, message, n };
}

/** Orders findings by line; the sort is stable, so equal lines keep the order they were found in. */
export function sortFindings(findings: readonly ImportFinding[]): ImportFinding[] {
  return [...findings].sort((a, b) => a.line - b.line);
}

/** Formats one finding as a line for a terminal: `line 111: ambiguous-continuation: …`. */
export function formatFinding(finding: ImportFinding): string {
  return `line ${finding.line}: ${finding.code}: ${finding.message}`;
}
