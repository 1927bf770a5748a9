import type * as Y from 'yjs';
import { BlockTable } from './block-table.ts';
import type { BlockPoint } from './block-table.ts';
import { resolveRelativePosition } from './positions.ts';
import { relocateQuote } from './quote.ts';
import type { Anchor } from '../annotations/model.ts';
import { TEXT_FRAGMENT_NAME } from '../chapter/y-text-projection.ts';

/**
 * Anchor resolution: where an annotation's range lies in the current text, and how sure we
 * are of it. The result is a function of the text document's state and the anchor alone, so
 * every replica that has the same updates computes the same state and range:
 *
 * 1. Both relative positions resolve (without following undone deletions, yjs #638), none of
 *    their ancestors is deleted, and the start lies before the end: the range stands. It is
 *    `anchored` when the text between equals the quote, else `degraded`.
 * 2. Otherwise the positions are lost (a deleted block or run, a collapsed range): the quote
 *    is searched for (`relocateQuote`) and the annotation is `relocated` to the only
 *    acceptable match, or `orphaned`.
 * 3. A position naming an update this replica has not received yet makes the annotation
 *    `orphaned` until it arrives; it is never relocated on partial knowledge.
 */

/** How an anchor resolved. */
export type AnchorState = 'anchored' | 'relocated' | 'degraded' | 'orphaned';

/** Where an anchor resolved to, as points in blocks (the form the incremental index keeps). */
export interface AnchorPlacement {
  state: AnchorState;
  start: BlockPoint | null;
  end: BlockPoint | null;
}

/**
 * A resolved anchor: its state, its ProseMirror range `from`–`to` and its projection range
 * `start`–`end` (UTF-16 offsets); all four are null for an orphan.
 */
export interface AnchorResolution {
  state: AnchorState;
  from: number | null;
  to: number | null;
  start: number | null;
  end: number | null;
}

const ORPHANED: AnchorPlacement = Object.freeze({ state: 'orphaned', start: null, end: null });

/**
 * A placement with what it depended on, for the incremental index: whether the positions
 * `resolved`, were `lost` (the quote decided) or are `pending` (an update not yet received),
 * and the blocks whose content the outcome read (the range's blocks, or for lost positions
 * the blocks their collapsed points and any relocated range lie in).
 */
export interface AnchorPlacementDetail {
  placement: AnchorPlacement;
  positions: 'resolved' | 'lost' | 'pending';
  blocks: Y.XmlElement[];
}

function blocksBetween(table: BlockTable, from: BlockPoint, to: BlockPoint): Y.XmlElement[] {
  const blocks: Y.XmlElement[] = [];
  for (let i = table.indexOf(from.block); i >= 0 && i <= table.indexOf(to.block); i++) blocks.push(table.blockAt(i));
  return blocks;
}

/** Places an anchor and reports what the outcome depended on (see `AnchorPlacementDetail`). */
export function placeAnchorInDetail(ydoc: Y.Doc, table: BlockTable, anchor: Anchor): AnchorPlacementDetail {
  const start = resolveRelativePosition(ydoc, table.fragment, anchor.start, table);
  const end = resolveRelativePosition(ydoc, table.fragment, anchor.end, table);
  if (start.kind === 'unknown' || end.kind === 'unknown') return { placement: ORPHANED, positions: 'pending', blocks: [] };
  if (start.kind === 'point' && end.kind === 'point' && table.compare(start.point, end.point) < 0) {
    const text = table.textBetween(start.point, end.point);
    const placement: AnchorPlacement = { state: text === anchor.quote.exact ? 'anchored' : 'degraded', start: start.point, end: end.point };
    return { placement, positions: 'resolved', blocks: blocksBetween(table, start.point, end.point) };
  }
  // A collapsed range can open up again if text lands between its deleted ends: its blocks matter.
  const blocks = [start, end].flatMap((p) => (p.kind === 'point' ? [p.point.block] : []));
  const found = relocateQuote(table.fullText(), anchor.quote, anchor.occurrences);
  if (found === null) return { placement: ORPHANED, positions: 'lost', blocks };
  const placement: AnchorPlacement = { state: 'relocated', start: table.pointAtTextOffset(found.start, 'start'), end: table.pointAtTextOffset(found.end, 'end') };
  return { placement, positions: 'lost', blocks: [...blocks, ...blocksBetween(table, placement.start!, placement.end!)] };
}

/** Places an anchor in the text described by `table` (which must be current). */
export function placeAnchor(ydoc: Y.Doc, table: BlockTable, anchor: Anchor): AnchorPlacement {
  return placeAnchorInDetail(ydoc, table, anchor).placement;
}

/** Converts a placement to positions in the current text. */
export function resolutionOf(table: BlockTable, placement: AnchorPlacement): AnchorResolution {
  const { state, start, end } = placement;
  if (start === null || end === null) return { state, from: null, to: null, start: null, end: null };
  return {
    state,
    from: table.pmPositionOf(start),
    to: table.pmPositionOf(end),
    start: table.textOffsetOf(start),
    end: table.textOffsetOf(end),
  };
}

/** Resolves one anchor against the text document (a fresh block table unless one is passed). */
export function resolveAnchor(ydoc: Y.Doc, anchor: Anchor, table: BlockTable = new BlockTable(ydoc.getXmlFragment(TEXT_FRAGMENT_NAME))): AnchorResolution {
  return resolutionOf(table, placeAnchor(ydoc, table, anchor));
}

/** Resolves every anchor from scratch; the reference the incremental index must always equal. */
export function resolveAnchors(ydoc: Y.Doc, annotations: Iterable<{ id: string; anchor: Anchor }>): Map<string, AnchorResolution> {
  const table = new BlockTable(ydoc.getXmlFragment(TEXT_FRAGMENT_NAME));
  const resolved = new Map<string, AnchorResolution>();
  for (const { id, anchor } of annotations) resolved.set(id, resolutionOf(table, placeAnchor(ydoc, table, anchor)));
  return resolved;
}
