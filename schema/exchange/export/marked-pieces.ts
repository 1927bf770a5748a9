import type { ChapterBlock, InlinePiece } from './chapter-pieces.ts';

/**
 * Cutting a block's pieces at the edges of ranges (annotations' passages, tracked changes), so
 * that a writer can open and close its markup around exactly the covered text. Shared by the
 * Word and print exports.
 */

/** A range of the projection carrying some value (an annotation, a change). */
export interface MarkRange<T> {
  start: number;
  end: number;
  value: T;
}

/** One step of a block: a range opens or closes, or a piece (cut at range edges) follows. */
export type MarkedStep<T> =
  | { kind: 'open'; mark: MarkRange<T> }
  | { kind: 'close'; mark: MarkRange<T> }
  | { kind: 'piece'; piece: InlinePiece };

/**
 * The steps of one block with the marks that touch it. A mark is clipped to the block: it
 * opens where it or the block starts and closes where it or the block ends (a writer that
 * needs one start and one end per mark checks `mark.start`/`mark.end` against the block).
 * At one offset, closes come first (latest opened first), then atoms, then opens; so a
 * footnote marker or page break at a range's edge stays outside the range. Marks whose part
 * in this block is empty are left out. `marks` must be sorted by start.
 */
export function markedSteps<T>(block: ChapterBlock, marks: readonly MarkRange<T>[]): MarkedStep<T>[] {
  const clipped = marks
    .map((mark, index) => ({ mark, index, from: Math.max(mark.start, block.start), to: Math.min(mark.end, block.end) }))
    .filter((c) => c.from < c.to);
  const opens = [...clipped].sort((a, b) => a.from - b.from || a.index - b.index);
  const closes = [...clipped].sort((a, b) => a.to - b.to || b.from - a.from || b.index - a.index);
  const cuts = [...new Set(clipped.flatMap((c) => [c.from, c.to]))].sort((a, b) => a - b);
  const steps: MarkedStep<T>[] = [];
  let nextOpen = 0;
  let nextClose = 0;
  const closeUpTo = (offset: number): void => {
    while (nextClose < closes.length && closes[nextClose]!.to <= offset) steps.push({ kind: 'close', mark: closes[nextClose++]!.mark });
  };
  const openUpTo = (offset: number): void => {
    while (nextOpen < opens.length && opens[nextOpen]!.from <= offset) steps.push({ kind: 'open', mark: opens[nextOpen++]!.mark });
  };
  for (const piece of block.pieces) {
    if (piece.kind !== 'text') {
      closeUpTo(piece.at);
      steps.push({ kind: 'piece', piece });
      continue;
    }
    const end = piece.start + piece.text.length;
    let from = piece.start;
    for (const cut of [...cuts.filter((c) => c > piece.start && c < end), end]) {
      closeUpTo(from);
      openUpTo(from);
      if (cut > from) steps.push({ kind: 'piece', piece: { ...piece, text: piece.text.slice(from - piece.start, cut - piece.start), start: from } });
      from = cut;
    }
  }
  closeUpTo(Number.POSITIVE_INFINITY);
  return steps;
}
