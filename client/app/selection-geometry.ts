import type { EditorView } from 'prosemirror-view';

/**
 * The viewport rectangle of a document range: on one line its box; across lines a thin box
 * at the start of the first line, so a toolbar centred on it sits where reading began.
 */
export function rangeRect(view: EditorView, from: number, to: number): DOMRect {
  const start = view.coordsAtPos(from, 1);
  const end = view.coordsAtPos(to, -1);
  const top = Math.min(start.top, end.top);
  const bottom = Math.max(start.bottom, end.bottom);
  const oneLine = Math.abs(start.top - end.top) < 2;
  const left = oneLine ? Math.min(start.left, end.left) : start.left;
  const right = oneLine ? Math.max(start.right, end.right) : start.left + 1;
  return new DOMRect(left, top, Math.max(1, right - left), bottom - top);
}

/**
 * The viewport rectangle of the editor's selection, or null when it is empty or scrolled out
 * of view. Built from ProseMirror's coordinates so it works for keyboard selections too.
 */
export function selectionRect(view: EditorView): DOMRect | null {
  const { from, to, empty } = view.state.selection;
  if (empty) return null;
  const rect = rangeRect(view, from, to);
  return rect.bottom < 0 || rect.top > innerHeight ? null : rect;
}
