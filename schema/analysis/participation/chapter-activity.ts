import type { Annotation, Reply } from '../../annotations/model.ts';
import type { ChapterText } from '../agreement/sentence-units.ts';

/**
 * What the seminar leader's view of one chapter is computed from: the chapter's text and every
 * annotation with its thread and current range. The server reads it from a room snapshot (the
 * records the exports read), the browser from its live documents; a seminar-level view reads one
 * per chapter and combines the results (`combinePeople`, pooled agreement units).
 */

/** One annotation as the seminar view reads it: the record, its thread, and where it lies now. */
export interface ReadAnnotation {
  annotation: Annotation;
  replies: readonly Reply[];
  /** Projection offsets of its current range; null when it is orphaned. */
  start: number | null;
  end: number | null;
}

/** One chapter's annotations and text. */
export interface ChapterActivity {
  chapter: { id: string; title: string };
  projection: ChapterText;
  annotations: readonly ReadAnnotation[];
}

/** A time window: `since` inclusive, `until` exclusive, either open when null. ISO 8601 times. */
export interface DateRange {
  since?: string | null;
  until?: string | null;
}

/**
 * Whether an ISO time has the layout's canonical UTC shape (`2025-03-01T10:00:00.000Z`, as
 * `Date#toISOString` writes it): such times order as strings. Validation guarantees an ISO
 * date-time, so the length and the zone are the check. Comparing strings instead of parsing is
 * ~50× cheaper, and the seminar view recomputes on every change of a 3,000-annotation room.
 */
function isCanonicalUtc(iso: string): boolean {
  return iso.length === 24 && iso.charCodeAt(23) === 90;
}

/** Orders two ISO times by the instant they name (as strings when both are canonical UTC). */
export function compareTimes(a: string, b: string): number {
  if (isCanonicalUtc(a) && isCanonicalUtc(b)) return a < b ? -1 : a > b ? 1 : 0;
  return Date.parse(a) - Date.parse(b);
}

/**
 * Returns a predicate telling whether an ISO time falls in the range (an unreadable time never
 * does, unless the range is open). Times in the layout's canonical UTC form are compared as
 * strings with the range's bounds in that form; others are parsed.
 */
export function withinRange(range: DateRange = {}): (iso: string | null | undefined) => boolean {
  const since = range.since ? Date.parse(range.since) : -Infinity;
  const until = range.until ? Date.parse(range.until) : Infinity;
  if (Number.isNaN(since) || Number.isNaN(until)) throw new RangeError(`date range ${JSON.stringify(range)} is not made of ISO 8601 times`);
  if (since === -Infinity && until === Infinity) return (iso) => typeof iso === 'string';
  const from = since === -Infinity ? '' : new Date(since).toISOString();
  const to = until === Infinity ? '\uffff' : new Date(until).toISOString();
  return (iso) => {
    if (typeof iso !== 'string') return false;
    if (isCanonicalUtc(iso)) return iso >= from && iso < to;
    const at = Date.parse(iso);
    return at >= since && at < until;
  };
}
