import type { Node as PMNode } from 'prosemirror-model';
import { chapterSchema } from '../../schema/chapter/chapter-schema.ts';

/**
 * Small builders for chapter documents in tests. Block text uses a tiny markup:
 * `^130` is a footnote marker for note 130, `*words*` are set in italics, `|12|` is the start
 * of original page 12. Ids follow the importer's scheme: `h-1`, `p-1`, `fn-130`.
 */

/** A block waiting for `chapterDoc` to give it an id. */
export interface BlockSpec {
  kind: 'heading' | 'paragraph' | 'footnote';
  markup: string;
  level?: number;
  n?: number;
}

/** A heading (level 2 by default; the chapter title is level 1). */
export function heading(markup: string, level = 2): BlockSpec {
  return { kind: 'heading', markup, level };
}

/** A body paragraph. */
export function para(markup: string): BlockSpec {
  return { kind: 'paragraph', markup };
}

/** Footnote number `n`. */
export function note(n: number, markup: string): BlockSpec {
  return { kind: 'footnote', markup, n };
}

const TOKEN = /\^(\d+)|\|(\d+)\||\*([^*]+)\*/g;

/** Turns block markup into inline nodes: text, italic text, footnote markers, page breaks. */
export function inlineNodes(markup: string): PMNode[] {
  const nodes: PMNode[] = [];
  let last = 0;
  const pushText = (text: string, italic: boolean) => {
    if (text === '') return;
    nodes.push(chapterSchema.text(text, italic ? [chapterSchema.marks.em.create()] : []));
  };
  for (const match of markup.matchAll(TOKEN)) {
    pushText(markup.slice(last, match.index), false);
    if (match[1] !== undefined) nodes.push(chapterSchema.nodes.footnote_ref.create({ n: Number(match[1]) }));
    else if (match[2] !== undefined) nodes.push(chapterSchema.nodes.page_break.create({ page: Number(match[2]) }));
    else pushText(match[3] ?? '', true);
    last = match.index + match[0].length;
  }
  pushText(markup.slice(last), false);
  return nodes;
}

/** Builds a checked chapter document; body blocks come first, footnotes last, as the schema requires. */
export function chapterDoc(...specs: BlockSpec[]): PMNode {
  let headings = 0;
  let paragraphs = 0;
  const blocks = specs.map((spec) => {
    const content = inlineNodes(spec.markup);
    if (spec.kind === 'heading') return chapterSchema.nodes.heading.create({ level: spec.level ?? 2, id: `h-${++headings}` }, content);
    if (spec.kind === 'paragraph') return chapterSchema.nodes.paragraph.create({ id: `p-${++paragraphs}` }, content);
    return chapterSchema.nodes.footnote.create({ n: spec.n ?? 0, id: `fn-${spec.n ?? 0}` }, content);
  });
  const doc = chapterSchema.nodes.doc.create(null, blocks);
  doc.check();
  return doc;
}
