import { importFinding, sortFindings } from './import-report.ts';
import type { ImportFinding, ImportReport } from './import-report.ts';
import type { ChapterBlockJSON, ChapterInlineJSON, ChapterJSON, FootnoteJSON } from './chapter-json.ts';
import type { BodyFragment, FootnoteFragment } from './fragments.ts';
import { parseInline } from './inline.ts';
import type { MarkerOccurrence } from './inline.ts';
import { countLines, splitBlocks } from './lines.ts';
import type { SourceBlock } from './lines.ts';
import { normaliseChapterText } from './text-input.ts';
import { checkFootnoteReferences, markerRule } from './footnote-checks.ts';
import { findSuperscriptRuns } from './footnote-markers.ts';
import { classifyBlocks } from './footnote-sequence.ts';
import type { ClassifiedBlock } from './footnote-sequence.ts';
import { isTitleBlock } from './heading-detection.ts';
import { reassemblePages } from './page-reassembly.ts';

/**
 * The chapter importer: plain text as it came out of a typeset book → a ProseMirror
 * document in `chapterSchema` plus a report. Pure; the CLI and the server's room creation
 * both call `importChapter`.
 */

/** Options of `importChapter`. */
export interface ImportOptions {
  /** Number of the chapter's first printed page (default 1); later pages count up from it. */
  firstPage?: number;
}

/** A successful import with its report, or the one-line reason the text is not a chapter. */
export type ImportResult =
  | { ok: true; doc: ChapterJSON; title: string; report: ImportReport }
  | { ok: false; error: string };

/** Checks the caller's arguments; a bad one is a bug, not a malformed chapter. */
function checkArguments(text: unknown, options: ImportOptions): number {
  if (typeof text !== 'string') throw new TypeError(`importChapter: text must be a string, got ${typeof text}`);
  const firstPage = options.firstPage ?? 1;
  if (!Number.isSafeInteger(firstPage) || firstPage < 0) {
    throw new RangeError(`importChapter: firstPage must be a non-negative integer, got ${String(firstPage)}`);
  }
  return firstPage;
}

/** Collects every superscript number in the text: the candidate footnote markers. */
function superscriptNumbers(blocks: readonly SourceBlock[]): Set<number> {
  return new Set(blocks.flatMap((block) => findSuperscriptRuns(block.text).map((run) => run.n)));
}

/** Returns the index of the title block (the first block, if it reads as a title) or null. */
function findTitle(blocks: readonly ClassifiedBlock[], findings: ImportFinding[]): number | null {
  const first = blocks[0];
  if (first?.kind === 'text' && isTitleBlock(first.source.text)) return 0;
  findings.push(importFinding('missing-title', first?.source.line ?? 1, 'the first block is not a title line (such as "5. Title"); the chapter has no title heading'));
  return null;
}

/** Appends items one by one: `push(...items)` overflows the call stack for very long lists. */
function appendAll<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}

/** The reading text of inline content: its text nodes, atoms left out. */
function inlineText(content: readonly ChapterInlineJSON[]): string {
  return content.map((node) => (node.type === 'text' ? node.text : '')).join('');
}

/** Content key of a node: omitted when empty, as ProseMirror's own JSON does. */
function withContent<T extends object>(node: T, content: ChapterInlineJSON[]): T & { content?: ChapterInlineJSON[] } {
  return content.length > 0 ? { ...node, content } : node;
}

/** Builds the heading and paragraph nodes with ids `h-1…`, `p-1…`, collecting body markers. */
function bodyNodes(body: readonly BodyFragment[], isMarker: (n: number) => boolean, sink: { markers: MarkerOccurrence[]; findings: ImportFinding[] }): ChapterBlockJSON[] {
  let headings = 0;
  let paragraphs = 0;
  return body.map((fragment): ChapterBlockJSON => {
    const inline = parseInline(fragment.pieces, isMarker);
    appendAll(sink.markers, inline.markers);
    appendAll(sink.findings, inline.findings);
    if (fragment.kind === 'heading') {
      return withContent({ type: 'heading', attrs: { level: fragment.level, id: `h-${++headings}` } }, inline.content);
    }
    return withContent({ type: 'paragraph', attrs: { id: `p-${++paragraphs}` } }, inline.content);
  });
}

/** Builds footnote nodes in number order with ids `fn-<n>`; a duplicate gets `fn-<n>-2`. */
function footnoteNodes(footnotes: readonly FootnoteFragment[], isMarker: (n: number) => boolean, findings: ImportFinding[]): FootnoteJSON[] {
  const uses = new Map<number, number>();
  return [...footnotes].sort((a, b) => a.n - b.n).map((fragment) => {
    const inline = parseInline(fragment.pieces, isMarker);
    appendAll(findings, inline.findings);
    const use = (uses.get(fragment.n) ?? 0) + 1;
    uses.set(fragment.n, use);
    const id = use === 1 ? `fn-${fragment.n}` : `fn-${fragment.n}-${use}`;
    return withContent({ type: 'footnote' as const, attrs: { n: fragment.n, id } }, inline.content);
  });
}

/**
 * Imports a chapter from plain text (UTF-8 decoded, BOM and CRLF accepted).
 *
 * Returns `{ok: true, doc, title, report}` where `doc` is ProseMirror JSON valid in
 * `chapterSchema`: the title (heading level 1, `h-1`), section headings (level 2),
 * paragraphs (`p-1`…) with `footnote_ref` atoms for markers and `page_break` atoms where
 * original pages began, then footnotes (`fn-<n>`) in number order. The report lists
 * findings with input line numbers and counts. Empty or binary input gives
 * `{ok: false, error}` with a one-line message. Throws TypeError/RangeError on bad arguments.
 */
export function importChapter(text: string, options: ImportOptions = {}): ImportResult {
  const firstPage = checkArguments(text, options);
  const input = normaliseChapterText(text);
  if (!input.ok) return input;
  // Phase 1: blocks, and which of them are footnotes (by the marker and number sequence).
  const sources = splitBlocks(input.text);
  const classified = classifyBlocks(sources, superscriptNumbers(sources));
  const findings = [...input.findings, ...classified.findings];
  const titleIndex = findTitle(classified.blocks, findings);
  // Phase 2: pages back together into whole paragraphs and footnotes.
  const chapter = reassemblePages({ blocks: classified.blocks, firstPage, titleIndex });
  appendAll(findings, chapter.findings);
  if (chapter.body.length === 0) return { ok: false, error: 'The text has footnotes but no body text; expected a chapter.' };
  // Phase 3: inline content, ids, and the marker/footnote cross-checks.
  const isMarker = markerRule(chapter.footnotes.map((f) => f.n));
  const sink = { markers: [] as MarkerOccurrence[], findings };
  const body = bodyNodes(chapter.body, isMarker, sink);
  const footnotes = footnoteNodes(chapter.footnotes, isMarker, findings);
  appendAll(findings, checkFootnoteReferences(sink.markers, chapter.footnotes));
  const title = titleIndex === null ? '' : inlineText(body[0]?.content ?? []);
  const stats = {
    headings: body.filter((node) => node.type === 'heading').length,
    paragraphs: body.filter((node) => node.type === 'paragraph').length,
    footnotes: footnotes.length,
    pages: chapter.pages,
    lines: countLines(input.text),
  };
  return { ok: true, doc: { type: 'doc', content: [...body, ...footnotes] }, title, report: { findings: sortFindings(findings), stats } };
}
