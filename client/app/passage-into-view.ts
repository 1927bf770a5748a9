import type { EditorView } from 'prosemirror-view';

/** How far below the top of the reading area a shown passage starts, leaving room for the selection toolbar above it. */
const ROOM_ABOVE_PX = 72;
/** Measuring again after a scroll: the blocks scrolled past are laid out for real only then (content-visibility). */
const MAX_CORRECTIONS = 4;

/** The passage's top and bottom in viewport pixels. */
function passageBox(view: EditorView, from: number, to: number): { top: number; bottom: number } {
  const start = view.coordsAtPos(from, 1);
  const end = view.coordsAtPos(to, -1);
  return { top: Math.min(start.top, end.top), bottom: Math.max(start.bottom, end.bottom) };
}

/** How far to scroll `reading` so the passage starts ROOM_ABOVE_PX below its top (or higher when it is long), or 0 when it is in place. */
function scrollNeeded(view: EditorView, reading: HTMLElement, from: number, to: number): number {
  const area = reading.getBoundingClientRect();
  const visibleBottom = Math.min(area.bottom, innerHeight);
  const box = passageBox(view, from, to);
  const fits = box.top >= area.top + ROOM_ABOVE_PX / 2 && box.bottom <= visibleBottom - 16;
  if (fits) return 0;
  const room = Math.max(16, Math.min(ROOM_ABOVE_PX, visibleBottom - area.top - (box.bottom - box.top) - 16));
  return box.top - (area.top + room);
}

/**
 * Scrolls the reading area (not the page, not the sidebar) so a passage is wholly in view below
 * the header, with room above it for the selection toolbar. ProseMirror's own scrollIntoView
 * scrolls the ancestors of wherever the DOM selection is — the sidebar's button on a first
 * "Show" — and stops 5 px from the edge, where the toolbar then covers the next lines.
 * Blocks off screen are only estimated until drawn, so the position is measured again for a
 * few frames and corrected.
 */
export function bringPassageIntoView(view: EditorView, reading: HTMLElement, from: number, to: number, corrections = MAX_CORRECTIONS): void {
  const delta = scrollNeeded(view, reading, from, to);
  if (Math.abs(delta) < 2) return;
  reading.scrollBy({ top: delta, behavior: 'instant' });
  if (corrections > 0) requestAnimationFrame(() => !view.isDestroyed && bringPassageIntoView(view, reading, from, to, corrections - 1));
}
