import type { EditorView } from 'prosemirror-view';
import { HIGHLIGHT_SELECTOR } from '../editor/annotation-decorations.ts';
import type { AnnotationView } from '../model/annotation-view.ts';
import type { AnnotationLayerApi } from './annotation-layer-api.ts';

/** What the hover card shows: the annotations under the pointer and where. */
export interface HoverState {
  annotations: AnnotationView[];
  rect: DOMRect;
}

const HIDE_DELAY_MS = 120;

/** The annotation ids of a highlight element and the highlights it sits in, innermost first. */
function idsAt(element: Element | null, boundary: Element): string[] {
  const ids: string[] = [];
  for (let el = element; el && el !== boundary; el = el.parentElement) {
    const id = el.matches(HIGHLIGHT_SELECTOR) ? el.getAttribute('data-annotation-id') : null;
    if (id) ids.push(id);
  }
  return ids;
}

/** The line box of a (possibly multi-line) highlight under the pointer, so the card sits by that line. */
function lineRectAt(element: Element, x: number, y: number): DOMRect {
  const lines = [...element.getClientRects()];
  return lines.find((r) => y >= r.top && y <= r.bottom && x >= r.left - 2 && x <= r.right + 2) ?? element.getBoundingClientRect();
}

/**
 * Tracks the pointer over highlights: which annotations are under it (overlaps included),
 * for the hover card, and which one to emphasise. Cards in the sidebar emphasise their
 * highlight the same way.
 */
export class HighlightHover {
  state: HoverState | null = null;
  private view: EditorView | null = null;
  private hideTimer = 0;
  private readonly onOver = (event: MouseEvent): void => this.pointAt(event.target as Element, event.clientX, event.clientY);
  private readonly onLeave = (): void => this.scheduleHide();

  constructor(
    private readonly layer: AnnotationLayerApi,
    private readonly onChange: () => void,
  ) {}

  /** Starts listening to pointer movement over the chapter. */
  attach(view: EditorView): void {
    this.view = view;
    view.dom.addEventListener('mouseover', this.onOver);
    view.dom.addEventListener('mouseleave', this.onLeave);
  }

  /** Stops listening. */
  detach(): void {
    this.view?.dom.removeEventListener('mouseover', this.onOver);
    this.view?.dom.removeEventListener('mouseleave', this.onLeave);
    clearTimeout(this.hideTimer);
  }

  /** Emphasises the highlight of a card the pointer is on (or none). */
  setCardHover(id: string | null): void {
    this.layer.setHover(id);
  }

  private pointAt(target: Element, x: number, y: number): void {
    const view = this.view!;
    const highlight = target.closest?.(HIGHLIGHT_SELECTOR);
    if (!highlight || !view.dom.contains(highlight)) return this.scheduleHide();
    clearTimeout(this.hideTimer);
    const ids = idsAt(highlight, view.dom);
    const annotations = ids.map((id) => this.layer.view(id)).filter((a): a is AnnotationView => a !== undefined);
    const same = this.state && this.state.annotations.map((a) => a.id).join() === ids.join();
    if (same) return;
    this.layer.setHover(ids[0] ?? null);
    this.state = annotations.length > 0 ? { annotations, rect: lineRectAt(highlight, x, y) } : null;
    this.onChange();
  }

  private scheduleHide(): void {
    if (!this.state) return;
    clearTimeout(this.hideTimer);
    this.hideTimer = window.setTimeout(() => {
      this.state = null;
      this.layer.setHover(null);
      this.onChange();
    }, HIDE_DELAY_MS);
  }
}
