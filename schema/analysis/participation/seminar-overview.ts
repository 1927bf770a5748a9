import { krippendorffAlpha } from '../agreement/krippendorff-alpha.ts';
import type { AlphaResult } from '../agreement/krippendorff-alpha.ts';
import { chapterSentences, sentenceUnits } from '../agreement/sentence-units.ts';
import type { ChapterActivity, DateRange } from './chapter-activity.ts';
import { chapterOverview, overviewClaims } from './chapter-overview.ts';
import { combinePeople } from './participation.ts';
import type { PersonRow } from './participation.ts';

/**
 * The seminar leader's view of several chapters (a seminar): each chapter's overview, the
 * people tables added up, and agreement pooled over the sentences of every chapter (the units
 * of all chapters taken together: one alpha for the seminar, not an average of alphas).
 */

/** One chapter's line in the seminar's view. */
export interface SeminarChapterLine {
  chapter: { id: string; title: string };
  people: number;
  annotations: number;
  claims: number;
  alpha: AlphaResult;
}

/** The view of a seminar. */
export interface SeminarOverview {
  range: { since: string | null; until: string | null };
  chapters: SeminarChapterLine[];
  people: PersonRow[];
  /** Alpha over the sentences of every chapter. */
  alpha: AlphaResult;
}

/** Computes the view of a seminar from its chapters' activity, for one date range. */
export function seminarOverview(chapters: readonly ChapterActivity[], range: DateRange = {}): SeminarOverview {
  const overviews = chapters.map((activity) => chapterOverview(activity, { range, disagreements: 0 }));
  const units = chapters.flatMap((activity) => sentenceUnits(chapterSentences(activity.projection), overviewClaims(activity.annotations, range)));
  return {
    range: { since: range.since ?? null, until: range.until ?? null },
    chapters: overviews.map((overview) => ({
      chapter: overview.chapter,
      people: overview.people.length,
      annotations: overview.people.reduce((n, row) => n + row.annotations, 0),
      claims: overview.people.reduce((n, row) => n + row.claims, 0),
      alpha: overview.agreement.chapter,
    })),
    people: combinePeople(overviews.map((overview) => overview.people)),
    alpha: krippendorffAlpha(units.map((unit) => unit.values.values())),
  };
}
