import type { ChapterLayout, LayoutBlock } from './chapter-layout.ts';

/**
 * Original page numbers of the printed chapter, as users cite them. A `page_break` atom marks
 * where a page began; the chapter's first page is unmarked (the importer's `firstPage`), so it
 * is the first break's page minus one. A footnote was printed on the page of its marker and
 * may run on to the next (a break inside the footnote). A chapter without page breaks has no
 * known page numbers.
 */
export interface PageLocator {
  /** The page the chapter starts on, or null when the chapter records no page breaks. */
  firstPage: number | null;
  /** The page that projection offset `offset` lies on, or null when it is not known. */
  pageAt(offset: number): number | null;
}

interface Break {
  /** Projection offset where the page begins. */
  at: number;
  page: number;
}

function breaksOf(block: LayoutBlock): Break[] {
  return block.inlines.flatMap((inline) => (inline.kind === 'page-break' && Number.isFinite(inline.page) ? [{ at: block.start + inline.at, page: inline.page }] : []));
}

/** The page of the last break at or before `offset`, or `fallback` before the first. */
function pageAfterBreaks(breaks: readonly Break[], offset: number, fallback: number | null): number | null {
  let page = fallback;
  for (const pageBreak of breaks) {
    if (pageBreak.at > offset) break;
    page = pageBreak.page;
  }
  return page;
}

/** Builds the page locator of a chapter layout. */
export function pageLocator(layout: ChapterLayout): PageLocator {
  const body = layout.blocks.filter((block) => block.type !== 'footnote');
  const bodyBreaks = body.flatMap(breaksOf);
  const allBreaks = layout.blocks.flatMap(breaksOf);
  const firstPage = allBreaks.length > 0 ? allBreaks[0]!.page - 1 : null;
  // The body offset of each footnote's first marker: the footnote starts on that page.
  const markerAt = new Map<number, number>();
  for (const block of body) {
    for (const inline of block.inlines) {
      if (inline.kind === 'footnote-ref' && !markerAt.has(inline.n)) markerAt.set(inline.n, block.start + inline.at);
    }
  }
  const footnoteStartPage = (block: LayoutBlock): number | null => {
    const marker = block.n === null ? undefined : markerAt.get(block.n);
    return marker === undefined ? null : pageAfterBreaks(bodyBreaks, marker, firstPage);
  };
  return {
    firstPage,
    pageAt(offset) {
      const block = layout.blocks.find((b) => offset >= b.start && offset <= b.end);
      if (!block || firstPage === null) return null;
      if (block.type !== 'footnote') return pageAfterBreaks(bodyBreaks, offset, firstPage);
      return pageAfterBreaks(breaksOf(block), offset, footnoteStartPage(block));
    },
  };
}
