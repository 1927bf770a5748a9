import type { Finding } from '../../schema/index.ts';

/** A finding an annotation already records: the suggestion is shown as covered, with a link to it. */
export interface CoveredFinding {
  finding: Finding;
  /** The annotation that covers it. */
  annotationId: string;
  /** What covers it, in words: "Duplication problem by Rita Reviewer". */
  coveredBy: string;
}

/** A finding dismissed for the room, with who dismissed it and whether this user may restore it. */
export interface DismissedFinding {
  finding: Finding;
  /** "you", a display name, or "someone" when the name is not known here. */
  byName: string;
  mayRestore: boolean;
}

/** The assistants' findings as the Suggestions tab shows them. */
export interface SuggestionList {
  /** Neither accepted, dismissed nor covered: what the tab counts. */
  open: Finding[];
  covered: CoveredFinding[];
  dismissed: DismissedFinding[];
}
