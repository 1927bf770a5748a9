import type { EditorView } from 'prosemirror-view';
import type { HighlightSpec } from './highlight-spec.ts';

/**
 * Paints highlights without touching the chapter's DOM, through the CSS Custom Highlight API
 * (`CSS.highlights`, styled by `::highlight(…)` rules in app.css): a large room's highlights,
 * near the viewport only. Inline decorations nest one span per annotation in every piece of
 * text: ~130,000 spans at 20,000 annotations, and every change to them makes the browser lay
 * out whole paragraphs again (scrolling a window of them through a room of 20,000 took tasks of
 * 100–500 ms; bench: browser-open-5000). Painted ranges leave the text as it is: drawing,
 * moving and repainting them costs no layout.
 *
 * Each painted range carries its annotation's id (`PAINTED_ID`), so that tests and the benchmark
 * can list what is painted (`CSS.highlights`).
 */

/** The property of a painted range that names its annotation. */
export const PAINTED_ID = 'apAnnotationId';

/** A highlight to paint, with its emphasis. */
export interface PaintedHighlight {
  spec: HighlightSpec;
  from: number;
  to: number;
  active: boolean;
  hover: boolean;
}

/** Whether this browser paints highlights (Chromium 105+, Safari 17.2+, Firefox 140+). */
export function canPaintHighlights(): boolean {
  return typeof CSS !== 'undefined' && 'highlights' in CSS && typeof Highlight === 'function' && typeof StaticRange === 'function';
}

/**
 * The `::highlight` name of a highlight: category and status (as the classes of a drawn one,
 * `highlightClasses`), e.g. `ap-hl-contested-open`, `ap-hl-problem-closed-degraded`,
 * `ap-hl-rejected`. Emphasis goes to two more highlights on top (`ap-hl-active`, `ap-hl-hover`).
 */
export function paintName(spec: HighlightSpec): string {
  if (spec.status === 'rejected') return 'ap-hl-rejected';
  const state = spec.status === 'open' ? 'open' : 'closed';
  return `ap-hl-${spec.category}-${state}${spec.degraded ? '-degraded' : ''}`;
}

const ACTIVE = 'ap-hl-active';
const HOVER = 'ap-hl-hover';

/** A painted range and the highlights (names) it is in. */
interface PaintedRange {
  range: StaticRange;
  names: string[];
}

/**
 * Paints the highlights of one editor view. `paint` brings the painted set to exactly what it
 * is given, changing only what differs: a range that stays (same annotation, positions and
 * look, its text not redrawn) is left in its highlights, so the browser repaints only what
 * entered or left (a window moved by scrolling changes its edges, not its middle).
 */
export class HighlightPainter {
  readonly #highlights = new Map<string, Highlight>();
  readonly #painted = new Map<string, PaintedRange>();

  constructor(private readonly view: EditorView) {}

  /** Paints exactly `highlights` (ranges measured in the view's current DOM); `fresh` remeasures every range (the text changed). */
  paint(highlights: Iterable<PaintedHighlight>, fresh = false): void {
    const wanted = new Map<string, { highlight: PaintedHighlight; names: string[] }>();
    for (const highlight of highlights) {
      const names = [paintName(highlight.spec)];
      if (highlight.hover) names.push(HOVER);
      if (highlight.active) names.push(ACTIVE);
      wanted.set(`${highlight.spec.id} ${highlight.from} ${highlight.to}`, { highlight, names });
    }
    for (const [key, painted] of this.#painted) {
      const keep = wanted.get(key);
      if (!fresh && keep && keep.names.join() === painted.names.join() && connected(painted.range)) continue;
      for (const name of painted.names) this.#highlights.get(name)?.delete(painted.range);
      this.#painted.delete(key);
    }
    for (const [key, { highlight, names }] of wanted) {
      if (this.#painted.has(key)) continue;
      const range = this.#rangeOf(highlight.from, highlight.to);
      if (!range) continue;
      (range as unknown as Record<string, string>)[PAINTED_ID] = highlight.spec.id;
      for (const name of names) this.#highlight(name).add(range);
      this.#painted.set(key, { range, names });
    }
  }

  /** Whether every painted range still points into the chapter (ProseMirror redrew none of its text). */
  current(): boolean {
    for (const { range } of this.#painted.values()) if (!connected(range)) return false;
    return true;
  }

  /** Removes everything this painter painted. */
  clear(): void {
    for (const name of this.#highlights.keys()) CSS.highlights.delete(name);
    this.#highlights.clear();
    this.#painted.clear();
  }

  /** The highlight of a name, registered on first use; emphasis paints over the tints it overlaps. */
  #highlight(name: string): Highlight {
    let highlight = this.#highlights.get(name);
    if (!highlight) {
      highlight = new Highlight();
      highlight.priority = name === ACTIVE ? 2 : name === HOVER ? 1 : 0;
      CSS.highlights.set(name, highlight);
      this.#highlights.set(name, highlight);
    }
    return highlight;
  }

  #rangeOf(from: number, to: number): StaticRange | null {
    try {
      const start = this.view.domAtPos(from, 1);
      const end = this.view.domAtPos(to, -1);
      return new StaticRange({ startContainer: start.node, startOffset: start.offset, endContainer: end.node, endOffset: end.offset });
    } catch {
      return null;
    }
  }
}

function connected(range: StaticRange): boolean {
  return range.startContainer.isConnected && range.endContainer.isConnected;
}
