import * as Y from 'yjs';
import type { BlockPoint, BlockTable, Bias } from './block-table.ts';
import type { RelativePositionJSON } from '../annotations/model.ts';
import { inlineSize, liveChildType } from '../chapter/y-text-projection.ts';
import type { AnyYType } from '../chapter/y-text-projection.ts';

/**
 * Conversions between ProseMirror positions, points in the Yjs text document (block +
 * offset, or Yjs type + index) and Yjs relative positions.
 *
 * Conventions: a range start leans right (it sticks to the character or atom after it,
 * assoc 0) and a range end leans left (it sticks to the character or atom before it,
 * assoc -1), so that text typed at either edge stays outside the range. Positions at a
 * block's end or next to an inline atom are expressed on the neighbouring run or atom item,
 * never on a type's end, whenever a neighbour exists (y-prosemirror #194).
 */

/** The outcome of resolving a relative position against the current text document. */
export type PointResolution =
  | { kind: 'point'; point: BlockPoint }
  | { kind: 'lost' }
  | { kind: 'unknown' };

/** A position as a Yjs type and an index into it. */
export interface YTypeIndex {
  type: Y.XmlText | Y.XmlElement;
  index: number;
}

/** Returns the Yjs type and index for a point, leaning as `bias` says (see module comment). */
export function yTypeIndexAt(point: BlockPoint, bias: Bias): YTypeIndex {
  let pm = 0;
  let childIndex = 0;
  for (let item = point.block._start; item !== null; item = item.right) {
    const child = liveChildType(item);
    if (child === null) continue;
    const size = inlineSize(child);
    const reaches = bias === 'start' ? point.pmOffset < pm + size : point.pmOffset <= pm + size && point.pmOffset > pm;
    if (reaches) {
      if (child instanceof Y.XmlText) return { type: child, index: point.pmOffset - pm };
      // An atom: address the parent block by child index, so the position sticks to the atom.
      return { type: point.block, index: bias === 'start' ? childIndex : childIndex + 1 };
    }
    pm += size;
    childIndex += 1;
  }
  return { type: point.block, index: bias === 'start' ? childIndex : 0 };
}

/**
 * Converts a Yjs relative position object to its plain JSON form (plain `{client, clock}` ids).
 * A position that sticks to an item leaves out the type holding it: Yjs resolves such a position
 * by its item alone, and the stored anchor stays small (layout 2 keeps only the item's id).
 */
export function relativePositionJSON(rpos: Y.RelativePosition): RelativePositionJSON {
  const json: RelativePositionJSON = {};
  if (rpos.type && !rpos.item) json.type = { client: rpos.type.client, clock: rpos.type.clock };
  if (rpos.tname) json.tname = rpos.tname;
  if (rpos.item) json.item = { client: rpos.item.client, clock: rpos.item.clock };
  json.assoc = rpos.assoc;
  return json;
}

/** Returns the relative position of a point: assoc 0 for a `start`, -1 for an `end`. */
export function relativePositionAt(point: BlockPoint, bias: Bias): RelativePositionJSON {
  const { type, index } = yTypeIndexAt(point, bias);
  return relativePositionJSON(Y.createRelativePositionFromTypeIndex(type, index, bias === 'start' ? 0 : -1));
}

/** Returns the relative position of a ProseMirror position in the table's text. */
export function pmPositionToRelativePosition(table: BlockTable, pos: number, bias: Bias): RelativePositionJSON {
  return relativePositionAt(table.pointAtPmPosition(pos), bias);
}

function isKnown(ydoc: Y.Doc, id: Y.ID | null): boolean {
  return id === null || Y.getState(ydoc.store, id.client) > id.clock;
}

/**
 * Walks from `type` up to `fragment`. Returns the top-level block and the block's child on
 * the path, or null when the path leaves the fragment or crosses a deleted type.
 */
function pathToFragment(type: AnyYType, fragment: Y.XmlFragment): { block: Y.XmlElement | null; child: AnyYType | null } | null {
  let child: AnyYType | null = null;
  let current: AnyYType = type;
  while (current !== (fragment as AnyYType)) {
    const item = current._item;
    if (item === null || item.deleted || !(item.parent instanceof Y.AbstractType)) return null;
    const parent = item.parent as AnyYType;
    if (parent === (fragment as AnyYType)) {
      return current instanceof Y.XmlElement ? { block: current, child } : null;
    }
    child = current;
    current = parent;
  }
  return { block: null, child: null };
}

/** The point `index` live children into a block (or, for a run, `index` characters into it). */
function pointInBlock(block: Y.XmlElement, child: AnyYType | null, type: AnyYType, index: number): BlockPoint {
  let pm = 0;
  let text = 0;
  let seen = 0;
  for (let item = block._start; item !== null; item = item.right) {
    const current = liveChildType(item);
    if (current === null) continue;
    if (child === null ? seen === index : current === child) break;
    const size = inlineSize(current);
    pm += size;
    if (current instanceof Y.XmlText) text += size;
    seen += 1;
  }
  // Inside a run the index counts characters; anywhere deeper (inside an atom) means "before it".
  const within = child !== null && child === type && child instanceof Y.XmlText ? Math.min(index, child.length) : 0;
  return { block, pmOffset: pm + within, textOffset: text + within };
}

/**
 * Resolves a relative position against the text document without following undone
 * deletions (yjs #638: `item.redone` exists only on the replica that undid), so the outcome
 * is a function of the document state alone. A deleted item in a live run still resolves,
 * to the place it was deleted from. Returns the point; `lost` when a type on the way up to
 * the fragment is deleted or the item was garbage-collected with its parent; or `unknown`
 * when the position refers to an update this replica has not received yet.
 * `followUndoneDeletions` is for the replica that undid, re-anchoring (`anchoring/reanchor.ts`);
 * resolution that must agree across replicas never sets it.
 */
export function resolveRelativePosition(
  ydoc: Y.Doc,
  fragment: Y.XmlFragment,
  json: RelativePositionJSON,
  table: BlockTable,
  followUndoneDeletions = false,
): PointResolution {
  const rpos = Y.createRelativePositionFromJSON(json);
  // Only the chapter's own root may be named: resolving another name would create a root type.
  if (rpos.tname !== null && rpos.tname !== Y.findRootTypeKey(fragment)) return { kind: 'lost' };
  if (!isKnown(ydoc, rpos.item) || !isKnown(ydoc, rpos.type)) return { kind: 'unknown' };
  const absolute = Y.createAbsolutePositionFromRelativePosition(rpos, ydoc, followUndoneDeletions);
  if (absolute === null) return { kind: 'lost' };
  const path = pathToFragment(absolute.type as AnyYType, fragment);
  if (path === null) return { kind: 'lost' };
  if (path.block === null) {
    // A position between blocks: the start of the block that follows it, or the text's end.
    if (table.blockCount === 0) return { kind: 'lost' };
    const index = Math.min(absolute.index, table.blockCount);
    const point = index < table.blockCount
      ? { block: table.blockAt(index), pmOffset: 0, textOffset: 0 }
      : endOfBlock(table, table.blockAt(table.blockCount - 1));
    return { kind: 'point', point };
  }
  const point = pointInBlock(path.block, path.child, absolute.type as AnyYType, absolute.index);
  return { kind: 'point', point };
}

function endOfBlock(table: BlockTable, block: Y.XmlElement): BlockPoint {
  const measure = table.measureOf(block);
  return { block, pmOffset: measure.size, textOffset: measure.text.length };
}

/** Resolves a relative position to a ProseMirror position, or null when it is lost or unknown. */
export function relativePositionToPmPosition(ydoc: Y.Doc, table: BlockTable, json: RelativePositionJSON): number | null {
  const resolved = resolveRelativePosition(ydoc, table.fragment, json, table);
  return resolved.kind === 'point' ? table.pmPositionOf(resolved.point) : null;
}
