import type { SeededSpan } from './room-seeding.ts';

/**
 * Which seeded annotations the reader sees, found from the chapter's DOM text alone (runs in
 * the page): each quote's range is rebuilt from its blocks (`data-id`) and offsets in their text
 * (footnote markers, page-break labels and footnote numbers, which the projection leaves out,
 * are skipped), and counted when one of its rectangles meets the reading pane's visible area.
 * The client's decorations play no part, so this checks what the client drew.
 */
export function visibleSeededIds(spans: SeededSpan[]): string[] {
  const pane = document.querySelector('#ap-reading') as HTMLElement | null;
  const chapter = document.querySelector('.ap-chapter');
  if (!pane || !chapter) return [];
  const view = pane.getBoundingClientRect();
  const top = Math.max(view.top, 0);
  const bottom = Math.min(view.bottom, window.innerHeight);
  const skipped = '.ap-fn-ref, .ap-page-break, .ap-footnote__number';
  const textNodes = new Map<string, Text[]>();
  const textsOf = (blockId: string): Text[] => {
    let texts = textNodes.get(blockId);
    if (texts) return texts;
    texts = [];
    const block = chapter.querySelector(`[data-id="${CSS.escape(blockId)}"]`);
    if (block) {
      const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT, {
        acceptNode: (node) => (node.parentElement?.closest(skipped) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
      });
      for (let node = walker.nextNode(); node; node = walker.nextNode()) texts.push(node as Text);
    }
    textNodes.set(blockId, texts);
    return texts;
  };
  const pointAt = (blockId: string, offset: number): [Text, number] | null => {
    let rest = offset;
    const texts = textsOf(blockId);
    for (const text of texts) {
      if (rest <= text.length) return [text, rest];
      rest -= text.length;
    }
    return null;
  };
  const visible: string[] = [];
  // One Range for all: every live Range makes each later DOM removal in the document slower
  // (the browser updates them all), and 20,000 of them would slow the client's scrolling.
  const range = document.createRange();
  for (const span of spans) {
    const start = pointAt(span.startBlock, span.startOffset);
    const end = pointAt(span.endBlock, span.endOffset);
    if (!start || !end) continue;
    range.setStart(start[0], start[1]);
    range.setEnd(end[0], end[1]);
    for (const rect of range.getClientRects()) {
      if (rect.width > 0 && rect.bottom > top && rect.top < bottom) {
        visible.push(span.id);
        break;
      }
    }
  }
  range.collapse(true);
  return visible;
}
