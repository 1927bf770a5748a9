import type { EditorView } from 'prosemirror-view';
import { HIGHLIGHT_SELECTOR, paintsHighlights } from '../editor/annotation-decorations.ts';
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
  private moveFrame = 0;
  /** One range, reused: every live Range slows each later DOM change of the page a little. */
  private readonly probe = document.createRange();
  private readonly onOver = (event: MouseEvent): void => this.pointAt(event.target as Element, event.clientX, event.clientY);
  private readonly onLeave = (): void => this.scheduleHide();
  // Painted highlights (a large room) are no elements: the pointer's position says what is under it.
  private readonly onMove = (event: MouseEvent): void => {
    if (!this.view || !paintsHighlights(this.view.state) || this.moveFrame) return;
    const { clientX: x, clientY: y } = event;
    this.moveFrame = requestAnimationFrame(() => {
      this.moveFrame = 0;
      this.pointAtPaint(x, y);
    });
  };

  constructor(
    private readonly layer: AnnotationLayerApi,
    private readonly onChange: () => void,
  ) {}

  /** Starts listening to pointer movement over the chapter. */
  attach(view: EditorView): void {
    this.view = view;
    view.dom.addEventListener('mouseover', this.onOver);
    view.dom.addEventListener('mousemove', this.onMove);
    view.dom.addEventListener('mouseleave', this.onLeave);
  }

  /** Stops listening. */
  detach(): void {
    this.view?.dom.removeEventListener('mouseover', this.onOver);
    this.view?.dom.removeEventListener('mousemove', this.onMove);
    this.view?.dom.removeEventListener('mouseleave', this.onLeave);
    clearTimeout(this.hideTimer);
    cancelAnimationFrame(this.moveFrame);
  }

  /** Emphasises the highlight of a card the pointer is on (or none). */
  setCardHover(id: string | null): void {
    this.layer.setHover(id);
  }

  private pointAt(target: Element, x: number, y: number): void {
    const view = this.view!;
    if (paintsHighlights(view.state)) return;
    const highlight = target.closest?.(HIGHLIGHT_SELECTOR);
    if (!highlight || !view.dom.contains(highlight)) return this.scheduleHide();
    this.show(idsAt(highlight, view.dom), lineRectAt(highlight, x, y));
  }

  /**
   * The painted highlights under a point (innermost first), each checked against its own line
   * boxes, and the line box of the innermost; for the hover card and for clicks.
   */
  paintedAt(x: number, y: number): { ids: string[]; line: DOMRect | null } {
    const view = this.view;
    const ids: string[] = [];
    let line: DOMRect | null = null;
    if (!view || view.isDestroyed) return { ids, line };
    const found = view.posAtCoords({ left: x, top: y });
    for (const id of found ? this.layer.annotationsAt(found.pos) : []) {
      const range = this.layer.rangeOf(id);
      const rect = range ? this.lineUnder(range, x, y) : null;
      if (!rect) continue;
      ids.push(id);
      line ??= rect;
    }
    return { ids, line };
  }

  private pointAtPaint(x: number, y: number): void {
    const { ids, line } = this.paintedAt(x, y);
    this.view?.dom.parentElement?.classList.toggle('ap-over-highlight', ids.length > 0);
    if (!line) return this.scheduleHide();
    this.show(ids, line);
  }

  /** The line box of a document range that contains the point, if any. */
  private lineUnder(range: { from: number; to: number }, x: number, y: number): DOMRect | null {
    const view = this.view!;
    try {
      const start = view.domAtPos(range.from, 1);
      const end = view.domAtPos(range.to, -1);
      this.probe.setStart(start.node, start.offset);
      this.probe.setEnd(end.node, end.offset);
    } catch {
      return null;
    }
    const rect = [...this.probe.getClientRects()].find((r) => y >= r.top && y <= r.bottom && x >= r.left && x <= r.right) ?? null;
    this.probe.collapse(true);
    return rect;
  }

  private show(ids: string[], rect: DOMRect): void {
    clearTimeout(this.hideTimer);
    const annotations = ids.map((id) => this.layer.view(id)).filter((a): a is AnnotationView => a !== undefined);
    const same = this.state && this.state.annotations.map((a) => a.id).join() === ids.join();
    if (same) return;
    this.layer.setHover(ids[0] ?? null);
    this.state = annotations.length > 0 ? { annotations, rect } : null;
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
