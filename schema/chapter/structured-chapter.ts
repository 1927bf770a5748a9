import { importFinding, sortFindings } from './import-report.ts';
import type { ImportFinding } from './import-report.ts';
import type { ChapterBlockJSON, ChapterInlineJSON, ChapterJSON, FootnoteJSON, TextJSON } from './chapter-json.ts';
import type { ImportResult } from './importer.ts';

/**
 * Chapters from sources that say what their structure is — Markdown (`#` headings, `[^n]`
 * footnotes) and Word documents (heading styles, real footnotes) — as opposed to typeset text,
 * whose structure the chapter importer has to infer. Each reader turns its format into a
 * `StructuredSource`; this builds the chapter from it, with the same report as the importer:
 * footnotes numbered in the order they are first referred to, and findings for references
 * without a footnote, footnotes nothing refers to, references repeated, and anything left out.
 */

/** A piece of running text: a run of text (maybe in italics) or a footnote reference by label. */
export type SourceInline = { kind: 'text'; text: string; italic?: boolean } | { kind: 'note-ref'; label: string; line: number };

/** A heading (level 1–6) or a paragraph (level 0) and where it starts (line or paragraph number). */
export interface SourceBlock {
  kind: 'heading' | 'paragraph';
  level: number;
  inlines: SourceInline[];
  line: number;
}

/** A footnote's text under its label, and where it starts. */
export interface SourceNote {
  label: string;
  inlines: SourceInline[];
  line: number;
}

/** A whole structured source: blocks in reading order, footnotes, and what the reader noticed. */
export interface StructuredSource {
  blocks: SourceBlock[];
  notes: SourceNote[];
  /** How many lines (Markdown) or paragraphs (Word) the source has. */
  lines: number;
  findings: ImportFinding[];
}

/** Adds a text run, joining it to the previous one when they look the same. */
function pushText(content: ChapterInlineJSON[], text: string, italic: boolean): void {
  if (text === '') return;
  const last = content[content.length - 1];
  const lastItalic = last?.type === 'text' && (last.marks?.length ?? 0) > 0;
  if (last?.type === 'text' && lastItalic === italic) {
    last.text += text;
    return;
  }
  const node: TextJSON = italic ? { type: 'text', text, marks: [{ type: 'em' }] } : { type: 'text', text };
  content.push(node);
}

/** Collapses white space inside the content and trims its ends (ProseMirror refuses empty text nodes). */
function tidy(content: ChapterInlineJSON[]): ChapterInlineJSON[] {
  for (const node of content) if (node.type === 'text') node.text = node.text.replace(/\s+/g, ' ');
  const first = content[0];
  if (first?.type === 'text') first.text = first.text.trimStart();
  const last = content[content.length - 1];
  if (last?.type === 'text') last.text = last.text.trimEnd();
  return content.filter((node) => node.type !== 'text' || node.text !== '');
}

/** Numbers footnotes by first reference; reports references without a footnote and repeats. */
class NoteNumbering {
  readonly numbers = new Map<string, number>();
  readonly defined: Map<string, SourceNote>;
  readonly findings: ImportFinding[];
  #next = 1;

  constructor(notes: readonly SourceNote[], findings: ImportFinding[]) {
    this.findings = findings;
    this.defined = new Map();
    for (const note of notes) {
      if (this.defined.has(note.label)) {
        findings.push(importFinding('duplicate-footnote', note.line, `footnote [^${note.label}] is defined again; the second one is kept as a footnote of its own`));
        this.defined.set(`${note.label}\u0000${note.line}`, note);
      } else {
        this.defined.set(note.label, note);
      }
    }
  }

  /** The number of a referenced footnote, or null (reported) when it has no definition. */
  refer(label: string, line: number): number | null {
    if (!this.defined.has(label)) {
      this.findings.push(importFinding('marker-without-footnote', line, `the reference [^${label}] has no footnote; kept as text`));
      return null;
    }
    const known = this.numbers.get(label);
    if (known !== undefined) {
      this.findings.push(importFinding('duplicate-marker', line, `footnote [^${label}] is referred to again`, known));
      return known;
    }
    const n = this.#next++;
    this.numbers.set(label, n);
    return n;
  }

  /** Numbers the footnotes nothing referred to (reported), after the others. */
  numberTheRest(): void {
    for (const [key, note] of this.defined) {
      if (this.numbers.has(key)) continue;
      const n = this.#next++;
      this.numbers.set(key, n);
      // A second definition of a label was reported as such already.
      if (key.includes('\u0000')) continue;
      this.findings.push(importFinding('footnote-without-marker', note.line, `footnote [^${note.label}] is not referred to in the text; kept as footnote ${n}`, n));
    }
  }
}

/** Builds inline content; inside footnotes, references become text (a footnote has no footnotes). */
function inlineContent(inlines: readonly SourceInline[], numbering: NoteNumbering | null): ChapterInlineJSON[] {
  const content: ChapterInlineJSON[] = [];
  for (const inline of inlines) {
    if (inline.kind === 'text') {
      pushText(content, inline.text, inline.italic === true);
      continue;
    }
    const n = numbering?.refer(inline.label, inline.line) ?? null;
    if (n === null) pushText(content, `[^${inline.label}]`, false);
    else content.push({ type: 'footnote_ref', attrs: { n } });
  }
  return tidy(content);
}

function withContent<T extends object>(node: T, content: ChapterInlineJSON[]): T & { content?: ChapterInlineJSON[] } {
  return content.length > 0 ? { ...node, content } : node;
}

function plainText(content: readonly ChapterInlineJSON[]): string {
  return content.map((node) => (node.type === 'text' ? node.text : '')).join('');
}

/**
 * Builds a chapter from a structured source. The first block, when it is a level-1 heading, is
 * the title; every other heading is a section heading. Empty blocks are dropped; a source with
 * no text at all is refused with a one-line message.
 */
export function buildStructuredChapter(source: StructuredSource): ImportResult {
  const findings = [...source.findings];
  const numbering = new NoteNumbering(source.notes, findings);
  const body: ChapterBlockJSON[] = [];
  let [headings, paragraphs] = [0, 0];
  let title = '';
  for (const block of source.blocks) {
    const content = inlineContent(block.inlines, numbering);
    if (plainText(content).trim() === '' && !content.some((node) => node.type === 'footnote_ref')) continue;
    if (block.kind === 'heading') {
      const isTitle = body.length === 0 && block.level === 1;
      if (isTitle) title = plainText(content);
      body.push(withContent({ type: 'heading' as const, attrs: { level: (isTitle ? 1 : 2) as 1 | 2, id: `h-${++headings}` } }, content));
    } else {
      body.push(withContent({ type: 'paragraph' as const, attrs: { id: `p-${++paragraphs}` } }, content));
    }
  }
  if (body.length === 0) return { ok: false, error: 'The file has no text to make a chapter of.' };
  if (title === '') findings.push(importFinding('missing-title', source.blocks[0]?.line ?? 1, 'the chapter does not start with a level-1 heading (such as "# 5. Title"); it has no title heading'));
  numbering.numberTheRest();
  const footnotes: FootnoteJSON[] = [];
  for (const [key, note] of numbering.defined) {
    const n = numbering.numbers.get(key)!;
    footnotes.push(withContent({ type: 'footnote' as const, attrs: { n, id: `fn-${n}` } }, inlineContent(note.inlines, null)));
  }
  footnotes.sort((a, b) => a.attrs.n - b.attrs.n);
  const doc: ChapterJSON = { type: 'doc', content: [...body, ...footnotes] };
  const stats = { headings, paragraphs, footnotes: footnotes.length, pages: 1, lines: source.lines };
  return { ok: true, doc, title, report: { findings: sortFindings(findings), stats } };
}
