import type { QuoteSelector } from '../annotations/model.ts';

/**
 * The text-quote side of anchoring: taking a quote selector (exact text with up to 32
 * characters of context on each side) and finding a quote again after its relative
 * positions were lost. Finding it again is deliberately strict: an annotation must never
 * move onto a different occurrence of the same words.
 */

/** Characters of context an anchor keeps before and after its quote. */
export const ANCHOR_CONTEXT_LENGTH = 32;

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/** The quote selector of `text` between offsets `start` and `end`, context never splitting a surrogate pair. */
export function quoteAt(text: string, start: number, end: number): QuoteSelector {
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= text.length)) {
    throw new RangeError(`range [${start}, ${end}) is not inside a text of length ${text.length}`);
  }
  let prefixStart = Math.max(0, start - ANCHOR_CONTEXT_LENGTH);
  if (prefixStart > 0 && isLowSurrogate(text.charCodeAt(prefixStart))) prefixStart += 1;
  let suffixEnd = Math.min(text.length, end + ANCHOR_CONTEXT_LENGTH);
  if (suffixEnd < text.length && isLowSurrogate(text.charCodeAt(suffixEnd))) suffixEnd -= 1;
  return { exact: text.slice(start, end), prefix: text.slice(prefixStart, start), suffix: text.slice(end, suffixEnd) };
}

/** Every offset at which `exact` occurs in `text`, overlapping occurrences included. */
export function occurrencesOf(text: string, exact: string): number[] {
  if (exact.length === 0) throw new RangeError('cannot search for an empty quote');
  const found: number[] = [];
  for (let at = text.indexOf(exact); at !== -1; at = text.indexOf(exact, at + 1)) found.push(at);
  return found;
}

interface ContextMatch {
  at: number;
  score: number;
  /** Whether one whole side of the stored context matches the text around this occurrence. */
  wholeSide: boolean;
}

function matchContext(text: string, quote: QuoteSelector, at: number): ContextMatch {
  const { prefix, suffix, exact } = quote;
  let before = 0;
  while (before < prefix.length && at - before - 1 >= 0 && text[at - before - 1] === prefix[prefix.length - before - 1]) before++;
  const after0 = at + exact.length;
  let after = 0;
  while (after < suffix.length && after0 + after < text.length && text[after0 + after] === suffix[after]) after++;
  // An empty side matches wholly only at the matching edge of the text (where it was taken).
  const prefixWhole = prefix.length > 0 ? before === prefix.length : at === 0;
  const suffixWhole = suffix.length > 0 ? after === suffix.length : after0 === text.length;
  return { at, score: before + after, wholeSide: prefixWhole || suffixWhole };
}

/**
 * Finds the quote again in `text`, for an anchor whose positions were lost. Returns the
 * offsets of the match, or null when there is none or it is ambiguous:
 *
 * - An anchor written with `occurrencesAtCreation` = 0 does not expect its quote in the text
 *   (an applied deletion, an imported quote the text lacked): it is never relocated.
 * - A quote that was unique when the anchor was written (`occurrencesAtCreation` = 1) and
 *   occurs exactly once now is found there, whatever its context (text that was moved).
 * - Otherwise the context decides: the occurrence whose surroundings agree longest with the
 *   stored prefix and suffix wins, but only if no other occurrence agrees as well and one
 *   whole side (prefix or suffix) agrees exactly. So when one of two identical sentences is
 *   deleted, its annotation does not jump onto the other one.
 */
export function relocateQuote(text: string, quote: QuoteSelector, occurrencesAtCreation: number): { start: number; end: number } | null {
  if (quote.exact.length === 0 || occurrencesAtCreation === 0) return null;
  const found = occurrencesOf(text, quote.exact);
  if (found.length === 0) return null;
  if (found.length === 1 && occurrencesAtCreation === 1) return { start: found[0]!, end: found[0]! + quote.exact.length };
  const matches = found.map((at) => matchContext(text, quote, at));
  let best = matches[0]!;
  for (const match of matches) if (match.score > best.score) best = match;
  const tied = matches.filter((m) => m.score === best.score).length > 1;
  if (tied || !best.wholeSide) return null;
  return { start: best.at, end: best.at + quote.exact.length };
}
