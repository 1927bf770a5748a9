import { Schema } from 'prosemirror-model';
import type { DOMOutputSpec, Node as PMNode } from 'prosemirror-model';

/**
 * The ProseMirror schema of a chapter.
 *
 * A chapter is a flat list of text blocks: the title (`heading` level 1), section
 * headings (level 2) and body `paragraph`s in reading order, then every `footnote` in
 * number order. Footnotes live in the same document as the body so that reviewers can
 * annotate them too (transliteration and citation problems sit in the notes).
 *
 * Inline content is text (optionally `em`), `footnote_ref` atoms where the body carries a
 * superscript marker, and `page_break` atoms where an original page began, so page numbers
 * can be cited without breaking a paragraph that ran across the page.
 *
 * `id` attributes are stable identifiers (`h-1`, `p-12`, `fn-153`) that exports and
 * annotations point at; the client gives a fresh id to a block produced by a split.
 */
export const chapterSchema = new Schema({
  nodes: {
    doc: { content: '(heading | paragraph)+ footnote*' },
    heading: {
      content: 'inline*',
      attrs: { level: { default: 2 }, id: { default: null } },
      defining: true,
      parseDOM: [
        { tag: 'h1', getAttrs: (el) => ({ level: 1, id: (el as { getAttribute(n: string): string | null }).getAttribute('data-id') }) },
        { tag: 'h2', getAttrs: (el) => ({ level: 2, id: (el as { getAttribute(n: string): string | null }).getAttribute('data-id') }) },
      ],
      toDOM: (node): DOMOutputSpec => [node.attrs.level === 1 ? 'h1' : 'h2', { 'data-id': node.attrs.id }, 0],
    },
    paragraph: {
      content: 'inline*',
      attrs: { id: { default: null } },
      parseDOM: [{ tag: 'p' }],
      toDOM: (node): DOMOutputSpec => ['p', { 'data-id': node.attrs.id }, 0],
    },
    footnote: {
      content: 'inline*',
      attrs: { n: { default: 0 }, id: { default: null } },
      defining: true,
      toDOM: (node): DOMOutputSpec => [
        'aside',
        { class: 'footnote', 'data-n': String(node.attrs.n), 'data-id': node.attrs.id, id: `footnote-${node.attrs.n}` },
        0,
      ],
    },
    text: { group: 'inline' },
    footnote_ref: {
      group: 'inline',
      inline: true,
      atom: true,
      selectable: false,
      attrs: { n: { default: 0 } },
      toDOM: (node): DOMOutputSpec => ['sup', { class: 'footnote-ref', 'data-n': String(node.attrs.n) }, String(node.attrs.n)],
    },
    page_break: {
      group: 'inline',
      inline: true,
      atom: true,
      selectable: false,
      attrs: { page: { default: 1 } },
      // Shown in the margin by CSS (content: attr(data-page)): it adds no reading text.
      toDOM: (node): DOMOutputSpec => ['span', { class: 'page-break', 'data-page': String(node.attrs.page) }],
    },
  },
  marks: {
    em: {
      parseDOM: [{ tag: 'em' }, { tag: 'i' }],
      toDOM: (): DOMOutputSpec => ['em', 0],
    },
  },
});

/** Builds a chapter node from ProseMirror JSON, throwing a RangeError if it does not fit the schema. */
export function chapterFromJSON(json: unknown): PMNode {
  const node = chapterSchema.nodeFromJSON(json);
  node.check();
  return node;
}
