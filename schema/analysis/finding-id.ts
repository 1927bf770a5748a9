import type { FindingQuote, FindingType } from './finding.ts';

/**
 * Stable finding ids. An id hashes what a finding rests on in terms that survive edits
 * elsewhere in the chapter: the block id, the quoted words and which occurrence of those
 * words in the block is meant, never the projection offsets (they shift whenever text before
 * the quote changes). A dismissal stored under the id therefore survives re-runs.
 */

// FNV-1a over UTF-16 code units, 32 bits; two different offset bases give 64 bits, enough
// that two findings of one chapter practically never collide.
function fnv1a(text: string, basis: number): number {
  let hash = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** Returns a 16-hex-digit hash of `text`. */
export function stableHash(text: string): string {
  const high = fnv1a(text, 0x811c9dc5).toString(16).padStart(8, '0');
  const low = fnv1a(text, 0x050c5d1f).toString(16).padStart(8, '0');
  return high + low;
}

/** Counts how often `exact` occurs in `blockText` before `offsetInBlock`. */
function occurrenceIndex(blockText: string, exact: string, offsetInBlock: number): number {
  let count = 0;
  let at = blockText.indexOf(exact);
  while (at !== -1 && at < offsetInBlock) {
    count++;
    at = blockText.indexOf(exact, at + 1);
  }
  return count;
}

/** A quote together with the text of its block, which the id needs to tell repeated words apart. */
export interface QuoteInBlock {
  quote: FindingQuote;
  blockText: string;
  blockStart: number;
}

/** Returns the id of a finding of `type` and `rule` resting on `quotes`: `<type>-<16 hex digits>`. */
export function findingId(type: FindingType, rule: string, quotes: readonly QuoteInBlock[]): string {
  const parts = quotes.map(({ quote, blockText, blockStart }) => {
    const nth = occurrenceIndex(blockText, quote.exact, quote.start - blockStart);
    return `${quote.blockId ?? '?'}\u0001${quote.exact}\u0001${nth}`;
  });
  return `${type}-${stableHash([type, rule, ...parts].join('\u0002'))}`;
}
