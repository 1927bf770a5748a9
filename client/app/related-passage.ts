import type { Finding } from '../../schema/index.ts';

/** An existing annotation and its live ProseMirror range. */
export interface AnnotatedRange {
  id: string;
  from: number;
  to: number;
}

/** The note of the comment created on the original of a duplicated passage. */
export const ORIGINAL_PASSAGE_NOTE = 'Original of the duplicated passage';

/**
 * What accepting a duplication finding does about the passage the duplicate repeats
 * (`suggestion.relatedQuoteIndex`): relate the new problem to an annotation that already
 * covers that passage, or annotate the passage first and relate to that; nothing for other
 * findings, or when the passage is no longer in the text.
 */
export type RelatedPassagePlan =
  | { kind: 'none' }
  | { kind: 'relate'; id: string }
  | { kind: 'annotate' };

/**
 * Decides how to link a duplicate to its original. `originalRange` is the related quote's
 * current range (null when it no longer matches the text); `annotations` are the room's
 * annotations with their live ranges. Of those covering the whole original, the tightest wins
 * (ties: the earliest in the list), so a note on the sentence beats one on its paragraph.
 */
export function planRelatedPassage(finding: Finding, originalRange: { from: number; to: number } | null, annotations: Iterable<AnnotatedRange>): RelatedPassagePlan {
  if (finding.type !== 'duplication' || finding.suggestion.relatedQuoteIndex === undefined || originalRange === null) return { kind: 'none' };
  let best: AnnotatedRange | null = null;
  for (const annotation of annotations) {
    if (annotation.from > originalRange.from || annotation.to < originalRange.to) continue;
    if (!best || annotation.to - annotation.from < best.to - best.from) best = annotation;
  }
  return best ? { kind: 'relate', id: best.id } : { kind: 'annotate' };
}
