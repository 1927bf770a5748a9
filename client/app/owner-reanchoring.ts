import type * as Y from 'yjs';
import { AnnotationOrigin, reanchorRelocatedAnnotations, reanchorRestoredAnnotations } from '../../schema/index.ts';
import type { Actor } from '../../schema/index.ts';

/** How long the owner's text must rest before relocated annotations are re-anchored. */
export const REANCHOR_DELAY_MS = 300;

/** What the owner's re-anchoring watches and writes. */
export interface OwnerReanchoringOptions {
  annotationsDoc: Y.Doc;
  textDoc: Y.Doc;
  /** The owner (only the owner may write other people's annotations; the server enforces it). */
  actor: Actor;
  /** The chapter editor's undo manager (y-prosemirror's): its undos and redos restore text. */
  undoManager: Y.UndoManager | null;
  /** Whether any annotation currently resolves as `relocated`; the pass is skipped when none does. */
  hasRelocated: () => boolean;
  /** The debounce after the last local text change; REANCHOR_DELAY_MS by default. */
  delayMs?: number;
}

/** Whether a text transaction is a local edit (typing, undo, an applied correction) that changed something. */
function isLocalTextEdit(transaction: Y.Transaction): boolean {
  return transaction.local && (transaction.changed.size > 0 || transaction.deleteSet.clients.size > 0);
}

/**
 * Keeps annotations anchored after the owner edits the text. Edits lose anchor positions in
 * two known ways: y-prosemirror re-creates one half of a paragraph on Enter/Backspace
 * (y-prosemirror #44), so annotations in that half are found again only by their quote
 * (`relocated`); and undo restores deleted text as new items (yjs #638), which only the
 * replica that undid can map old positions onto. So the owner's client writes fresh positions:
 * for relocated annotations a moment after its own text edits (and once after it synced), and
 * for the text an undo or redo restored, right after it. Run on the owner's client only.
 */
export class OwnerReanchoring {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly delayMs: number;
  private readonly onTextTransaction = (transaction: Y.Transaction): void => {
    if (isLocalTextEdit(transaction)) this.schedule();
  };
  private readonly onStackItemPopped = (): void => {
    this.reanchorRestored();
  };

  constructor(private readonly options: OwnerReanchoringOptions) {
    this.delayMs = options.delayMs ?? REANCHOR_DELAY_MS;
    options.textDoc.on('afterTransaction', this.onTextTransaction);
    options.undoManager?.on('stack-item-popped', this.onStackItemPopped);
  }

  /** Re-anchors relocated annotations after the debounce (restarting it if already waiting). */
  schedule(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.reanchorRelocated();
    }, this.delayMs);
  }

  /** Writes fresh positions for every relocated annotation now; returns the ids written. */
  reanchorRelocated(): string[] {
    if (!this.options.hasRelocated()) return [];
    return this.write(() => reanchorRelocatedAnnotations(this.options.annotationsDoc, this.options.textDoc, this.context()));
  }

  /** Writes fresh positions for the annotations whose text the last undo or redo restored. */
  reanchorRestored(): string[] {
    return this.write(() => reanchorRestoredAnnotations(this.options.annotationsDoc, this.options.textDoc, this.context()));
  }

  /** Stops watching. */
  destroy(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.options.textDoc.off('afterTransaction', this.onTextTransaction);
    this.options.undoManager?.off('stack-item-popped', this.onStackItemPopped);
  }

  private context() {
    return { actor: this.options.actor, now: () => new Date() };
  }

  /** One transaction for all re-anchors: one update on the wire, one pending change. */
  private write(reanchor: () => string[]): string[] {
    let written: string[] = [];
    this.options.annotationsDoc.transact(() => {
      written = reanchor();
    }, new AnnotationOrigin('reanchor', this.options.actor.userId));
    return written;
  }
}
