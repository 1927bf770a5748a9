import { Plugin, PluginKey } from 'prosemirror-state';
import type { EditorState, Transaction } from 'prosemirror-state';
import { Decoration, DecorationSet } from 'prosemirror-view';
import type { EditorView } from 'prosemirror-view';
import type { Node as PMNode } from 'prosemirror-model';
import { ySyncPluginKey } from 'y-prosemirror';
import type { AnnotationStatus } from '../../schema/index.ts';
import type { HighlightCategory } from '../model/annotation-view.ts';

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
  | { type: 'rebuild' };

interface HighlightState {
  set: DecorationSet;
  active: string | null;
  hover: string | null;
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

function buildSet(doc: PMNode, specs: Iterable<HighlightSpec>, state: Pick<HighlightState, 'active' | 'hover'>): DecorationSet {
  const decorations: Decoration[] = [];
  for (const spec of specs) if (fits(spec, doc)) decorations.push(decorationFor(spec, state));
  return DecorationSet.create(doc, decorations);
}

/** Removes the decorations of `ids` and adds those of `upsert`, touching nothing else. */
function patchSet(set: DecorationSet, doc: PMNode, remove: ReadonlySet<string>, upsert: HighlightSpec[], state: HighlightState): DecorationSet {
  const stale = set.find(undefined, undefined, (spec) => remove.has(spec.annotationId as string));
  let next = stale.length > 0 ? set.remove(stale) : set;
  const added = upsert.filter((spec) => fits(spec, doc)).map((spec) => decorationFor(spec, state));
  if (added.length > 0) next = next.add(doc, added);
  return next;
}

/** Re-renders the highlights of the given ids with the current emphasis. */
function refocus(set: DecorationSet, doc: PMNode, ids: Array<string | null>, state: HighlightState): DecorationSet {
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
  if (fromYjs(tr) || change?.type === 'rebuild') return { ...value, set: buildSet(tr.doc, source.allHighlights(tr.doc), value) };
  const mapped = tr.docChanged ? value.set.map(tr.mapping, tr.doc) : value.set;
  if (!change) return mapped === value.set ? value : { ...value, set: mapped };
  if (change.type === 'patch') {
    const remove = new Set([...change.remove, ...change.upsert.map((s) => s.id)]);
    return { ...value, set: patchSet(mapped, tr.doc, remove, change.upsert, value) };
  }
  const next: HighlightState = {
    set: mapped,
    active: change.active !== undefined ? change.active : value.active,
    hover: change.hover !== undefined ? change.hover : value.hover,
  };
  next.set = refocus(mapped, tr.doc, [value.active, value.hover, next.active, next.hover], next);
  return next;
}

/**
 * Draws annotations as inline decorations. Changes arrive as patches (only the changed
 * annotations' decorations are replaced), emphasis as focus changes, and after
 * y-prosemirror swaps the document the whole set is rebuilt from `source`'s cached ranges.
 */
export function annotationDecorations(source: HighlightSource): Plugin<HighlightState> {
  return new Plugin<HighlightState>({
    key: annotationDecorationsKey,
    state: {
      init: (_config, state: EditorState) => ({ set: buildSet(state.doc, source.allHighlights(state.doc), { active: null, hover: null }), active: null, hover: null }),
      apply: (tr, value) => applyChange(tr, value, source),
    },
    props: {
      decorations: (state) => annotationDecorationsKey.getState(state)?.set ?? DecorationSet.empty,
    },
  });
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
