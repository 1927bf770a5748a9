import type { DateRange } from '../../schema/index.ts';
import type { PeopleOrder } from './seminar-model.ts';

/**
 * The download addresses of the gradebook (the people table as CSV or JSON) for the range and
 * order shown: a chapter's (of one layer) and a whole seminar's (docs/seminar-view.md).
 */

/** What a gradebook download is asked for. */
export interface GradebookQuery {
  format: 'csv' | 'json';
  range: DateRange;
  order: PeopleOrder;
}

function overviewParams(query: GradebookQuery, extra: Record<string, string> = {}): URLSearchParams {
  const params = new URLSearchParams({ format: query.format, ...extra, sort: query.order.key, direction: query.order.direction });
  if (query.range.since) params.set('since', query.range.since);
  if (query.range.until) params.set('until', query.range.until);
  return params;
}

/** The gradebook of a chapter's layer (`shared` or `round-<id>`). */
export function chapterGradebookHref(room: string, layer: string, query: GradebookQuery): string {
  return `/api/rooms/${encodeURIComponent(room)}/overview?${overviewParams(query, { layer })}`;
}

/** The gradebook of a seminar: every chapter's people added up. */
export function seminarGradebookHref(seminarId: string, query: GradebookQuery): string {
  return `/api/seminars/${encodeURIComponent(seminarId)}/overview?${overviewParams(query)}`;
}
