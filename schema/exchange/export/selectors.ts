import { quoteAt } from '../../anchoring/quote.ts';
import type { CodePointIndex } from './code-points.ts';

/** A W3C TextQuoteSelector. */
export interface TextQuoteSelector {
  type: 'TextQuoteSelector';
  exact: string;
  prefix: string;
  suffix: string;
}

/** A W3C TextPositionSelector; offsets count Unicode code points. */
export interface TextPositionSelector {
  type: 'TextPositionSelector';
  start: number;
  end: number;
}

/**
 * The quote selector for the range [start, end) (UTF-16 offsets) of `text`: the anchoring
 * quote (`quoteAt`, the same context an annotation is created with) as a W3C selector.
 */
export function quoteSelectorAt(text: string, start: number, end: number): TextQuoteSelector {
  return { type: 'TextQuoteSelector', ...quoteAt(text, start, end) };
}

/** The position selector for the range [start, end) (UTF-16 offsets), in code points. */
export function positionSelectorAt(index: CodePointIndex, start: number, end: number): TextPositionSelector {
  return { type: 'TextPositionSelector', start: index.toCodePoints(start), end: index.toCodePoints(end) };
}
