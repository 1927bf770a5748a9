import type { Node as PMNode } from 'prosemirror-model';

/**
 * The plain-text projection of a chapter: the reading text that W3C TextPositionSelector
 * offsets and TextQuoteSelector quotes refer to.
 *
 * - Each top-level block (title, heading, paragraph, footnote) contributes its text, in
 *   document order; footnotes therefore follow the body, in number order.
 * - Inline atoms contribute nothing: a footnote marker (`¹³⁰`) and a page break are not
 *   reading text, so a quote never contains a superscript digit.
 * - Blocks are joined by BLOCK_SEPARATOR. A footnote's number is not part of its text.
 * - Offsets are UTF-16 code units (JavaScript string indices). Exports that need Unicode
 *   code points convert at the edge.
 */
export const BLOCK_SEPARATOR = '\n\n';

/** Where one block sits in the projection and in the ProseMirror document. */
export interface ProjectedBlock {
  /** The block's stable id (`p-12`, `fn-153`), or null for a block without one. */
  id: string | null;
  type: 'heading' | 'paragraph' | 'footnote';
  /** Footnote number for footnotes, heading level for headings, otherwise null. */
  n: number | null;
  /** Offset of the block's first character in the projection. */
  start: number;
  /** Offset just after the block's last character in the projection. */
  end: number;
  /** ProseMirror position of the block's content start (just inside the block). */
  pmStart: number;
}

/** The projection's text together with its block map. */
export interface TextProjection {
  text: string;
  blocks: ProjectedBlock[];
}

/** Returns the reading text of a block: its text nodes concatenated, atoms skipped. */
export function blockText(block: PMNode): string {
  let text = '';
  block.forEach((child) => {
    if (child.isText) text += child.text ?? '';
  });
  return text;
}

/** Projects a chapter document to its plain reading text and the offsets of its blocks. */
export function projectChapter(doc: PMNode): TextProjection {
  const blocks: ProjectedBlock[] = [];
  const parts: string[] = [];
  let offset = 0;
  doc.forEach((block, pos) => {
    if (parts.length > 0) offset += BLOCK_SEPARATOR.length;
    const text = blockText(block);
    const type = block.type.name as ProjectedBlock['type'];
    const n = type === 'footnote' ? Number(block.attrs.n) : type === 'heading' ? Number(block.attrs.level) : null;
    blocks.push({ id: (block.attrs.id as string | null) ?? null, type, n, start: offset, end: offset + text.length, pmStart: pos + 1 });
    parts.push(text);
    offset += text.length;
  });
  return { text: parts.join(BLOCK_SEPARATOR), blocks };
}
