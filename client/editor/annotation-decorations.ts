import { Plugin, PluginKey } from 'prosemirror-state';
import type { EditorState, Transaction } from 'prosemirror-state';
import { Decoration, DecorationSet } from 'prosemirror-view';
import type { EditorView } from 'prosemirror-view';
import type { Node as PMNode } from 'prosemirror-model';
import { ySyncPluginKey } from 'y-prosemirror';
import { covers, windowAround } from './draw-window.ts';
import type { DrawWindow } from './draw-window.ts';
import { canPaintHighlights, HighlightPainter } from './highlight-painter.ts';
import type { HighlightSpec } from './highlight-spec.ts';

export type { HighlightSpec } from './highlight-spec.ts';

/**
 * Where highlights come from. `allHighlights` must describe `doc` exactly (it is called right
 * after y-prosemirror replaced the document), reading cached ranges rather than resolving
 * every anchor again.
 */
export interface HighlightSource {
  allHighlights(doc: PMNode): Iterable<HighlightSpec>;
}

/** A change to the highlights, sent as transaction meta. */
export type HighlightChange =
  | { type: 'patch'; upsert: HighlightSpec[]; remove: string[] }
  | { type: 'focus'; active?: string | null; hover?: string | null }
  | { type: 'rebuild' }
  | { type: 'window'; window: DrawWindow };

interface HighlightState {
  /** Every highlight, as decorations (drawn as such in a small room; see `painted`). */
  set: DecorationSet;
  /** How many decorations `set` holds. */
  count: number;
  active: string | null;
  hover: string | null;
  /** Where highlights are painted in a large room; null until the viewport is measured. */
  window: DrawWindow | null;
}

/**
 * Above this many highlights (and where the browser can), highlights are painted near the
 * viewport instead of drawn as nested spans (`highlight-painter.ts`). A seminar's room stays
 * below it and draws every highlight as before.
 */
export const DRAW_ALL_MAX = 2500;
/** The painted window: what the reader sees and this many viewport heights above and below. */
const PAINT_MARGIN = 1;
/** Scrolling moves the window once less than this many viewport heights beyond the edge are painted. */
const REPAINT_MARGIN = 0.3;
/** Before the viewport is measured: the start of the chapter, where a first visit opens. */
const FIRST_WINDOW: DrawWindow = { from: 0, to: 6000 };

/** Whether a state's highlights are painted (a large room) rather than drawn. */
function painted(state: Pick<HighlightState, 'count'>): boolean {
  return state.count > DRAW_ALL_MAX && canPaintHighlights();
}

/** The plugin's key; its state holds the highlight decorations. */
export const annotationDecorationsKey = new PluginKey<HighlightState>('ap-annotation-decorations');

/**
 * What marks a chapter element as a highlight: its annotation id. The stylesheet and the
 * pointer handlers find highlights by it rather than by a shared class (see highlightClasses).
 */
export const HIGHLIGHT_SELECTOR = '[data-annotation-id]';

/**
 * The classes of a highlight: category, status (none while open, the usual case), anchor
 * trouble, and emphasis; usually one token. ProseMirror adds classes one by one
 * (`classList.add`) to each of the ~34,000 spans of a 5,000-annotation room, so every token
 * shared by all highlights costs a DOM call per span: dropping the shared `ap-hl` class (the
 * id attribute marks a highlight) took ~60 ms off opening that room (bench: browser-open-5000).
 */
export function highlightClasses(spec: HighlightSpec, active: boolean, hover: boolean): string {
  let classes = `ap-hl--${spec.category}`;
  if (spec.status !== 'open') classes += ` ap-hl--${spec.status}`;
  if (spec.degraded) classes += ' ap-hl--degraded';
  if (active) classes += ' ap-hl--active';
  if (hover) classes += ' ap-hl--hover';
  return classes;
}

function decorationFor(spec: HighlightSpec, state: Pick<HighlightState, 'active' | 'hover'>): Decoration {
  // nodeName gives every annotation its own span, so overlapping highlights nest (each keeps
  // its colour and id) instead of ProseMirror merging their attributes into one span.
  return Decoration.inline(
    spec.from,
    spec.to,
    { nodeName: 'span', class: highlightClasses(spec, spec.id === state.active, spec.id === state.hover), 'data-annotation-id': spec.id },
    { annotationId: spec.id, highlight: spec, inclusiveStart: false, inclusiveEnd: false },
  );
}

function fits(spec: HighlightSpec, doc: PMNode): boolean {
  return spec.from < spec.to && spec.from >= 0 && spec.to <= doc.content.size;
}

function buildSet(doc: PMNode, specs: Iterable<HighlightSpec>, state: Pick<HighlightState, 'active' | 'hover'>): { set: DecorationSet; count: number } {
  const decorations: Decoration[] = [];
  for (const spec of specs) if (fits(spec, doc)) decorations.push(decorationFor(spec, state));
  return { set: DecorationSet.create(doc, decorations), count: decorations.length };
}

/** Removes the decorations of `ids` and adds those of `upsert`, touching nothing else; returns the change in count too. */
function patchSet(set: DecorationSet, doc: PMNode, remove: ReadonlySet<string>, upsert: HighlightSpec[], state: HighlightState): { set: DecorationSet; delta: number } {
  const stale = set.find(undefined, undefined, (spec) => remove.has(spec.annotationId as string));
  let next = stale.length > 0 ? set.remove(stale) : set;
  const added = upsert.filter((spec) => fits(spec, doc)).map((spec) => decorationFor(spec, state));
  if (added.length > 0) next = next.add(doc, added);
  return { set: next, delta: added.length - stale.length };
}

/** Re-renders the highlights of the given ids with the current emphasis. */
function refocus(set: DecorationSet, doc: PMNode, ids: Array<string | null>, state: Pick<HighlightState, 'active' | 'hover'>): DecorationSet {
  const wanted = new Set(ids.filter((id): id is string => id !== null));
  if (wanted.size === 0) return set;
  const found = set.find(undefined, undefined, (spec) => wanted.has(spec.annotationId as string));
  // Keep each decoration where mapping has moved it; only its classes change.
  const moved = found.map((d) => ({ ...(d.spec as { highlight: HighlightSpec }).highlight, from: d.from, to: d.to }));
  return found.length === 0 ? set : set.remove(found).add(doc, moved.map((spec) => decorationFor(spec, state)));
}

function fromYjs(tr: Transaction): boolean {
  return (tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined)?.isChangeOrigin === true;
}

function applyChange(tr: Transaction, value: HighlightState, source: HighlightSource): HighlightState {
  const change = tr.getMeta(annotationDecorationsKey) as HighlightChange | undefined;
  // y-prosemirror #49: a change from Yjs replaces the whole document, so mapping would drop
  // every decoration. Rebuild from the source's cached ranges instead.
  if (fromYjs(tr) || change?.type === 'rebuild') return { ...value, ...buildSet(tr.doc, source.allHighlights(tr.doc), value) };
  const mapped = tr.docChanged ? value.set.map(tr.mapping, tr.doc) : value.set;
  const window = tr.docChanged && value.window ? { from: tr.mapping.map(value.window.from, -1), to: tr.mapping.map(value.window.to, 1) } : value.window;
  if (!change) return mapped === value.set ? value : { ...value, set: mapped, window };
  if (change.type === 'window') return { ...value, set: mapped, window: change.window };
  if (change.type === 'patch') {
    const remove = new Set([...change.remove, ...change.upsert.map((s) => s.id)]);
    const patched = patchSet(mapped, tr.doc, remove, change.upsert, value);
    return { ...value, set: patched.set, count: value.count + patched.delta, window };
  }
  const next: HighlightState = {
    set: mapped,
    count: value.count,
    active: change.active !== undefined ? change.active : value.active,
    hover: change.hover !== undefined ? change.hover : value.hover,
    window,
  };
  next.set = refocus(mapped, tr.doc, [value.active, value.hover, next.active, next.hover], next);
  return next;
}

/**
 * In a large room, paints the highlights near the viewport (`HighlightPainter`) and keeps the
 * painted window there: after scrolling or resizing it measures (in the next frame) what the
 * reader sees, and moves the window once less than REPAINT_MARGIN viewport heights beyond the
 * edge are painted. Repaints after every change of the highlights or the text, and whenever
 * ProseMirror redrew text a painted range pointed into.
 */
class HighlightPaintView {
  #frame = 0;
  readonly #view: EditorView;
  readonly #painter: HighlightPainter;
  #painting = false;
  readonly #schedule = () => {
    if (this.#frame) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.#follow();
    });
  };

  constructor(view: EditorView) {
    this.#view = view;
    this.#painter = new HighlightPainter(view);
    // Any scrolling element (the reading pane, the page), caught on its way down.
    document.addEventListener('scroll', this.#schedule, { capture: true, passive: true });
    window.addEventListener('resize', this.#schedule, { passive: true });
    this.#paint();
  }

  update(view: EditorView, previous: EditorState): void {
    const now = annotationDecorationsKey.getState(view.state);
    if (!now) return;
    if (!painted(now)) {
      if (this.#painting) this.#painter.clear();
      this.#painting = false;
      return;
    }
    const textChanged = view.state.doc !== previous.doc;
    if (textChanged || now !== annotationDecorationsKey.getState(previous) || !this.#painting || !this.#painter.current()) this.#paint(textChanged);
    if (now.window === null || view.state.doc !== previous.doc) this.#schedule();
  }

  destroy(): void {
    if (this.#frame) cancelAnimationFrame(this.#frame);
    document.removeEventListener('scroll', this.#schedule, { capture: true });
    window.removeEventListener('resize', this.#schedule);
    this.#painter.clear();
  }

  #paint(fresh = false): void {
    const state = annotationDecorationsKey.getState(this.#view.state);
    if (!state || !painted(state)) return;
    this.#painting = true;
    const size = this.#view.state.doc.content.size;
    const window = state.window ?? FIRST_WINDOW;
    const found = state.set.find(Math.min(window.from, size), Math.min(window.to, size));
    this.#painter.paint(found.map((d) => {
      const spec = (d.spec as { highlight: HighlightSpec }).highlight;
      return { spec, from: d.from, to: d.to, active: spec.id === state.active, hover: spec.id === state.hover };
    }), fresh);
  }

  #follow(): void {
    const view = this.#view;
    if (view.isDestroyed) return;
    const state = annotationDecorationsKey.getState(view.state);
    if (!state || !painted(state)) return;
    const needed = windowAround(view, REPAINT_MARGIN);
    if (!needed || (state.window !== null && covers(state.window, needed))) return;
    const window = windowAround(view, PAINT_MARGIN);
    if (window) view.dispatch(view.state.tr.setMeta(annotationDecorationsKey, { type: 'window', window } satisfies HighlightChange).setMeta('addToHistory', false));
  }
}

/**
 * Draws annotations as inline decorations. Changes arrive as patches (only the changed
 * annotations' decorations are replaced), emphasis as focus changes, and after
 * y-prosemirror swaps the document the whole set is rebuilt from `source`'s cached ranges.
 * In a room with more than DRAW_ALL_MAX highlights the same set is kept but painted near the
 * viewport instead (`highlight-painter.ts`).
 */
export function annotationDecorations(source: HighlightSource): Plugin<HighlightState> {
  return new Plugin<HighlightState>({
    key: annotationDecorationsKey,
    state: {
      init: (_config, state: EditorState) => ({ ...buildSet(state.doc, source.allHighlights(state.doc), { active: null, hover: null }), active: null, hover: null, window: null }),
      apply: (tr, value) => applyChange(tr, value, source),
    },
    view: (view) => new HighlightPaintView(view),
    props: {
      // A large room's highlights are painted, not drawn (HighlightPaintView).
      decorations: (state) => {
        const value = annotationDecorationsKey.getState(state);
        return !value || painted(value) ? DecorationSet.empty : value.set;
      },
      // Marks a chapter whose highlights are painted: its blocks are then always rendered
      // (app.css), so that scrolling is the compositor's work and repaints nothing.
      attributes: (state): Record<string, string> => (paintsHighlights(state) ? { 'data-painted-highlights': '' } : {}),
    },
  });
}

/** Whether the view paints its highlights (a large room) instead of drawing them as spans. */
export function paintsHighlights(state: EditorState): boolean {
  const value = annotationDecorationsKey.getState(state);
  return value !== undefined && painted(value);
}

/** Sends a highlight change to the view. */
export function dispatchHighlightChange(view: EditorView, change: HighlightChange): void {
  view.dispatch(view.state.tr.setMeta(annotationDecorationsKey, change).setMeta('addToHistory', false));
}

/** The ids of the annotations whose highlight covers `pos`, shortest range first. */
export function highlightsAt(state: EditorState, pos: number): string[] {
  const set = annotationDecorationsKey.getState(state)?.set;
  if (!set) return [];
  return set
    .find(pos, pos, (spec) => typeof spec.annotationId === 'string')
    .filter((d) => d.from <= pos && pos <= d.to)
    .sort((a, b) => a.to - a.from - (b.to - b.from))
    .map((d) => d.spec.annotationId as string);
}
