import type * as Y from 'yjs';
import { BlockTable } from './block-table.ts';
import { relativePositionAt } from './positions.ts';
import { occurrencesOf, quoteAt } from './quote.ts';
import type { Anchor } from '../annotations/model.ts';
import { yBlockId } from '../chapter/y-text-projection.ts';

/**
 * Creating anchors: from a ProseMirror range or a range of the plain-text projection to an
 * `Anchor` (relative positions, quote and position selectors, block id, occurrences).
 *
 * The range is first tightened to the text it holds: a start at a block's end or before an
 * atom moves to the next character, an end at a block's start or after an atom moves back to
 * the previous character. Both relative positions then stick to characters, which is what
 * keeps them stable across y-prosemirror's node-end handling (#194) and footnote markers.
 */

/** The outcome of creating an anchor: the anchor, or why the range cannot carry one. */
export type AnchorResult = { ok: true; value: Anchor } | { ok: false; error: string };

/** A range of ProseMirror positions, `from` ≤ `to`. */
export interface PmRange {
  from: number;
  to: number;
}

/** A range of projection offsets (UTF-16), `start` ≤ `end`. */
export interface TextRange {
  start: number;
  end: number;
}

/** Creates the anchor of a projection range in the table's text. */
export function createAnchorFromTextRange(table: BlockTable, range: TextRange): AnchorResult {
  const text = table.fullText();
  const { start, end } = range;
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= text.length)) {
    throw new RangeError(`text range [${start}, ${end}) is not inside a text of length ${text.length}`);
  }
  if (table.blockCount === 0) return { ok: false, error: 'the chapter has no text to annotate' };
  const startPoint = table.pointAtTextOffset(start, 'start');
  const endPoint = table.pointAtTextOffset(end, 'end');
  const tightStart = table.textOffsetOf(startPoint);
  const tightEnd = table.textOffsetOf(endPoint);
  if (tightStart >= tightEnd) return { ok: false, error: 'the selected range holds no text' };
  const quote = quoteAt(text, tightStart, tightEnd);
  return {
    ok: true,
    value: {
      start: relativePositionAt(startPoint, 'start'),
      end: relativePositionAt(endPoint, 'end'),
      quote,
      position: { start: tightStart, end: tightEnd },
      blockId: yBlockId(startPoint.block),
      occurrences: occurrencesOf(text, quote.exact).length,
    },
  };
}

/** Creates the anchor of a ProseMirror range in the table's text. */
export function createAnchorFromPmRange(table: BlockTable, range: PmRange): AnchorResult {
  if (!(Number.isInteger(range.from) && Number.isInteger(range.to) && range.from <= range.to)) {
    throw new RangeError(`ProseMirror range [${range.from}, ${range.to}] is not an ordered pair of integers`);
  }
  if (table.blockCount === 0) return { ok: false, error: 'the chapter has no text to annotate' };
  const start = table.textOffsetOf(table.pointAtPmPosition(range.from));
  const end = table.textOffsetOf(table.pointAtPmPosition(range.to));
  return createAnchorFromTextRange(table, { start, end });
}

/** Creates the anchor of a ProseMirror range in the chapter held by `fragment`. */
export function createAnchor(fragment: Y.XmlFragment, range: PmRange): AnchorResult {
  return createAnchorFromPmRange(new BlockTable(fragment), range);
}
