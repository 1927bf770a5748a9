import type { Annotation } from '../../annotations/model.ts';
import { labelOf } from '../../annotations/vocabulary.ts';

/** How the document exports (Word, print) name an annotation's tag, status and dates to a reader. */

/** The annotation's tag as a reader names it: "Contested claim", "Problem: Typo", "Comment". */
export function tagLabel(a: Pick<Annotation, 'kind' | 'claimStatus' | 'problemType'>): string {
  if (a.kind === 'claim') return `${a.claimStatus ? labelOf('claim-status', a.claimStatus) : 'Unrated'} claim`;
  if (a.kind === 'problem') return `Problem${a.problemType ? `: ${labelOf('problem-type', a.problemType)}` : ''}`;
  return 'Comment';
}

/** The status as a reader names it; a resolved problem is an accepted one. */
export function statusLabel(a: Pick<Annotation, 'kind' | 'status'>): string {
  if (a.kind === 'problem' && a.status === 'resolved') return 'accepted';
  return a.status;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A day as people write it, in UTC: "3 May 2024"; an unreadable time is returned as given. */
export function dayLabel(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}
