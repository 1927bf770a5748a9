import type { DateRange, SeminarChapterLine, SeminarOverview } from '../../schema/index.ts';
import { callApi, segment } from '../site/site-api.ts';
import type { SiteResult } from '../site/site-api.ts';

/**
 * The seminar overview as the browser asks for it (`GET /api/seminars/<id>/overview?format=report`,
 * docs/seminar-view.md): every figure is computed on the server from the chapters' stored
 * annotations by the same functions as a chapter's view; the answer is checked here, at the edge.
 */

/** One chapter's line, as the server reports it. */
export interface ReportedChapterLine extends SeminarChapterLine {
  archived: boolean;
}

/** The server's report of a seminar. */
export interface SeminarOverviewReport extends Omit<SeminarOverview, 'chapters'> {
  seminar: { id: string; title: string };
  /** When the server computed it (ISO). */
  computedAt: string;
  chapters: ReportedChapterLine[];
}

/** Whether an untrusted answer has the report's shape (the parts the page reads). */
function isReport(body: unknown): body is SeminarOverviewReport {
  const b = body as Partial<Record<keyof SeminarOverviewReport, unknown>> | null;
  if (typeof b !== 'object' || b === null) return false;
  const seminar = b.seminar as { id?: unknown; title?: unknown } | undefined;
  const agreement = b.agreement as { readers?: unknown; disagreements?: unknown; coverage?: unknown } | undefined;
  return (
    typeof seminar?.id === 'string' &&
    typeof seminar.title === 'string' &&
    typeof b.computedAt === 'string' &&
    Array.isArray(b.people) &&
    Array.isArray(b.chapters) &&
    b.chapters.every((line: { rows?: unknown; chapter?: { id?: unknown } }) => Array.isArray(line?.rows) && typeof line.chapter?.id === 'string') &&
    typeof b.alpha === 'object' &&
    Array.isArray(agreement?.readers) &&
    Array.isArray(agreement.disagreements) &&
    Array.isArray(agreement.coverage)
  );
}

/** Asks the server for a seminar's overview over a date range. */
export async function fetchSeminarOverview(seminarId: string, range: DateRange): Promise<SiteResult<SeminarOverviewReport>> {
  const params = new URLSearchParams({ format: 'report' });
  if (range.since) params.set('since', range.since);
  if (range.until) params.set('until', range.until);
  const result = await callApi<unknown>('GET', `/api/seminars/${segment(seminarId)}/overview?${params}`);
  if (!result.ok) return result;
  return isReport(result.value) ? { ok: true, value: result.value } : { ok: false, status: 200, error: 'The server sent an overview this page cannot read.' };
}
