import { ENGLISH_FUNCTION_WORDS, wordTokens } from './word-tokens.ts';

/**
 * Sentence similarity that tolerates paraphrase: two renderings of one sentence keep most of
 * its content words (names, nouns, verbs) in much the same order while the function words and
 * the syntax change. Words are compared by crude stems (plural and verb endings cut, then the
 * first six letters), so "removed"/"remove" and "institutions"/"institution" meet.
 */

/** How alike two sentences are, and on which content words. */
export interface SentenceSimilarity {
  /** Dice coefficient of the two sets of content stems, 0..1. */
  dice: number;
  /** Dice with each stem weighted by its rarity in the text (equal to `dice` without frequencies). */
  weightedDice: number;
  /** Share of the shared stems that appear in the same relative order in both, 0..1. */
  order: number;
  /** Content-stem count of the shorter sentence over that of the longer, 0..1. */
  lengthRatio: number;
  shared: string[];
}

const STEM_LENGTH = 6;

/** Returns the crude stem of a lower-case word. */
export function stemOf(word: string): string {
  let stem = word.toLowerCase();
  if (stem.length > 4 && stem.endsWith('ies')) stem = `${stem.slice(0, -3)}y`;
  else if (stem.length > 3 && stem.endsWith('s') && !/(?:ss|us|is)$/.test(stem)) stem = stem.slice(0, -1);
  if (stem.length > 5 && /(?:ing|ed)$/.test(stem)) stem = stem.replace(/(?:ing|ed)$/, '');
  return stem.slice(0, STEM_LENGTH);
}

/** A content word of a sentence and its stem. */
export interface ContentWord {
  word: string;
  stem: string;
}

/** Returns the content words of a sentence in order: function words and one-letter words left out. */
export function contentWords(text: string): ContentWord[] {
  return wordTokens(text)
    .map((w) => w.text.toLowerCase())
    .filter((w) => w.length > 1 && !ENGLISH_FUNCTION_WORDS.has(w))
    .map((word) => ({ word, stem: stemOf(word) }));
}

/** Returns the content stems of a sentence in order (see `contentWords`). */
export function contentStems(text: string): string[] {
  return contentWords(text).map((w) => w.stem);
}

/** Length of the longest common subsequence of two stem sequences. */
function commonSubsequence(a: readonly string[], b: readonly string[]): number {
  let previous = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    const current = [0];
    for (let j = 1; j <= b.length; j++) {
      current.push(x === b[j - 1] ? (previous[j - 1] ?? 0) + 1 : Math.max(previous[j] ?? 0, current[j - 1] ?? 0));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * How many sentences of a text contain each stem. Passed to `compareStems`, it makes the
 * text's frequent words (its topic: "party", "government"; a licence's "Program") count less
 * than rare ones.
 */
export interface StemFrequencies {
  sentences: number;
  documentFrequency: ReadonlyMap<string, number>;
}

/** Counts, for each stem, the sentences that contain it. */
export function stemFrequencies(sentences: readonly (readonly string[])[]): StemFrequencies {
  const documentFrequency = new Map<string, number>();
  for (const stems of sentences) for (const stem of new Set(stems)) documentFrequency.set(stem, (documentFrequency.get(stem) ?? 0) + 1);
  return { sentences: sentences.length, documentFrequency };
}

/** Dice weighted by inverse sentence frequency; the pair itself counts as one occurrence of a shared stem. */
function weightedDice(setA: ReadonlySet<string>, setB: ReadonlySet<string>, frequencies: StemFrequencies): number {
  const weight = (stem: string, other: ReadonlySet<string>) => {
    const df = (frequencies.documentFrequency.get(stem) ?? 1) - (other.has(stem) ? 1 : 0);
    return Math.log((frequencies.sentences + 1) / Math.max(1, df));
  };
  let shared = 0;
  let total = 0;
  for (const stem of setA) {
    const w = weight(stem, setB);
    total += w;
    if (setB.has(stem)) shared += w;
  }
  for (const stem of setB) total += weight(stem, setA);
  return total === 0 ? 0 : (2 * shared) / total;
}

/** Compares two sentences given as content-stem sequences (see `contentStems`). */
export function compareStems(a: readonly string[], b: readonly string[], frequencies?: StemFrequencies): SentenceSimilarity {
  const setA = new Set(a);
  const setB = new Set(b);
  const shared = [...setA].filter((stem) => setB.has(stem));
  const total = setA.size + setB.size;
  if (total === 0 || shared.length === 0) return { dice: 0, weightedDice: 0, order: 0, lengthRatio: 0, shared: [] };
  // Order is measured on the first occurrence of each shared stem.
  const inA = a.filter((s, i) => setB.has(s) && a.indexOf(s) === i);
  const inB = b.filter((s, i) => setA.has(s) && b.indexOf(s) === i);
  const dice = (2 * shared.length) / total;
  return {
    dice,
    weightedDice: frequencies ? weightedDice(setA, setB, frequencies) : dice,
    order: commonSubsequence(inA, inB) / shared.length,
    lengthRatio: Math.min(setA.size, setB.size) / Math.max(setA.size, setB.size),
    shared,
  };
}
