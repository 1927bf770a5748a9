import type * as Y from 'yjs';
import { BlockTable } from './block-table.ts';
import type { BlockPoint } from './block-table.ts';
import { createAnchorFromTextRange } from './create-anchor.ts';
import { resolveRelativePosition } from './positions.ts';
import type { PointResolution } from './positions.ts';
import { placeAnchor } from './resolve.ts';
import type { Anchor, Annotation } from '../annotations/model.ts';
import { listAnnotations } from '../annotations/layout.ts';
import type { OperationContext } from '../annotations/operation-context.ts';
import { reanchorAnnotation } from '../annotations/operations.ts';
import { TEXT_FRAGMENT_NAME } from '../chapter/y-text-projection.ts';

/**
 * Re-anchoring: writing fresh relative positions for annotations whose positions were lost
 * but whose text is known to be back, so that they resolve `anchored` again on every replica.
 *
 * - After an undo (yjs #638): undo re-inserts deleted text as new items; only the replica
 *   that undid knows (`item.redone`) which new items replace which old ones. That replica
 *   follows the redone chain and writes positions on the restored text.
 * - After relocation: an annotation relocated by its quote gets positions on the text it was
 *   found in (written by the owner's client, which may edit anyone's annotation).
 */

function samePoint(a: PointResolution, b: PointResolution): boolean {
  if (a.kind !== 'point' || b.kind !== 'point') return a.kind === b.kind;
  return a.point.block === b.point.block && a.point.pmOffset === b.point.pmOffset;
}

function freshAnchorBetween(table: BlockTable, start: BlockPoint, end: BlockPoint, exact: string): Anchor | null {
  if (!(table.has(start.block) && table.has(end.block)) || table.compare(start, end) >= 0) return null;
  // Only text restored exactly is re-anchored; anything else keeps its honest state.
  if (table.textBetween(start, end) !== exact) return null;
  const fresh = createAnchorFromTextRange(table, { start: table.textOffsetOf(start), end: table.textOffsetOf(end) });
  return fresh.ok ? fresh.value : null;
}

/**
 * Fresh anchors for the annotations whose positions sit on text this replica's undo manager
 * restored, keyed by annotation id. Only annotations whose restored text equals their quote
 * are included.
 */
export function anchorsRestoredByUndo(textDoc: Y.Doc, annotations: Iterable<Annotation>): Map<string, Anchor> {
  const fragment = textDoc.getXmlFragment(TEXT_FRAGMENT_NAME);
  const table = new BlockTable(fragment);
  const fresh = new Map<string, Anchor>();
  for (const { id, anchor } of annotations) {
    const resolve = (json: Anchor['start'], follow: boolean) => resolveRelativePosition(textDoc, fragment, json, table, follow);
    const start = resolve(anchor.start, true);
    const end = resolve(anchor.end, true);
    if (samePoint(start, resolve(anchor.start, false)) && samePoint(end, resolve(anchor.end, false))) continue;
    if (start.kind !== 'point' || end.kind !== 'point') continue;
    const anchorNow = freshAnchorBetween(table, start.point, end.point, anchor.quote.exact);
    if (anchorNow) fresh.set(id, anchorNow);
  }
  return fresh;
}

/** Fresh anchors for the annotations that currently resolve as `relocated`, keyed by id. */
export function anchorsForRelocated(textDoc: Y.Doc, annotations: Iterable<Annotation>): Map<string, Anchor> {
  const table = new BlockTable(textDoc.getXmlFragment(TEXT_FRAGMENT_NAME));
  const fresh = new Map<string, Anchor>();
  for (const { id, anchor } of annotations) {
    const placement = placeAnchor(textDoc, table, anchor);
    if (placement.state !== 'relocated' || placement.start === null || placement.end === null) continue;
    const anchorNow = freshAnchorBetween(table, placement.start, placement.end, anchor.quote.exact);
    if (anchorNow) fresh.set(id, anchorNow);
  }
  return fresh;
}

function writeAnchors(annotationsDoc: Y.Doc, anchors: Map<string, Anchor>, context: OperationContext): string[] {
  const written: string[] = [];
  for (const [id, anchor] of anchors) {
    if (reanchorAnnotation(annotationsDoc, id, anchor, context).ok) written.push(id);
  }
  return written;
}

/**
 * Run by the replica whose undo manager just undid or redone a text change: re-anchors every
 * annotation whose text that undo restored. Returns the ids written.
 */
export function reanchorRestoredAnnotations(annotationsDoc: Y.Doc, textDoc: Y.Doc, context: OperationContext): string[] {
  return writeAnchors(annotationsDoc, anchorsRestoredByUndo(textDoc, listAnnotations(annotationsDoc)), context);
}

/** Re-anchors every annotation that resolves as `relocated`. Returns the ids written. */
export function reanchorRelocatedAnnotations(annotationsDoc: Y.Doc, textDoc: Y.Doc, context: OperationContext): string[] {
  return writeAnchors(annotationsDoc, anchorsForRelocated(textDoc, listAnnotations(annotationsDoc)), context);
}
