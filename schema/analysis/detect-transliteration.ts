import { idForFinding, quoteIn } from './chapter-reading.ts';
import type { ChapterReading, ReadingBlock } from './chapter-reading.ts';
import { editDistance } from './edit-distance.ts';
import type { Finding, FindingQuote, SpellingVariant } from './finding.ts';
import type { NoteCitations } from './footnote-citations.ts';
import { looksRomanised, romanisationKey } from './romanisation.ts';
import { ENGLISH_FUNCTION_WORDS, wordTokens } from './word-tokens.ts';

/**
 * Transliteration drift: the same Russian name or title word romanised in more than one way
 * (Khlevniuk / Khlevnjuk, Chozjajin / Chozjain / Chozhajin).
 *
 * Phase 1 keys every word of the chapter by its romanisation key and groups equal keys.
 * Phase 2 joins groups of citation words (authors and titles) whose keys differ by a letter
 * or two in the middle (utverzhenije / utverzhdenniye); a differing ending is an inflection,
 * not a variant, so it never joins. Phase 3 keeps clusters with two or more spellings, at
 * least one of which looks romanised, and reports each with every spelling and where it occurs.
 */

interface Occurrence {
  spelling: string;
  block: ReadingBlock;
  start: number;
  end: number;
  inCitation: boolean;
}

interface Cluster {
  keys: Set<string>;
  occurrences: Occurrence[];
}

const MIN_LETTERS = 4;
const MAX_QUOTES_PER_SPELLING = 4;

/** Collects every word of the chapter worth comparing, marking those inside citation authors and titles. */
function collectOccurrences(reading: ChapterReading, notes: readonly NoteCitations[]): Occurrence[] {
  const citationSpans = new Map<ReadingBlock, { start: number; end: number }[]>();
  for (const { block, citations } of notes) {
    citationSpans.set(block, citations.flatMap((c) => [c.author, c.title].filter((f) => f !== null)));
  }
  const occurrences: Occurrence[] = [];
  for (const block of reading.blocks) {
    const spans = citationSpans.get(block) ?? [];
    for (const word of wordTokens(block.text)) {
      if (word.text.length < MIN_LETTERS || ENGLISH_FUNCTION_WORDS.has(word.text.toLowerCase())) continue;
      const inCitation = spans.some((s) => s.start <= word.start && word.end <= s.end);
      occurrences.push({ spelling: word.text, block, start: word.start, end: word.end, inCitation });
    }
  }
  return occurrences;
}

/** Phase 1: one cluster per romanisation key. */
function clustersByKey(occurrences: readonly Occurrence[]): Cluster[] {
  const byKey = new Map<string, Cluster>();
  for (const occurrence of occurrences) {
    const key = romanisationKey(occurrence.spelling);
    const cluster = byKey.get(key) ?? { keys: new Set([key]), occurrences: [] };
    cluster.occurrences.push(occurrence);
    byKey.set(key, cluster);
  }
  return [...byKey.values()];
}

/** True when two keys differ only inside the word, by at most one edit (two for long words). */
function closeKeys(a: string, b: string): boolean {
  const shorter = Math.min(a.length, b.length);
  if (shorter < 6 || a.slice(0, 2) !== b.slice(0, 2) || a.slice(-2) !== b.slice(-2)) return false;
  return editDistance(a, b, shorter >= 10 ? 2 : 1) <= (shorter >= 10 ? 2 : 1);
}

/** Phase 2: joins clusters of citation words whose keys are close. */
function joinCloseCitationClusters(clusters: Cluster[]): Cluster[] {
  const citing = clusters.filter((c) => c.occurrences.some((o) => o.inCitation));
  const merged = new Set<Cluster>();
  for (let i = 0; i < citing.length; i++) {
    const a = citing[i];
    if (!a || merged.has(a)) continue;
    for (let j = i + 1; j < citing.length; j++) {
      const b = citing[j];
      if (!b || merged.has(b)) continue;
      if (![...a.keys].some((ka) => [...b.keys].some((kb) => closeKeys(ka, kb)))) continue;
      for (const key of b.keys) a.keys.add(key);
      a.occurrences.push(...b.occurrences);
      merged.add(b);
    }
  }
  return clusters.filter((c) => !merged.has(c));
}

/** The distinct spellings of a cluster (case ignored), most frequent first, ties by first occurrence. */
function spellingsOf(cluster: Cluster): Occurrence[][] {
  const bySpelling = new Map<string, Occurrence[]>();
  for (const occurrence of [...cluster.occurrences].sort((a, b) => a.block.start + a.start - (b.block.start + b.start))) {
    const folded = occurrence.spelling.toLowerCase();
    bySpelling.set(folded, [...(bySpelling.get(folded) ?? []), occurrence]);
  }
  return [...bySpelling.values()].sort((a, b) => b.length - a.length);
}

/**
 * Phase 3: drops the translation's English words that only a cited title romanises (the body's
 * Politburo against a title's Politbyuro): a spelling that does not look romanised and occurs
 * only in running prose, in a cluster whose other spellings occur only in citations.
 */
function withoutEnglishUsage(spellings: readonly Occurrence[][]): Occurrence[][] {
  const proseOnly = (group: readonly Occurrence[]) => group.every((o) => !o.inCitation);
  const english = spellings.filter((group) => proseOnly(group) && !looksRomanised(group[0]?.spelling ?? ''));
  const others = spellings.filter((group) => !english.includes(group));
  if (english.length === 0 || !others.every((group) => group.every((o) => o.inCitation))) return [...spellings];
  return others;
}

/** Phase 3: a cluster is drift when it has two spellings, at least one of them looking romanised. */
function isDrift(spellings: readonly Occurrence[][]): boolean {
  if (spellings.length < 2) return false;
  return spellings.some((group) => looksRomanised(group[0]?.spelling ?? ''));
}

function variantOf(group: readonly Occurrence[]): SpellingVariant {
  const footnotes = [...new Set(group.filter((o) => o.block.type === 'footnote').map((o) => o.block.n ?? 0))].sort((a, b) => a - b);
  const bodyBlockIds = [...new Set(group.filter((o) => o.block.type !== 'footnote').map((o) => o.block.id ?? ''))];
  return { spelling: group[0]?.spelling ?? '', count: group.length, footnotes, bodyBlockIds };
}

function whereText(variant: SpellingVariant): string {
  const places: string[] = [];
  if (variant.bodyBlockIds.length > 0) places.push('the body');
  if (variant.footnotes.length > 0) places.push(`${variant.footnotes.length === 1 ? 'note' : 'notes'} ${variant.footnotes.join(', ')}`);
  return `${variant.spelling} (${variant.count}× in ${places.join(' and ')})`;
}

/** Gives `spelling` the initial case of `model`, so a correction fits where it goes. */
function matchCase(model: string, spelling: string): string {
  const first = /^\p{Lu}/u.test(model) ? spelling.charAt(0).toUpperCase() : spelling.charAt(0).toLowerCase();
  return first + spelling.slice(1);
}

function findingFor(reading: ChapterReading, spellings: readonly Occurrence[][]): Finding {
  const [majority, ...minorities] = spellings;
  const quoteOf = (o: Occurrence): FindingQuote => quoteIn(o.block, o.start, o.end);
  const quotes = minorities.flatMap((group) => group.slice(0, MAX_QUOTES_PER_SPELLING).map(quoteOf));
  const majorityFirst = majority?.[0];
  if (majorityFirst) quotes.push(quoteOf(majorityFirst));
  const variants = spellings.map(variantOf);
  const preferred = variants[0]?.spelling ?? '';
  const tie = (majority?.length ?? 0) === (minorities[0]?.length ?? 0);
  const message = `The same word is romanised ${variants.length} ways: ${variants.map(whereText).join('; ')}.`;
  const firstQuote = quotes[0]?.exact ?? '';
  const inCitations = spellings.flat().filter((o) => o.inCitation).length;
  return {
    id: idForFinding(reading, 'transliteration', 'variant-spelling', quotes),
    type: 'transliteration',
    rule: 'variant-spelling',
    message,
    quotes,
    footnotes: [...new Set(variants.flatMap((v) => v.footnotes))].sort((a, b) => a - b),
    severity: 'warning',
    score: Math.min(1, 0.5 + 0.1 * variants.length + 0.05 * inCitations),
    suggestion: {
      kind: 'problem',
      problemType: 'transliteration',
      note: tie
        ? `Romanised inconsistently: ${variants.map((v) => v.spelling).join(' / ')}. Choose one spelling.`
        : `Romanised inconsistently: ${firstQuote} here, ${preferred} in most places.`,
      ...(tie ? {} : { correction: matchCase(firstQuote, preferred) }),
      relatedQuoteIndex: quotes.length - 1,
    },
    details: { type: 'transliteration', variants },
  };
}

/** Finds words romanised in more than one way across the body and the footnotes. */
export function detectTransliteration(reading: ChapterReading, notes: readonly NoteCitations[]): Finding[] {
  const clusters = joinCloseCitationClusters(clustersByKey(collectOccurrences(reading, notes)));
  return clusters
    .map((cluster) => withoutEnglishUsage(spellingsOf(cluster)))
    .filter(isDrift)
    .map((spellings) => findingFor(reading, spellings));
}
