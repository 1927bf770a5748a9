import type { Annotation, ClaimStatus, ReadAnnotation, Reply } from '../../schema/index.ts';

/**
 * Small builders for the seminar view's inputs: annotations as read records with a range in
 * the projection, without a Yjs document (the view's figures are pure functions of these).
 */

let serial = 0;

/** A minute after 2025-03-01T10:00Z, `minutes` minutes later, as ISO. */
export function minute(minutes: number): string {
  return new Date(Date.UTC(2025, 2, 1, 10, minutes)).toISOString();
}

/** What a test says about an annotation; everything else takes a valid default. */
export interface ReadSpec {
  by: string;
  name?: string;
  kind?: Annotation['kind'];
  status?: ClaimStatus;
  at?: number;
  start?: number | null;
  end?: number | null;
  footnotes?: number[];
  review?: { status: Annotation['status']; by: string; name?: string; at: number };
  replies?: { by: string; name?: string; at: number }[];
}

/** An annotation read with its range, as `chapterOverview` takes it. */
export function readAnnotationOf(spec: ReadSpec): ReadAnnotation {
  const id = `a-test${String(++serial).padStart(12, '0')}`;
  const kind = spec.kind ?? 'claim';
  const created = minute(spec.at ?? 0);
  const start = spec.start === undefined ? 0 : spec.start;
  const end = spec.end === undefined ? (start === null ? null : start + 10) : spec.end;
  const annotation: Annotation = {
    id,
    kind,
    claimStatus: kind === 'claim' ? (spec.status ?? 'sourced') : null,
    problemType: kind === 'problem' ? 'typo' : null,
    footnotes: spec.footnotes ?? [],
    note: '',
    correction: kind === 'problem' ? 'fix' : null,
    status: spec.review?.status ?? 'open',
    statusBy: spec.review?.by ?? null,
    statusByName: spec.review ? (spec.review.name ?? spec.review.by) : null,
    statusAt: spec.review ? minute(spec.review.at) : null,
    authorId: spec.by,
    authorName: spec.name ?? spec.by,
    created,
    modified: created,
    related: [],
    anchor: {
      start: { item: { client: 1, clock: 0 }, assoc: 0 },
      end: { item: { client: 1, clock: 1 }, assoc: -1 },
      quote: { exact: 'x', prefix: '', suffix: '' },
      position: { start: 0, end: 1 },
      blockId: null,
      occurrences: 1,
    },
    provenance: null,
    applied: null,
    v: 1,
  };
  const replies: Reply[] = (spec.replies ?? []).map((reply, i) => ({
    id: `r-test${String(serial).padStart(8, '0')}${String(i).padStart(4, '0')}`,
    annotationId: id,
    authorId: reply.by,
    authorName: reply.name ?? reply.by,
    body: 'a reply',
    created: minute(reply.at),
    modified: minute(reply.at),
  }));
  return { annotation, replies, start, end };
}
