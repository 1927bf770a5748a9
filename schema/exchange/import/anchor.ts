/**
 * Finding where an imported annotation belongs in this room's text: by its quote first
 * (a unique occurrence, prefix and suffix to choose among several), then by its position
 * (to break a tie, or when there is no quote). An annotation is never put on words that
 * differ from its quote, and never on one of several equal occurrences by guesswork.
 */

/** What an imported annotation says about its place; offsets are UTF-16 in the target text. */
export interface ImportSelectors {
  quote: { exact: string; prefix: string; suffix: string } | null;
  position: { start: number; end: number } | null;
}

/** Where the annotation was placed, and by which selector. */
export interface ImportAnchor {
  start: number;
  end: number;
  by: 'quote' | 'quote+context' | 'quote+position' | 'position';
}

/** The outcome of anchoring one imported annotation. */
export type ImportAnchorResult = { ok: true; value: ImportAnchor } | { ok: false; error: string };

/**
 * Anchors selectors in `text`. Refuses: no selector; an empty quote or range; a position out
 * of the text; a position whose length differs from the quote's; a quote that is not in the
 * text; a quote found several times that neither context nor position singles out.
 */
export function anchorImport(text: string, selectors: ImportSelectors): ImportAnchorResult {
  const { quote, position } = selectors;
  if (position !== null) {
    const problem = positionProblem(text, position, quote);
    if (problem) return { ok: false, error: problem };
  }
  if (quote === null) {
    if (position === null) return { ok: false, error: 'no TextQuoteSelector or TextPositionSelector' };
    return { ok: true, value: { ...position, by: 'position' } };
  }
  if (quote.exact === '') return { ok: false, error: 'TextQuoteSelector has an empty exact' };
  // Fast path: the position still holds the quote with its context (the same text version).
  if (position !== null && text.startsWith(quote.exact, position.start) && contextScore(text, position.start, quote) === fullScore(quote)) {
    return { ok: true, value: { ...position, by: 'quote+position' } };
  }
  return anchorByQuote(text, quote, position);
}

function positionProblem(text: string, position: { start: number; end: number }, quote: ImportSelectors['quote']): string | null {
  const { start, end } = position;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end <= start || end > text.length) {
    return `TextPositionSelector [${start}, ${end}) is out of range for a text of ${text.length} characters`;
  }
  if (quote !== null && end - start !== quote.exact.length) {
    return `TextPositionSelector [${start}, ${end}) spans ${end - start} characters but the quote has ${quote.exact.length}`;
  }
  return null;
}

/** Phase 2: every occurrence of the quote, then context, then position, to single one out. */
function anchorByQuote(text: string, quote: NonNullable<ImportSelectors['quote']>, position: ImportSelectors['position']): ImportAnchorResult {
  const occurrences = occurrencesOf(text, quote.exact);
  const at = (start: number, by: ImportAnchor['by']): ImportAnchorResult => ({ ok: true, value: { start, end: start + quote.exact.length, by } });
  if (occurrences.length === 0) return { ok: false, error: `quote ${preview(quote.exact)} is not in the text` };
  if (occurrences.length === 1) return at(occurrences[0]!, 'quote');
  const scores = occurrences.map((start) => contextScore(text, start, quote));
  const best = Math.max(...scores);
  const bestStarts = occurrences.filter((_, i) => scores[i] === best);
  if (best > 0 && bestStarts.length === 1) return at(bestStarts[0]!, 'quote+context');
  if (position !== null && bestStarts.includes(position.start)) return at(position.start, 'quote+position');
  return { ok: false, error: `quote ${preview(quote.exact)} occurs ${occurrences.length} times and its prefix, suffix and position do not single one out` };
}

function occurrencesOf(text: string, exact: string): number[] {
  const found: number[] = [];
  for (let i = text.indexOf(exact); i !== -1; i = text.indexOf(exact, i + 1)) found.push(i);
  return found;
}

/** How many characters of the prefix (read backwards) and suffix agree around an occurrence. */
function contextScore(text: string, start: number, quote: NonNullable<ImportSelectors['quote']>): number {
  let score = 0;
  const { prefix, suffix } = quote;
  while (score < prefix.length && start - score - 1 >= 0 && text[start - score - 1] === prefix[prefix.length - score - 1]) score++;
  const end = start + quote.exact.length;
  let after = 0;
  while (after < suffix.length && end + after < text.length && text[end + after] === suffix[after]) after++;
  return score + after;
}

function fullScore(quote: NonNullable<ImportSelectors['quote']>): number {
  return quote.prefix.length + quote.suffix.length;
}

function preview(exact: string): string {
  return JSON.stringify(exact.length > 40 ? `${exact.slice(0, 40)}…` : exact);
}
