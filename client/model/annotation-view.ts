import type { AnchorState, AnnotationKind, AnnotationStatus, ClaimStatus, ProblemType } from '../../schema/index.ts';

/** One reply in an annotation's thread, ready to display. */
export interface ReplyView {
  id: string;
  authorId: string;
  authorName: string;
  body: string;
  created: number;
  modified: number;
}

/**
 * An annotation as the interface shows it: the stored record joined with its anchor's
 * current state and range, its thread and the author's display name. Built by the room
 * model from the annotation document; components never read Yjs directly.
 */
export interface AnnotationView {
  id: string;
  kind: AnnotationKind;
  claimStatus: ClaimStatus | null;
  problemType: ProblemType | null;
  status: AnnotationStatus;
  note: string;
  /** A problem's proposed correction: null when none, "" when it proposes deleting the passage. */
  correction: string | null;
  footnotes: number[];
  authorId: string;
  authorName: string;
  created: number;
  modified: number;
  /** The quoted text when the annotation was made (kept after the text changes). */
  quote: string;
  anchorState: AnchorState;
  /**
   * The ProseMirror range when this view was built (the annotation or its anchor last
   * changed), or null when orphaned. Good for ordering; text edits elsewhere shift it, so
   * read the live range from the annotation layer before scrolling or measuring.
   */
  from: number | null;
  to: number | null;
  /** Whether an assistant suggested it (then accepted by `authorName`). */
  suggested: boolean;
  /** The assistant finding it was accepted from, if any. */
  findingId: string | null;
  /** Who last changed the status, for "Resolved by …"; null while never changed. */
  statusByName: string | null;
  /** The text a correction replaced, once the owner applied it. */
  appliedOriginal: string | null;
  replies: ReplyView[];
}

/** The one-word category a highlight is coloured by: the claim status, or the kind. */
export type HighlightCategory = ClaimStatus | 'problem' | 'comment';

/** Returns the colour category of an annotation. */
export function highlightCategory(annotation: Pick<AnnotationView, 'kind' | 'claimStatus'>): HighlightCategory {
  if (annotation.kind === 'claim') return annotation.claimStatus ?? 'interpretive';
  return annotation.kind;
}

/** Human label of a category, for badges and the toolbar. */
export const CATEGORY_LABELS: Record<HighlightCategory, string> = {
  sourced: 'Sourced',
  contested: 'Contested',
  interpretive: 'Interpretive',
  problem: 'Problem',
  comment: 'Comment',
};

/** Human label of an annotation's status: a problem that was accepted reads "Accepted", not "Resolved". */
export function statusLabel(annotation: Pick<AnnotationView, 'kind' | 'status'>, label: (status: AnnotationStatus) => string): string {
  return annotation.kind === 'problem' && annotation.status === 'resolved' ? 'Accepted' : label(annotation.status);
}
