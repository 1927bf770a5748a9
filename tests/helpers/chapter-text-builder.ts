import { expect } from 'vitest';
import { chapterFromJSON, importChapter, numberToSuperscript, projectChapter } from '../../schema/index.ts';
import type { ImportFinding, ImportFindingCode, ImportOptions, ImportReport } from '../../schema/index.ts';
import type { Node as PMNode } from 'prosemirror-model';

/**
 * Builds synthetic chapters in the plain-text format (blocks separated by blank lines) and
 * reads imported chapters back in the terms tests assert on: paragraph texts, footnote
 * texts, markers and page breaks.
 */

/** Writes a footnote marker: `sup(130)` is `¹³⁰`. */
export function sup(n: number): string {
  return numberToSuperscript(n);
}

/** Builds a chapter text block by block, in input order. */
export class ChapterTextBuilder {
  private readonly blocks: string[] = [];

  /** Adds the chapter title line. */
  title(text = '1. A Chapter for Tests'): this {
    return this.block(text);
  }

  /** Adds a section heading line. */
  heading(text: string): this {
    return this.block(text);
  }

  /** Adds a body block: a whole paragraph or the part of one that is on this page. */
  paragraph(text: string): this {
    return this.block(text);
  }

  /** Adds a footnote block `n text`. */
  footnote(n: number, text: string): this {
    return this.block(`${n} ${text}`);
  }

  /** Adds any block verbatim (a footnote's continuation, a malformed line). */
  block(text: string): this {
    this.blocks.push(text);
    return this;
  }

  /** Joins the blocks with blank lines, optionally with CRLF line ends and a byte-order mark. */
  build(options: { lineEnd?: '\n' | '\r\n'; bom?: boolean } = {}): string {
    const lineEnd = options.lineEnd ?? '\n';
    const text = this.blocks.join(`${lineEnd}${lineEnd}`) + lineEnd;
    return options.bom ? `\ufeff${text}` : text;
  }
}

/** Returns the 1-based line of the first line containing `needle`; fails the test if none does. */
export function lineOf(text: string, needle: string): number {
  const index = text.split(/\r?\n/).findIndex((line) => line.includes(needle));
  expect(index, `no line contains ${JSON.stringify(needle)}`).toBeGreaterThanOrEqual(0);
  return index + 1;
}

/** A page break as a reader sees it: which block, and the text just before and after it. */
export interface PageBreakView {
  page: number;
  blockId: string;
  before: string;
  after: string;
}

/** An imported chapter in the terms the tests use. */
export interface ImportedChapter {
  doc: PMNode;
  title: string;
  report: ImportReport;
  headings: string[];
  paragraphs: string[];
  footnotes: Map<number, string>;
  /** Footnote numbers of the `footnote_ref` atoms in the body, in reading order. */
  refs: number[];
  pageBreaks: PageBreakView[];
}

/** Collects every page break with the reading text around it (up to 30 characters each side). */
function pageBreaksOf(doc: PMNode): PageBreakView[] {
  const breaks: PageBreakView[] = [];
  doc.forEach((block) => {
    block.forEach((child, offset) => {
      if (child.type.name !== 'page_break') return;
      breaks.push({
        page: Number(child.attrs.page),
        blockId: String(block.attrs.id),
        before: block.textBetween(Math.max(0, offset - 30), offset),
        after: block.textBetween(offset + child.nodeSize, Math.min(block.content.size, offset + child.nodeSize + 30)),
      });
    });
  });
  return breaks;
}

/** Imports a chapter, failing the test if it is refused or not valid in the schema. */
export function importOk(text: string, options?: ImportOptions): ImportedChapter {
  const result = importChapter(text, options);
  if (!result.ok) throw new Error(`import refused: ${result.error}`);
  const doc = chapterFromJSON(result.doc);
  const { text: projection, blocks } = projectChapter(doc);
  const textOf = (type: string) => blocks.filter((b) => b.type === type).map((b) => projection.slice(b.start, b.end));
  const footnotes = new Map(blocks.filter((b) => b.type === 'footnote').map((b) => [b.n!, projection.slice(b.start, b.end)] as const));
  const refs: number[] = [];
  doc.forEach((block) => {
    if (block.type.name === 'footnote') return;
    block.descendants((node) => {
      if (node.type.name === 'footnote_ref') refs.push(Number(node.attrs.n));
    });
  });
  return {
    doc, title: result.title, report: result.report, headings: textOf('heading'), paragraphs: textOf('paragraph'),
    footnotes, refs, pageBreaks: pageBreaksOf(doc),
  };
}

/** Returns the findings of one code. */
export function findingsOf(chapter: ImportedChapter, code: ImportFindingCode): ImportFinding[] {
  return chapter.report.findings.filter((f) => f.code === code);
}
