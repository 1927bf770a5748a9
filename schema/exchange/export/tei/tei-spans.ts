import type { Annotation } from '../../../annotations/model.ts';
import type { LayoutBlock } from '../../../chapter/chapter-layout.ts';
import type { SnapshotAnnotation } from '../snapshot.ts';
import type { TeiContext } from './tei-context.ts';

/**
 * Where each annotation's passage goes in the TEI text, and how. XML elements must nest, and
 * annotations overlap freely, so a passage becomes an element (`seg`, or `choice` for a problem
 * with a correction) only when it lies inside one block and crosses no passage already made an
 * element; every other passage becomes a pair of empty `anchor`s, which cannot break nesting.
 * Corrections are placed first (a `choice` says the most), then the other passages from the
 * longest; identical ranges nest, the correction outermost.
 */

/** How one passage is marked in the text. */
export type SpanMode = 'seg' | 'choice' | 'anchors';

/** One annotation's passage in the text: blocks by index, offsets relative to the block's text. */
export interface PlacedSpan {
  entry: SnapshotAnnotation;
  mode: SpanMode;
  /** The `xml:id` of the element, or of the start anchor; `endId` of the end anchor. */
  startId: string;
  endId: string | null;
  startBlock: number;
  start: number;
  endBlock: number;
  end: number;
  /** Order of opening among elements: outer before inner. */
  rank: number;
}

/** The pointer an annotation's standOff entry targets its passage with. */
export function spanTarget(span: PlacedSpan): string {
  return span.mode === 'anchors' ? `#range(${span.startId},${span.endId})` : `#${span.startId}`;
}

/** Whether a problem is written as `choice`: a proposed correction, or one applied to the text. */
export function isCorrection(annotation: Annotation): boolean {
  if (annotation.kind !== 'problem') return false;
  if (annotation.status === 'applied') return annotation.applied !== null;
  return annotation.correction !== null;
}

/** The block holding a projection offset; an offset between blocks snaps to the next (`start`) or previous (`end`). */
function blockAt(blocks: readonly LayoutBlock[], offset: number, side: 'start' | 'end'): { index: number; at: number } | null {
  for (let index = 0; index < blocks.length; index++) {
    const block = blocks[index]!;
    if (offset >= block.start && offset <= block.end) return { index, at: offset - block.start };
    if (offset < block.start) {
      if (side === 'start') return { index, at: 0 };
      const previous = blocks[index - 1];
      return previous ? { index: index - 1, at: previous.end - previous.start } : null;
    }
  }
  return null;
}

const crosses = (a: PlacedSpan, b: PlacedSpan): boolean => (a.start < b.start && b.start < a.end && a.end < b.end) || (b.start < a.start && a.start < b.end && b.end < a.end);

/** Places every annotation that has a range in the current text; orphans get no span. */
export function placeSpans(context: TeiContext): Map<string, PlacedSpan> {
  const blocks = context.layout.blocks;
  const placed = new Map<string, PlacedSpan>();
  const candidates: PlacedSpan[] = [];
  for (const entry of context.snapshot.annotations) {
    const { start, end } = entry.resolved;
    if (start === null || end === null) continue;
    const from = blockAt(blocks, start, 'start');
    const to = blockAt(blocks, end, 'end');
    if (!from || !to) continue;
    const span: PlacedSpan = { entry, mode: 'anchors', startId: '', endId: null, startBlock: from.index, start: from.at, endBlock: to.index, end: to.at, rank: 0 };
    placed.set(entry.annotation.id, span);
    if (from.index === to.index && from.at < to.at) {
      span.mode = isCorrection(entry.annotation) ? 'choice' : 'seg';
      candidates.push(span);
    }
  }
  acceptElements(candidates);
  for (const span of placed.values()) {
    const xmlId = context.annotationIds.get(span.entry.annotation.id)!;
    if (span.mode !== 'anchors') span.startId = context.ids.claim(`${xmlId}.text`, 'passage');
    else {
      span.startId = context.ids.claim(`${xmlId}.start`, 'passage');
      span.endId = context.ids.claim(`${xmlId}.end`, 'passage');
    }
  }
  return placed;
}

/** Keeps the candidates that nest with those kept before them; the rest become anchors. */
function acceptElements(candidates: PlacedSpan[]): void {
  const priority = (span: PlacedSpan) => (span.mode === 'choice' ? 0 : 1);
  candidates.sort((a, b) => priority(a) - priority(b) || (b.end - b.start) - (a.end - a.start) || a.start - b.start);
  const acceptedByBlock = new Map<number, PlacedSpan[]>();
  for (const span of candidates) {
    const accepted = acceptedByBlock.get(span.startBlock) ?? [];
    if (accepted.some((other) => crosses(span, other))) span.mode = 'anchors';
    else accepted.push(span);
    acceptedByBlock.set(span.startBlock, accepted);
  }
  for (const accepted of acceptedByBlock.values()) {
    accepted.sort((a, b) => a.start - b.start || b.end - a.end || priority(a) - priority(b) || (a.entry.annotation.id < b.entry.annotation.id ? -1 : 1));
    accepted.forEach((span, rank) => (span.rank = rank));
  }
}
