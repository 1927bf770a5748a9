/**
 * The cues that make a sentence a specific, checkable claim: figures, percentages, amounts,
 * multipliers, counts and dates. Each cue has a weight; a sentence's weights add up to its
 * claim score. Figures and percentages weigh most, a bare year least (a year alone places an
 * event, it rarely asserts a fact that needs a source).
 */

/** One cue found in a sentence: the words and how much they count. */
export interface QuantityCue {
  text: string;
  start: number;
  end: number;
  weight: number;
}

const MONTH = '(?:January|February|March|April|May|June|July|August|September|October|November|December)';
const UNITS = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const TEENS = ['ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const NUMBER_WORD = `(?:(?:${TENS.join('|')})(?:-(?:${UNITS.join('|')}))?|${TEENS.join('|')}|${UNITS.join('|')})`;
const MAGNITUDE = '(?:million|billion|thousand|hundred)';

/** Cue patterns in priority order; a later pattern never re-reads text an earlier one matched. */
const CUES: readonly { pattern: RegExp; weight: (match: string) => number }[] = [
  // Full dates: 29 December 1934, December 29, 1934, 1.12.1934.
  { pattern: new RegExp(`\\b(?:\\d{1,2}\\s+${MONTH}\\s+\\d{4}|${MONTH}\\s+\\d{1,2},?\\s+\\d{4}|\\d{1,2}\\.\\d{1,2}\\.\\d{4})\\b`, 'g'), weight: () => 2 },
  { pattern: /\b\d+(?:[.,]\d+)?\s?%|\b\d+(?:[.,]\d+)?\s+per\s?cent\b/g, weight: () => 3 },
  { pattern: new RegExp(`\\b(?:\\d+(?:[.,]\\d+)?|${NUMBER_WORD})\\s+${MAGNITUDE}\\b`, 'gi'), weight: () => 3 },
  { pattern: /\b\d{1,3}(?:,\d{3})+(?:\.\d+)?\b|\b\d+\.\d+\b/g, weight: () => 3 },
  { pattern: new RegExp(`\\b(?:\\d+(?:\\.\\d+)?|${NUMBER_WORD})\\s+times\\b|\\b\\w+fold\\b`, 'gi'), weight: () => 2 },
  { pattern: /\b(?:doubled|tripled|quadrupled|halved|doubling|tripling)\b|\b(?:to|would|will|could)\s+(?:double|triple|quadruple|halve)\b/gi, weight: () => 2 },
  // Month and day without a year (`On December 1`), then month and year.
  { pattern: new RegExp(`\\b${MONTH}\\s+\\d{1,2}\\b(?!\\s*,?\\s*\\d{4})|\\b\\d{1,2}\\s+${MONTH}\\b`, 'g'), weight: () => 1.5 },
  { pattern: new RegExp(`\\b${MONTH}\\s+\\d{4}\\b`, 'g'), weight: () => 1 },
  // Year ranges and years: 1928–1940, 1932–34, 1934 (not decades: 1930s).
  { pattern: /\b1[0-9]\d\d(?:[–-]\d{2,4})?\b(?!s)|\b20\d\d\b/g, weight: () => 0.5 },
  // Counts in digits (137 brigades), but not numbers that name a place in a text or a
  // document (p. 45, section 7, Article 58, Order No. 447) nor list items ((1), 2)).
  { pattern: /(?<!\b(?:pp?|vols?|nos?|§|sections?|paragraphs?|articles?|chapters?|clauses?|parts?|items?|points?|steps?|versions?|notes?|footnotes?|figures?|tables?|pages?|lines?|orders?|decrees?|numbers?)\.?\s|\()\b\d{1,4}\b(?![-–.]\d|-\p{L}|\)|st\b|nd\b|rd\b|th\b)/giu, weight: () => 2 },
  // Counts in words (Fourteen defendants): heavier from eleven up; not "two years later", not "five-year".
  { pattern: new RegExp(`\\b${NUMBER_WORD}\\b(?!-year|-day|-month|\\s+(?:years?|months?|weeks?|days?)\\s+(?:later|earlier|ago|before|after))`, 'gi'), weight: wordCountWeight },
];

function wordCountWeight(match: string): number {
  const word = match.toLowerCase();
  if (TEENS.includes(word) && word !== 'ten') return 2;
  if (TENS.some((t) => word.startsWith(t))) return 2;
  return ['one', 'two'].includes(word) ? 0 : 1;
}

/** Returns the quantity cues of a sentence, non-overlapping, in text order. */
export function quantityCues(text: string): QuantityCue[] {
  const taken: boolean[] = new Array<boolean>(text.length).fill(false);
  // A list enumerator opening the sentence ("2.", "b)", "iv.") counts nothing.
  taken.fill(true, 0, /^\s*(?:\d{1,3}|[a-z]|[ivxlc]+)[.)](?=\s|$)/i.exec(text)?.[0].length ?? 0);
  const cues: QuantityCue[] = [];
  for (const { pattern, weight } of CUES) {
    for (const match of text.matchAll(pattern)) {
      const start = match.index;
      const end = start + match[0].length;
      if (taken.slice(start, end).some(Boolean)) continue;
      taken.fill(true, start, end);
      const w = weight(match[0]);
      if (w > 0) cues.push({ text: match[0], start, end, weight: w });
    }
  }
  return cues.sort((a, b) => a.start - b.start);
}
