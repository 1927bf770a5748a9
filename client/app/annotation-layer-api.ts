import type { Plugin } from 'prosemirror-state';
import type { AnnotationStatus } from '../../schema/index.ts';
import type { AnnotationView } from '../model/annotation-view.ts';
import type { AnnotationDraft } from '../components/app-events.ts';

/** The outcome of an annotation command, with a message fit for the user when it failed. */
export type LayerResult<T = void> = { ok: true; value: T } | { ok: false; error: string };

/**
 * What the app asks of the annotation layer: the current annotations as views, commands
 * that write the annotation document (with the session's user as actor), and the
 * ProseMirror plugin that draws the highlights. Implemented by AnnotationLayer.
 */
export interface AnnotationLayerApi {
  /** The ProseMirror plugin drawing highlights; add it to the chapter editor. */
  readonly plugin: Plugin;
  /** Every annotation as a view. The array is replaced (never mutated) when anything changes. */
  views(): AnnotationView[];
  /** One annotation's view. */
  view(id: string): AnnotationView | undefined;
  /** Calls `listener` after the views changed; returns an unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** The live range of an annotation in the current text, or null when it is orphaned. */
  rangeOf(id: string): { from: number; to: number } | null;
  /** The annotations whose highlight covers document position `pos`, innermost (shortest) first. */
  annotationsAt(pos: number): string[];
  /** Marks the annotation open in the sidebar (its highlight is emphasised). */
  setActive(id: string | null): void;
  /** Marks the annotation under the pointer (or the card being hovered). */
  setHover(id: string | null): void;
  create(range: { from: number; to: number }, draft: AnnotationDraft): LayerResult<string>;
  update(id: string, draft: AnnotationDraft): LayerResult;
  reply(id: string, body: string): LayerResult;
  editReply(replyId: string, body: string): LayerResult;
  deleteReply(replyId: string): LayerResult;
  setStatus(id: string, status: AnnotationStatus): LayerResult;
  applyCorrection(id: string): LayerResult;
  remove(id: string): LayerResult;
  /** Stops observing the documents. */
  destroy(): void;
}
