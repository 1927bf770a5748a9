import type { AnnotationStatus, ClaimStatus, ProblemType } from '../../schema/index.ts';
import type { HighlightCategory } from '../model/annotation-view.ts';

/** Fields a user fills in when creating or editing an annotation. */
export interface AnnotationDraft {
  category: HighlightCategory;
  problemType: ProblemType | null;
  footnotes: number[];
  note: string;
  correction: string;
  /** A problem proposing to delete the passage (stored as the correction ""), whatever `correction` holds. */
  proposeDeletion: boolean;
}

/** Everything a card, the editor or a panel can ask the app to do with an annotation. */
export type AnnotationAction =
  | { type: 'open'; id: string }
  | { type: 'close' }
  | { type: 'hover'; id: string | null }
  | { type: 'update'; id: string; draft: AnnotationDraft }
  | { type: 'reply'; id: string; body: string }
  | { type: 'edit-reply'; id: string; replyId: string; body: string }
  | { type: 'delete-reply'; id: string; replyId: string }
  | { type: 'set-status'; id: string; status: AnnotationStatus }
  | { type: 'apply-correction'; id: string }
  | { type: 'delete'; id: string }
  | { type: 'edit'; id: string };

/** The event name for annotation actions; detail is an AnnotationAction. */
export const ANNOTATION_ACTION = 'ap-annotation-action';

/** Sends an annotation action from `source` up to the app (bubbles out of shadow roots). */
export function sendAnnotationAction(source: HTMLElement, action: AnnotationAction): void {
  source.dispatchEvent(new CustomEvent<AnnotationAction>(ANNOTATION_ACTION, { detail: action, bubbles: true, composed: true }));
}

/** A claim status, or one of the kinds that need a form first. */
export type ToolbarChoice = ClaimStatus | 'problem' | 'comment';

/**
 * The event the reading room sends on its host when the user opens an annotation (a tap or
 * click on its highlight, Enter, its card): the sidebar shows it, opening the sheet if need be.
 */
export const REVEAL_ANNOTATION = 'ap-reveal-annotation';

/** The event the reading room sends on its host when it shows a passage in the text (a suggestion's "Show"): the narrow layout's sheet closes. */
export const SHOW_PASSAGE = 'ap-show-passage';

/** The event the selection toolbar sends when the user picks a category. */
export const TOOLBAR_CHOICE = 'ap-toolbar-choice';
