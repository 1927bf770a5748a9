import { agreementReport } from '../agreement/agreement-report.ts';
import type { AgreementReport } from '../agreement/agreement-report.ts';
import { chapterSentences } from '../agreement/sentence-units.ts';
import type { ClaimPlacement, SentenceSpan } from '../agreement/sentence-units.ts';
import { withinRange } from './chapter-activity.ts';
import type { ChapterActivity, DateRange, ReadAnnotation } from './chapter-activity.ts';
import { chapterHeat } from './paragraph-heat.ts';
import type { ChapterHeat } from './paragraph-heat.ts';
import { participationRows } from './participation.ts';
import type { PersonRow } from './participation.ts';

/**
 * The seminar leader's view of one chapter, in one call: the people table, the heat strip and
 * the agreement report, all for the same date range. This is the interface a seminar-level view
 * calls once per chapter: its people tables add up (`combinePeople`), and its agreement can be
 * pooled by concatenating each chapter's sentence units (`overviewClaims` + `sentenceUnits`).
 */

/** Everything the view shows about one chapter. */
export interface ChapterOverview {
  chapter: { id: string; title: string };
  range: { since: string | null; until: string | null };
  people: PersonRow[];
  heat: ChapterHeat;
  agreement: AgreementReport;
}

/** Options of the overview. */
export interface OverviewOptions {
  range?: DateRange;
  /** Longest disagreement list; default 10. */
  disagreements?: number;
  /** The chapter's sentences, when the caller keeps them between calls (they change only with the text). */
  sentences?: readonly SentenceSpan[];
}

/** The claims with a place in the text, created in the range, as the agreement measure reads them. */
export function overviewClaims(annotations: Iterable<ReadAnnotation>, range: DateRange = {}): ClaimPlacement[] {
  const inRange = withinRange(range);
  const claims: ClaimPlacement[] = [];
  for (const { annotation, start, end } of annotations) {
    if (annotation.kind !== 'claim' || start === null || end === null || !inRange(annotation.created)) continue;
    claims.push({ id: annotation.id, readerId: annotation.authorId, status: annotation.claimStatus ?? 'interpretive', start, end, modified: annotation.modified });
  }
  return claims;
}

/** Computes the view of one chapter. */
export function chapterOverview(activity: ChapterActivity, options: OverviewOptions = {}): ChapterOverview {
  const range = options.range ?? {};
  const people = participationRows(activity.annotations, range);
  const names = new Map(people.map((row) => [row.userId, row.name]));
  return {
    chapter: { ...activity.chapter },
    range: { since: range.since ?? null, until: range.until ?? null },
    people,
    heat: chapterHeat(activity.projection, activity.annotations, range),
    agreement: agreementReport(
      { projection: activity.projection, claims: overviewClaims(activity.annotations, range), names },
      { disagreements: options.disagreements ?? 10, sentences: options.sentences ?? chapterSentences(activity.projection) },
    ),
  };
}
