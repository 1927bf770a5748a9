import type { CodePointIndex } from './code-points.ts';

/** Characters of context kept on each side of a quote, as annotations are created with. */
export const QUOTE_CONTEXT_LENGTH = 32;

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
 * The quote selector for the range [start, end) (UTF-16 offsets) of `text`, with up to
 * QUOTE_CONTEXT_LENGTH characters of prefix and suffix, never splitting a surrogate pair.
 */
export function quoteSelectorAt(text: string, start: number, end: number): TextQuoteSelector {
  if (!(Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end && end <= text.length)) {
    throw new RangeError(`range [${start}, ${end}) is not inside a text of length ${text.length}`);
  }
  let prefixStart = Math.max(0, start - QUOTE_CONTEXT_LENGTH);
  if (isLowSurrogate(text.charCodeAt(prefixStart)) && prefixStart > 0) prefixStart++;
  let suffixEnd = Math.min(text.length, end + QUOTE_CONTEXT_LENGTH);
  if (suffixEnd < text.length && isLowSurrogate(text.charCodeAt(suffixEnd))) suffixEnd--;
  return {
    type: 'TextQuoteSelector',
    exact: text.slice(start, end),
    prefix: text.slice(prefixStart, start),
    suffix: text.slice(end, suffixEnd),
  };
}

/** The position selector for the range [start, end) (UTF-16 offsets), in code points. */
export function positionSelectorAt(index: CodePointIndex, start: number, end: number): TextPositionSelector {
  return { type: 'TextPositionSelector', start: index.toCodePoints(start), end: index.toCodePoints(end) };
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}
