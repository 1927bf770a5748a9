import type { AnnotationKind, ClaimStatus, ProblemType } from '../../schema/index.ts';
import type { AnnotationDraft } from '../components/app-events.ts';

/** The stored fields a draft stands for. */
export interface DraftFields {
  kind: AnnotationKind;
  claimStatus: ClaimStatus | null;
  problemType: ProblemType | null;
  note: string;
  correction: string | null;
}

/**
 * Turns the editor's draft into annotation fields: a claim category becomes kind `claim`
 * with that status; only problems keep a type and a correction (an empty one is none; a
 * proposed deletion is the correction "", which the model reads as "delete the quote").
 */
export function draftToFields(draft: AnnotationDraft): DraftFields {
  const isClaim = draft.category === 'sourced' || draft.category === 'contested' || draft.category === 'interpretive';
  const kind: AnnotationKind = isClaim ? 'claim' : (draft.category as 'problem' | 'comment');
  return {
    kind,
    claimStatus: isClaim ? (draft.category as ClaimStatus) : null,
    problemType: kind === 'problem' ? draft.problemType : null,
    note: draft.note,
    correction: kind !== 'problem' ? null : draft.proposeDeletion ? '' : draft.correction !== '' ? draft.correction : null,
  };
}
