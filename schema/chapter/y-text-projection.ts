import * as Y from 'yjs';
import { BLOCK_SEPARATOR } from './text-projection.ts';
import type { ProjectedBlock, TextProjection } from './text-projection.ts';

/**
 * The plain-text projection (`chapter/text-projection.ts`) computed straight from the Yjs text
 * document, without building a ProseMirror document: the server, the anchor resolver and
 * the exporters read the chapter this way. It equals `projectChapter` of the ProseMirror
 * document y-prosemirror would build from the same fragment.
 *
 * The walk reads Yjs items directly (live items only) because `Y.XmlText.toString()`
 * renders formatting as tags and `toDelta()` allocates per run.
 */

/** The name of the XmlFragment that holds the chapter in the text document. */
export const TEXT_FRAGMENT_NAME = 'prosemirror';

/**
 * Any Yjs shared type. Yjs types are invariant in their event type, so children of mixed
 * kinds (runs, elements) only fit a type parameter of `any`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyYType = Y.AbstractType<any>;

/** What one top-level block measures: its reading text and its ProseMirror content size. */
export interface BlockMeasure {
  text: string;
  /** ProseMirror content size: text length plus one per inline atom. */
  size: number;
}

// A countable item that is not a string (an embed a foreign writer slipped in) still takes
// room in Yjs indices; the object replacement character keeps text offsets and indices equal.
const OBJECT_REPLACEMENT = '\ufffc';

/** Returns the text of a Y.XmlText with formatting ignored. */
export function yTextContent(ytext: Y.XmlText): string {
  let text = '';
  for (let item = ytext._start; item !== null; item = item.right) {
    if (item.deleted || !item.countable) continue;
    text += item.content instanceof Y.ContentString ? item.content.str : OBJECT_REPLACEMENT.repeat(item.length);
  }
  return text;
}

/** Returns the type held by a live child item, or null for deleted or non-type items. */
export function liveChildType(item: Y.Item): AnyYType | null {
  if (item.deleted || !(item.content instanceof Y.ContentType)) return null;
  return item.content.type as AnyYType;
}

/** The ProseMirror size of an inline child: a run's length, or 1 for an atom. */
export function inlineSize(type: AnyYType): number {
  return type instanceof Y.XmlText ? type.length : 1;
}

/** Measures a block: its text (atoms skipped) and its ProseMirror content size. */
export function measureYBlock(block: Y.XmlElement): BlockMeasure {
  let text = '';
  let size = 0;
  for (let item = block._start; item !== null; item = item.right) {
    const child = liveChildType(item);
    if (child === null) continue;
    if (child instanceof Y.XmlText) text += yTextContent(child);
    size += inlineSize(child);
  }
  return { text, size };
}

/**
 * Returns the live top-level blocks of the fragment, in order. Top-level children that are
 * not elements are skipped: y-prosemirror cannot render them either.
 */
export function liveBlocks(fragment: Y.XmlFragment): Y.XmlElement[] {
  const blocks: Y.XmlElement[] = [];
  for (let item = fragment._start; item !== null; item = item.right) {
    const child = liveChildType(item);
    if (child instanceof Y.XmlElement) blocks.push(child);
  }
  return blocks;
}

/** Returns the block's `id` attribute, or null when it has none. */
export function yBlockId(block: Y.XmlElement): string | null {
  const id = block.getAttribute('id') as unknown;
  return typeof id === 'string' ? id : null;
}

function describeBlock(block: Y.XmlElement): Pick<ProjectedBlock, 'id' | 'type' | 'n'> {
  const type = block.nodeName as ProjectedBlock['type'];
  // Missing attributes take the chapter schema's defaults, as ProseMirror would give them.
  const attr = (name: string, fallback: number) => {
    const value = block.getAttribute(name) as unknown;
    return value === undefined || value === null ? fallback : Number(value);
  };
  const n = type === 'footnote' ? attr('n', 0) : type === 'heading' ? attr('level', 2) : null;
  return { id: yBlockId(block), type, n };
}

/** Projects the chapter held by `fragment` to its reading text and block map. */
export function projectYFragment(fragment: Y.XmlFragment): TextProjection {
  const blocks: ProjectedBlock[] = [];
  const parts: string[] = [];
  let offset = 0;
  let pmPos = 0;
  for (const block of liveBlocks(fragment)) {
    if (parts.length > 0) offset += BLOCK_SEPARATOR.length;
    const { text, size } = measureYBlock(block);
    blocks.push({ ...describeBlock(block), start: offset, end: offset + text.length, pmStart: pmPos + 1 });
    parts.push(text);
    offset += text.length;
    pmPos += size + 2;
  }
  return { text: parts.join(BLOCK_SEPARATOR), blocks };
}

/** Returns the projection text of the text document's chapter (fragment `prosemirror`). */
export function projectYDoc(ydoc: Y.Doc): TextProjection {
  return projectYFragment(ydoc.getXmlFragment(TEXT_FRAGMENT_NAME));
}
