import { readerCoverage } from '../agreement/agreement-report.ts';
import type { ReaderCoverage, SentenceDisagreement } from '../agreement/agreement-report.ts';
import { krippendorffAlpha } from '../agreement/krippendorff-alpha.ts';
import type { AlphaResult } from '../agreement/krippendorff-alpha.ts';
import { chapterSentences, sentenceUnits } from '../agreement/sentence-units.ts';
import type { ChapterText, SentenceUnit } from '../agreement/sentence-units.ts';
import type { ChapterActivity, DateRange } from './chapter-activity.ts';
import { chapterOverview, overviewClaims } from './chapter-overview.ts';
import type { ChapterOverview } from './chapter-overview.ts';
import { combinePeople } from './participation.ts';
import type { PersonRow } from './participation.ts';

/**
 * The seminar leader's view of several chapters (a seminar): each chapter's overview, the
 * people tables added up, and agreement pooled over the sentences of every chapter (the units
 * of all chapters taken together: one alpha for the seminar, not an average of alphas). Every
 * figure comes from the chapter-level functions; this file only adds up and merges.
 */

/** One chapter's line in the seminar's view. */
export interface SeminarChapterLine {
  chapter: { id: string; title: string };
  people: number;
  annotations: number;
  claims: number;
  /** Sentences of the chapter's paragraphs (its units of agreement). */
  sentences: number;
  alpha: AlphaResult;
  /** The chapter's own people table: each person's share of their row in the seminar's table. */
  rows: PersonRow[];
}

/** A sentence the readers disagree on, with the chapter it is in and how to point at it. */
export interface SeminarDisagreement extends SentenceDisagreement {
  chapter: { id: string; title: string };
  /** Its paragraph, numbered from 1 among the chapter's paragraphs in reading order (as the heat strip numbers them). */
  paragraph: number;
  /** Its place in its paragraph's text (UTF-16 offsets, end exclusive): what a link to it names. */
  inParagraph: { start: number; end: number };
}

/** Agreement over the sentences of every chapter taken together (alpha is the overview's `alpha`). */
export interface SeminarAgreement extends ReaderCoverage {
  /** Sentences of all the chapters. */
  sentences: number;
  /** The sentences with most disagreement in any chapter, ordered as a chapter's list is. */
  disagreements: SeminarDisagreement[];
}

/** The view of a seminar. */
export interface SeminarOverview {
  range: { since: string | null; until: string | null };
  chapters: SeminarChapterLine[];
  people: PersonRow[];
  /** Alpha over the sentences of every chapter. */
  alpha: AlphaResult;
  agreement: SeminarAgreement;
}

/** Options of the seminar's view. */
export interface SeminarOverviewOptions {
  /** Longest disagreement list; default 10. */
  disagreements?: number;
}

/** Each paragraph's number in reading order (from 1), by block index, as the heat strip counts them. */
function paragraphNumbers(projection: ChapterText): Map<number, number> {
  const numbers = new Map<number, number>();
  projection.blocks.forEach((block, index) => block.type === 'paragraph' && numbers.set(index, numbers.size + 1));
  return numbers;
}

/** A chapter's disagreement list with where each sentence is. */
function placedDisagreements(overview: ChapterOverview, projection: ChapterText): SeminarDisagreement[] {
  const numbers = paragraphNumbers(projection);
  return overview.agreement.disagreements.map((item) => {
    const paragraphStart = projection.blocks[item.sentence.blockIndex]?.start ?? 0;
    return {
      ...item,
      chapter: overview.chapter,
      paragraph: numbers.get(item.sentence.blockIndex) ?? 0,
      inParagraph: { start: item.sentence.start - paragraphStart, end: item.sentence.end - paragraphStart },
    };
  });
}

/**
 * Merges the chapters' lists: most disagreement first; among equals the sentence more readers
 * judged, then chapter order, then reading order. Names are the seminar's (a person's latest).
 */
function mergeDisagreements(lists: readonly SeminarDisagreement[][], names: ReadonlyMap<string, string>, limit: number): SeminarDisagreement[] {
  const ranked = lists.flatMap((list, chapterIndex) => list.map((item) => ({ item, chapterIndex })));
  ranked.sort((x, y) => y.item.disagreement - x.item.disagreement || y.item.said.length - x.item.said.length || x.chapterIndex - y.chapterIndex || x.item.sentence.start - y.item.sentence.start);
  return ranked.slice(0, limit).map(({ item }) => ({ ...item, said: item.said.map((s) => ({ ...s, name: names.get(s.readerId) ?? s.name })) }));
}

/** Computes the view of a seminar from its chapters' activity, for one date range. */
export function seminarOverview(chapters: readonly ChapterActivity[], range: DateRange = {}, options: SeminarOverviewOptions = {}): SeminarOverview {
  const limit = options.disagreements ?? 10;
  const units: SentenceUnit[] = [];
  const lines: SeminarChapterLine[] = [];
  const lists: SeminarDisagreement[][] = [];
  for (const activity of chapters) {
    const sentences = chapterSentences(activity.projection);
    // Each chapter's own top `limit` holds every sentence the seminar's top `limit` can take from it.
    const overview = chapterOverview(activity, { range, disagreements: limit, sentences });
    for (const unit of sentenceUnits(sentences, overviewClaims(activity.annotations, range))) units.push(unit);
    lists.push(placedDisagreements(overview, activity.projection));
    lines.push({
      chapter: overview.chapter,
      people: overview.people.length,
      annotations: overview.people.reduce((n, row) => n + row.annotations, 0),
      claims: overview.people.reduce((n, row) => n + row.claims, 0),
      sentences: sentences.length,
      alpha: overview.agreement.chapter,
      rows: overview.people,
    });
  }
  const people = combinePeople(lines.map((line) => line.rows));
  const names = new Map(people.map((row) => [row.userId, row.name]));
  return {
    range: { since: range.since ?? null, until: range.until ?? null },
    chapters: lines,
    people,
    alpha: krippendorffAlpha(units.map((unit) => unit.values.values())),
    agreement: {
      ...readerCoverage(units, names),
      sentences: lines.reduce((n, line) => n + line.sentences, 0),
      disagreements: mergeDisagreements(lists, names, limit),
    },
  };
}
