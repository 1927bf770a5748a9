import type { Annotation } from '../../annotations/model.ts';
import { ANNOTATION_KINDS } from '../../annotations/vocabulary.ts';
import type { AnnotationKind } from '../../annotations/vocabulary.ts';
import type { SnapshotAnnotation } from './snapshot.ts';

/**
 * Which annotations a document export (Word, print) carries: some kinds, with or without the
 * closed ones, optionally only a given set of ids (the sidebar's filter, when printing).
 */
export interface ExportSelection {
  kinds: ReadonlySet<AnnotationKind>;
  /** Whether closed annotations (see isClosed) are included. */
  includeResolved: boolean;
  /** When set, only these annotations (still subject to kinds and includeResolved). */
  ids?: ReadonlySet<string> | null;
}

/** Every kind, open annotations only: what a reader of the document still has to act on. */
export const DEFAULT_SELECTION: ExportSelection = Object.freeze({
  kinds: new Set<AnnotationKind>(ANNOTATION_KINDS.map((k) => k.term)),
  includeResolved: false,
});

/**
 * Whether an annotation's business is finished: a claim or comment whose thread was resolved,
 * a problem whose correction was applied or that was rejected. An accepted problem (status
 * `resolved`) is not closed: its correction still waits to be made, which is the point of
 * handing the review to the translator.
 */
export function isClosed(annotation: Pick<Annotation, 'kind' | 'status'>): boolean {
  if (annotation.status === 'applied' || annotation.status === 'rejected') return true;
  return annotation.status === 'resolved' && annotation.kind !== 'problem';
}

/** The snapshot's annotations that `selection` lets through, in the snapshot's (reading) order. */
export function selectAnnotations(annotations: readonly SnapshotAnnotation[], selection: ExportSelection): SnapshotAnnotation[] {
  return annotations.filter(({ annotation }) => {
    if (!selection.kinds.has(annotation.kind)) return false;
    if (!selection.includeResolved && isClosed(annotation)) return false;
    return !selection.ids || selection.ids.has(annotation.id);
  });
}
