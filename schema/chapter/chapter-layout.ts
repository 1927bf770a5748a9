import type { ProjectedBlock, TextProjection } from './text-projection.ts';

/**
 * The chapter's inline structure laid over the plain-text projection: for each block, its
 * runs of text (plain or italic) and the atoms the projection drops (footnote markers, page
 * breaks), at block-relative offsets. Exports that rebuild the chapter's structure (TEI, page
 * numbers in CSV) read this instead of walking ProseMirror JSON themselves.
 *
 * It reads the ProseMirror JSON of a live document, which no schema check has seen, so it is
 * tolerant: a block whose JSON text differs from its projection (or is missing) keeps the
 * projection's text as one plain run and loses its atoms, rather than failing the export.
 */

/** One inline item of a block, at offsets relative to the block's text. */
export type LayoutInline =
  | { kind: 'text'; start: number; end: number; italic: boolean }
  | { kind: 'footnote-ref'; n: number; at: number }
  | { kind: 'page-break'; page: number; at: number };

/** One top-level block: its projected place and text, and its inline items in order. */
export interface LayoutBlock extends ProjectedBlock {
  text: string;
  inlines: LayoutInline[];
}

/** Every block of the chapter, in document order (the projection's order). */
export interface ChapterLayout {
  text: string;
  blocks: LayoutBlock[];
}

type JsonNode = { type?: unknown; text?: unknown; attrs?: Record<string, unknown>; marks?: unknown; content?: unknown };

const asNode = (value: unknown): JsonNode | null => (typeof value === 'object' && value !== null ? (value as JsonNode) : null);
const childrenOf = (node: JsonNode | null): unknown[] => (Array.isArray(node?.content) ? node.content : []);

function isItalic(node: JsonNode): boolean {
  return Array.isArray(node.marks) && node.marks.some((mark) => asNode(mark)?.type === 'em');
}

/** Reads one block's inline JSON; null when it does not reproduce the projected text. */
function readInlines(node: JsonNode | null, expected: string): LayoutInline[] | null {
  const inlines: LayoutInline[] = [];
  let offset = 0;
  for (const child of childrenOf(node).map(asNode)) {
    if (child?.type === 'text' && typeof child.text === 'string') {
      const end = offset + child.text.length;
      if (expected.slice(offset, end) !== child.text) return null;
      inlines.push({ kind: 'text', start: offset, end, italic: isItalic(child) });
      offset = end;
    } else if (child?.type === 'footnote_ref') {
      inlines.push({ kind: 'footnote-ref', n: Number(child.attrs?.n), at: offset });
    } else if (child?.type === 'page_break') {
      inlines.push({ kind: 'page-break', page: Number(child.attrs?.page), at: offset });
    }
  }
  return offset === expected.length ? inlines : null;
}

/** Lays the chapter's ProseMirror JSON over its projection (see the module comment). */
export function readChapterLayout(chapter: unknown, projection: TextProjection): ChapterLayout {
  const nodes = childrenOf(asNode(chapter)).map(asNode).filter((node) => typeof node?.type === 'string');
  const blocks = projection.blocks.map((block, index): LayoutBlock => {
    const text = projection.text.slice(block.start, block.end);
    const node = nodes[index] ?? null;
    const inlines = node?.type === block.type ? readInlines(node, text) : null;
    return { ...block, text, inlines: inlines ?? (text === '' ? [] : [{ kind: 'text', start: 0, end: text.length, italic: false }]) };
  });
  return { text: projection.text, blocks };
}
