import type { AnnotationStatus } from '../../schema/index.ts';
import type { HighlightCategory } from '../model/annotation-view.ts';

// Its own file so that both ways of showing highlights (drawn spans, painted ranges) read it
// without importing each other.

/** What one highlight needs: where it is and how it is coloured. */
export interface HighlightSpec {
  id: string;
  from: number;
  to: number;
  category: HighlightCategory;
  status: AnnotationStatus;
  /** The quoted text changed since the annotation was made. */
  degraded: boolean;
}
