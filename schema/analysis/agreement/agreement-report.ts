import type { ClaimStatus } from '../../annotations/vocabulary.ts';
import { krippendorffAlpha, unitDisagreement } from './krippendorff-alpha.ts';
import type { AlphaResult } from './krippendorff-alpha.ts';
import { chapterSentences, sentenceUnits } from './sentence-units.ts';
import type { ClaimPlacement, SentenceSpan, SentenceUnit } from './sentence-units.ts';
import type { ChapterText } from './sentence-units.ts';

/**
 * How far the readers of a chapter agree in tagging claims: Krippendorff's alpha (nominal) over
 * the chapter's sentences, for the chapter and per paragraph, the sentences they disagree on
 * most (the seminar's agenda: who said what), and how much of the chapter each pair of readers
 * both tagged (alpha alone hides who skipped what).
 */

/** A reader: their user id and the name to show. */
export interface Reader {
  id: string;
  name: string;
}

/** Alpha over the sentences of one paragraph. */
export interface ParagraphAgreement {
  blockId: string | null;
  blockIndex: number;
  sentences: number;
  alpha: AlphaResult;
}

/** A sentence the readers disagree on, and what each of them said. */
export interface SentenceDisagreement {
  sentence: SentenceSpan;
  /** Share of disagreeing pairs among the pairs of its values (0–1). */
  disagreement: number;
  /** Each reader's status, in reader order. */
  said: { readerId: string; name: string; status: ClaimStatus }[];
}

/** How much of the chapter two readers both tagged. */
export interface PairCoverage {
  a: string;
  b: string;
  /** Sentences both tagged. */
  both: number;
  /** `both` as a share of all the chapter's sentences (0–1; 0 for a chapter without sentences). */
  share: number;
}

/** The agreement report of one chapter (or one blind round of it). */
export interface AgreementReport {
  /** Everyone who tagged at least one sentence, by name. */
  readers: Reader[];
  /** Sentences of the chapter's paragraphs: the units. */
  sentences: number;
  /** Per reader, how many sentences they tagged. */
  tagged: Record<string, number>;
  chapter: AlphaResult;
  paragraphs: ParagraphAgreement[];
  disagreements: SentenceDisagreement[];
  coverage: PairCoverage[];
}

/** What the report is computed from. */
export interface AgreementInput {
  projection: ChapterText;
  claims: Iterable<ClaimPlacement>;
  /** Names to show, by reader id (a reader without one is shown by id). */
  names: ReadonlyMap<string, string>;
}

/** Options of the report. */
export interface AgreementOptions {
  /** How many sentences the disagreement list holds at most; default 10. */
  disagreements?: number;
  /** The sentences, when the caller already split the chapter (they depend on the text only). */
  sentences?: readonly SentenceSpan[];
}

function alphaOf(units: readonly SentenceUnit[]): AlphaResult {
  return krippendorffAlpha(units.map((unit) => unit.values.values()));
}

function paragraphAgreement(units: readonly SentenceUnit[]): ParagraphAgreement[] {
  const byBlock = new Map<number, SentenceUnit[]>();
  for (const unit of units) {
    const list = byBlock.get(unit.sentence.blockIndex) ?? [];
    list.push(unit);
    byBlock.set(unit.sentence.blockIndex, list);
  }
  return [...byBlock.values()].map((list) => ({ blockId: list[0]!.sentence.blockId, blockIndex: list[0]!.sentence.blockIndex, sentences: list.length, alpha: alphaOf(list) }));
}

function disagreementList(units: readonly SentenceUnit[], readers: readonly Reader[], limit: number): SentenceDisagreement[] {
  const order = new Map(readers.map((reader, i) => [reader.id, i]));
  const scored = units
    .map((unit) => ({ unit, disagreement: unitDisagreement([...unit.values.values()]) }))
    .filter(({ disagreement }) => disagreement > 0);
  // Most disagreement first; among equals, the sentence more readers judged, then reading order.
  scored.sort((x, y) => y.disagreement - x.disagreement || y.unit.values.size - x.unit.values.size || x.unit.sentence.start - y.unit.sentence.start);
  return scored.slice(0, limit).map(({ unit, disagreement }) => ({
    sentence: unit.sentence,
    disagreement,
    said: [...unit.values]
      .sort(([a], [b]) => (order.get(a) ?? 0) - (order.get(b) ?? 0))
      .map(([readerId, status]) => ({ readerId, name: readers[order.get(readerId) ?? -1]?.name ?? readerId, status })),
  }));
}

function pairCoverage(units: readonly SentenceUnit[], readers: readonly Reader[]): PairCoverage[] {
  const index = new Map(readers.map((reader, i) => [reader.id, i]));
  const n = readers.length;
  // Counted per sentence over the pairs of its readers: Σ m² steps rather than pairs × sentences.
  const both = new Uint32Array(n * n);
  for (const unit of units) {
    const present = [...unit.values.keys()].map((id) => index.get(id)!).sort((a, b) => a - b);
    for (let x = 0; x < present.length; x++) for (let y = x + 1; y < present.length; y++) both[present[x]! * n + present[y]!]!++;
  }
  const pairs: PairCoverage[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const count = both[i * n + j]!;
      pairs.push({ a: readers[i]!.id, b: readers[j]!.id, both: count, share: units.length === 0 ? 0 : count / units.length });
    }
  }
  return pairs;
}

/** The readers who tagged anything, ordered by name (then id), with how many sentences each tagged. */
function readersOf(units: readonly SentenceUnit[], names: ReadonlyMap<string, string>): { readers: Reader[]; tagged: Record<string, number> } {
  const tagged: Record<string, number> = {};
  for (const unit of units) for (const reader of unit.values.keys()) tagged[reader] = (tagged[reader] ?? 0) + 1;
  const readers = Object.keys(tagged)
    .map((id) => ({ id, name: names.get(id) ?? id }))
    .sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1));
  return { readers, tagged };
}

/** Who judged what over a set of units: the readers, how many units each tagged, and each pair's coverage. */
export interface ReaderCoverage {
  readers: Reader[];
  tagged: Record<string, number>;
  coverage: PairCoverage[];
}

/**
 * The readers of `units` (sentences of one chapter, or of several chapters taken together),
 * ordered by name, with how many units each tagged and, per pair, how many both tagged.
 */
export function readerCoverage(units: readonly SentenceUnit[], names: ReadonlyMap<string, string>): ReaderCoverage {
  const { readers, tagged } = readersOf(units, names);
  return { readers, tagged, coverage: pairCoverage(units, readers) };
}

/** Computes the agreement report of a chapter from its text and the readers' claims. */
export function agreementReport(input: AgreementInput, options: AgreementOptions = {}): AgreementReport {
  const sentences = options.sentences ?? chapterSentences(input.projection);
  const units = sentenceUnits(sentences, input.claims);
  const { readers, tagged, coverage } = readerCoverage(units, input.names);
  return {
    readers,
    sentences: sentences.length,
    tagged,
    chapter: alphaOf(units),
    paragraphs: paragraphAgreement(units),
    disagreements: disagreementList(units, readers, options.disagreements ?? 10),
    coverage,
  };
}
