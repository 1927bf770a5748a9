import type { EditorView } from 'prosemirror-view';

/**
 * Where in the chapter highlights are drawn in a large room: the document positions around the
 * part the reader sees. Drawing every highlight of a room with 20,000 annotations means ~130,000
 * nested spans; drawing what is near the viewport keeps opening and scrolling cheap
 * (bench: browser-open-5000, browser-open-20000).
 */
export interface DrawWindow {
  from: number;
  to: number;
}

/** The nearest ancestor that scrolls vertically, or null when the page itself scrolls. */
export function scrollParent(element: HTMLElement): HTMLElement | null {
  for (let node = element.parentElement; node; node = node.parentElement) {
    const overflow = getComputedStyle(node).overflowY;
    if ((overflow === 'auto' || overflow === 'scroll') && node.scrollHeight > node.clientHeight) return node;
  }
  return null;
}

/** The vertical extent of what the reader sees (client coordinates). */
function viewport(view: EditorView): { top: number; bottom: number } {
  const scroller = scrollParent(view.dom);
  if (!scroller) return { top: 0, bottom: window.innerHeight };
  const rect = scroller.getBoundingClientRect();
  return { top: Math.max(rect.top, 0), bottom: Math.min(rect.bottom, window.innerHeight) };
}

/** The client rectangle of a document position, or null when it cannot be measured. */
function coordsAt(view: EditorView, pos: number): { top: number; bottom: number } | null {
  try {
    return view.coordsAtPos(pos);
  } catch {
    return null;
  }
}

/** The top-level blocks of a document: their positions, measured once per document. */
const blockStarts = new WeakMap<object, Array<{ from: number; to: number }>>();

function blocksOf(view: EditorView): Array<{ from: number; to: number }> {
  const doc = view.state.doc;
  let blocks = blockStarts.get(doc);
  if (!blocks) {
    blocks = [];
    doc.forEach((node, offset) => blocks!.push({ from: offset, to: offset + node.nodeSize }));
    blockStarts.set(doc, blocks);
  }
  return blocks;
}

function blockRect(view: EditorView, block: { from: number }): { top: number; bottom: number } | null {
  const dom = view.nodeDOM(block.from);
  return dom instanceof HTMLElement ? dom.getBoundingClientRect() : null;
}

/**
 * The first position (side 'start') whose line ends below `y`, or the last position (side
 * 'end') whose line starts above `y`: a binary search over the top-level blocks by their
 * rectangles (blocks are laid out top to bottom), then over the positions inside the block.
 */
function positionAtY(view: EditorView, y: number, side: 'start' | 'end'): number {
  const size = view.state.doc.content.size;
  const blocks = blocksOf(view);
  if (blocks.length === 0) return side === 'start' ? 0 : size;
  // The first block whose bottom reaches below y (start), or the last whose top is above y (end).
  let low = 0;
  let high = blocks.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const rect = blockRect(view, blocks[mid]!);
    const before = rect ? (side === 'start' ? rect.bottom < y : rect.top <= y) : side === 'end';
    if (before) low = mid + 1;
    else high = mid;
  }
  if (side === 'start') {
    const block = blocks[low];
    if (!block) return size;
    const rect = blockRect(view, block);
    if (!rect || rect.top >= y) return block.from;
    let from = block.from + 1;
    let to = block.to - 1;
    while (from < to) {
      const mid = (from + to) >>> 1;
      const coords = coordsAt(view, mid);
      if (coords && coords.bottom < y) from = mid + 1;
      else to = mid;
    }
    return from;
  }
  const block = blocks[low - 1];
  if (!block) return 0;
  const rect = blockRect(view, block);
  if (!rect || rect.bottom <= y) return block.to;
  let from = block.from + 1;
  let to = block.to - 1;
  while (from < to) {
    const mid = (from + to + 1) >>> 1;
    const coords = coordsAt(view, mid);
    if (coords && coords.top > y) to = mid - 1;
    else from = mid;
  }
  return from;
}

/** The positions drawn when `margin` viewport heights around what the reader sees are drawn. */
export function windowAround(view: EditorView, margin: number): DrawWindow | null {
  const { top, bottom } = viewport(view);
  const height = bottom - top;
  if (height <= 0) return null;
  const from = positionAtY(view, top - margin * height, 'start');
  const to = positionAtY(view, bottom + margin * height, 'end');
  return { from: Math.min(from, to), to: Math.max(from, to) };
}

/** Whether `outer` covers `inner`. */
export function covers(outer: DrawWindow | null, inner: DrawWindow): boolean {
  return outer !== null && outer.from <= inner.from && outer.to >= inner.to;
}
