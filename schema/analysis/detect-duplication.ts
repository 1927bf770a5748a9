import { bodyBlocks, idForFinding, quoteIn } from './chapter-reading.ts';
import type { ChapterReading } from './chapter-reading.ts';
import type { Finding } from './finding.ts';
import { splitSentences } from './sentence-splitter.ts';
import type { Sentence } from './sentence-splitter.ts';
import { compareStems, contentStems, contentWords, stemFrequencies } from './text-similarity.ts';
import type { SentenceSimilarity, StemFrequencies } from './text-similarity.ts';

/**
 * Duplicated passages at sentence level, paraphrase included (the same sentence translated
 * twice). Phase 1 pairs body sentences that share at least four content words making up
 * nearly half of both (Dice ≥ 0.47, each word weighted by its rarity in the chapter, so the
 * chapter's topic words — "party", "government" — count less): a seed. Phase 2 walks from each seed along both passages, one
 * sentence forward and back at a time, accepting weaker but ordered overlaps: a translator
 * who left two renderings of a passage left them sentence by sentence, so the neighbours of a
 * duplicate are likely duplicates too (rendering A₁ A₂, then B₁ B₂).
 *
 * Thresholds were set on hand-written paraphrase pairs and topic-sharing non-duplicates
 * (tests/unit/analysis-duplication.test.ts): every pair there has ≥ 4 shared stems and a
 * weighted Dice ≥ 0.51, while no other sentence pair there or in chapter 5 passes 0.42.
 * Formulaic texts that repeat long set phrases (a software licence) do produce seeds.
 */

const SEED_MIN_SHARED = 4;
const SEED_MIN_DICE = 0.47;
const SEED_MIN_LENGTH_RATIO = 0.5;
const RUN_MIN_SHARED = 3;
const RUN_MIN_DICE = 0.35;
const RUN_MIN_ORDER = 0.6;

interface Pair {
  first: number;
  second: number;
  similarity: SentenceSimilarity;
  rule: 'repeated-sentence' | 'paraphrase' | 'paraphrase-run';
}

function isSeed(s: SentenceSimilarity): boolean {
  return s.shared.length >= SEED_MIN_SHARED && s.weightedDice >= SEED_MIN_DICE && s.lengthRatio >= SEED_MIN_LENGTH_RATIO;
}

function continuesRun(s: SentenceSimilarity): boolean {
  return s.shared.length >= RUN_MIN_SHARED && s.dice >= RUN_MIN_DICE && s.order >= RUN_MIN_ORDER;
}

function sharedCount(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let count = 0;
  for (const stem of a.size <= b.size ? a : b) if ((a.size <= b.size ? b : a).has(stem)) count++;
  return count;
}

/** Phase 1: all seed pairs, first index before second. */
function seedPairs(stems: readonly string[][], frequencies: StemFrequencies): Pair[] {
  const sets = stems.map((s) => new Set(s));
  const pairs: Pair[] = [];
  for (let i = 0; i < stems.length; i++) {
    for (let j = i + 1; j < stems.length; j++) {
      // Most pairs share almost nothing: count first, compare in full only the candidates.
      if (sharedCount(sets[i] as Set<string>, sets[j] as Set<string>) < SEED_MIN_SHARED) continue;
      const similarity = compareStems(stems[i] ?? [], stems[j] ?? [], frequencies);
      if (isSeed(similarity)) pairs.push({ first: i, second: j, similarity, rule: 'paraphrase' });
    }
  }
  return pairs;
}

/** The words of a sentence without case, punctuation or spacing: equal for a verbatim repeat. */
function letters(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Phase 2: extends every seed forward and backward along both passages while the overlap holds. */
function extendRuns(seeds: readonly Pair[], stems: readonly string[][]): Pair[] {
  const taken = new Set(seeds.map((p) => `${p.first}:${p.second}`));
  const found: Pair[] = [...seeds];
  for (const seed of seeds) {
    for (const step of [1, -1]) {
      let first = seed.first + step;
      let second = seed.second + step;
      // A run must not run into itself: the first passage has to stay before the second.
      while (first >= 0 && second < stems.length && first < second && first !== seed.second && second !== seed.first) {
        const similarity = compareStems(stems[first] ?? [], stems[second] ?? []);
        if (!continuesRun(similarity) || taken.has(`${first}:${second}`)) break;
        taken.add(`${first}:${second}`);
        found.push({ first, second, similarity, rule: 'paraphrase-run' });
        first += step;
        second += step;
      }
    }
  }
  return found;
}

function findingFor(reading: ChapterReading, sentences: readonly Sentence[], pair: Pair): Finding {
  const original = sentences[pair.first] as Sentence;
  const repeat = sentences[pair.second] as Sentence;
  const quotes = [quoteIn(repeat.block, repeat.start, repeat.end), quoteIn(original.block, original.start, original.end)];
  const where = original.block === repeat.block ? 'earlier in the paragraph' : `in an earlier paragraph (${original.block.id ?? '?'})`;
  const how = pair.rule === 'repeated-sentence' ? `repeats a sentence ${where}` : `restates a sentence ${where} in other words`;
  const score = pair.rule === 'paraphrase-run' ? pair.similarity.dice * 0.8 : pair.similarity.weightedDice;
  const wordOfStem = new Map(contentWords(repeat.text).map((w) => [w.stem, w.word] as const));
  const sharedWords = pair.similarity.shared.map((stem) => wordOfStem.get(stem) ?? stem);
  return {
    id: idForFinding(reading, 'duplication', 'duplicate-sentence', quotes),
    type: 'duplication',
    rule: pair.rule,
    message: `This sentence ${how}: probably the same sentence translated twice.`,
    quotes,
    footnotes: [...new Set([...repeat.footnotes, ...original.footnotes])].sort((a, b) => a - b),
    severity: 'warning',
    score: Math.round(score * 100) / 100,
    suggestion: {
      kind: 'problem',
      problemType: 'duplication',
      note: `Duplicates “${original.text.length > 80 ? `${original.text.slice(0, 77)}…` : original.text}” (shared words: ${sharedWords.join(', ')}). Keep one rendering.`,
      relatedQuoteIndex: 1,
    },
    details: { type: 'duplication', similarity: Math.round(score * 100) / 100, sharedWords },
  };
}

/** Finds duplicated and paraphrased sentences among the chapter's body paragraphs. */
export function detectDuplication(reading: ChapterReading): Finding[] {
  const sentences = bodyBlocks(reading)
    .filter((block) => block.type === 'paragraph')
    .flatMap(splitSentences);
  const stems = sentences.map((s) => contentStems(s.text));
  return extendRuns(seedPairs(stems, stemFrequencies(stems)), stems)
    .map((pair) => (letters(sentences[pair.first]?.text ?? '') === letters(sentences[pair.second]?.text ?? '') ? { ...pair, rule: 'repeated-sentence' as const } : pair))
    .sort((a, b) => a.second - b.second || a.first - b.first)
    .map((pair) => findingFor(reading, sentences, pair));
}
