import type { Node as PMNode } from 'prosemirror-model';
import { blockText } from '../../schema/index.ts';
import { compareDocumentOrder } from './annotation-filter.ts';
import type { AnnotationView } from './annotation-view.ts';

/** One footnote of the chapter with the claims that cite it. */
export interface FootnoteEntry {
  n: number;
  text: string;
  claims: AnnotationView[];
}

/** What the footnote panel shows. */
export interface FootnoteReport {
  footnotes: FootnoteEntry[];
  /** Footnotes that no claim links to. */
  uncited: FootnoteEntry[];
  /** Claims tagged sourced that link no footnote. */
  unsupported: AnnotationView[];
}

/** Lists the chapter's footnotes (number and text) in document order. */
export function chapterFootnotes(doc: PMNode): Array<{ n: number; text: string }> {
  const notes: Array<{ n: number; text: string }> = [];
  doc.forEach((block) => {
    if (block.type.name === 'footnote') notes.push({ n: Number(block.attrs.n), text: blockText(block) });
  });
  return notes;
}

/**
 * Joins the chapter's footnotes with the claims that link them: for each footnote its
 * claims, the footnotes no claim cites, and the sourced claims that cite nothing.
 * Orphaned claims count: their link to a footnote is still a statement about the source.
 */
export function buildFootnoteReport(footnotes: ReadonlyArray<{ n: number; text: string }>, annotations: Iterable<AnnotationView>): FootnoteReport {
  const entries = new Map<number, FootnoteEntry>(footnotes.map((f) => [f.n, { n: f.n, text: f.text, claims: [] }]));
  const unsupported: AnnotationView[] = [];
  for (const a of annotations) {
    if (a.kind !== 'claim') continue;
    for (const n of a.footnotes) entries.get(n)?.claims.push(a);
    if (a.claimStatus === 'sourced' && a.footnotes.length === 0) unsupported.push(a);
  }
  const list = [...entries.values()];
  for (const entry of list) entry.claims.sort(compareDocumentOrder);
  return { footnotes: list, uncited: list.filter((e) => e.claims.length === 0), unsupported: unsupported.sort(compareDocumentOrder) };
}

/**
 * The footnotes whose markers sit inside the range [from, to] or right next to it (the
 * marker just after the selection's end, or just before its start, with only spaces and
 * punctuation between). These are the footnotes a new claim most likely rests on.
 */
export function footnotesNearRange(doc: PMNode, from: number, to: number): number[] {
  const found: number[] = [];
  const add = (n: number): void => void (found.includes(n) ? null : found.push(n));
  doc.nodesBetween(from, to, (node) => {
    if (node.type.name === 'footnote_ref') add(Number(node.attrs.n));
    return true;
  });
  scanOutward(doc, to, 1, add);
  scanOutward(doc, from, -1, add);
  return found;
}

const GAP = /^[\s.,;:!?)\]'"’”»–—]*$/;

/** Looks from `pos` in `direction` within the block for markers separated only by a short gap. */
function scanOutward(doc: PMNode, pos: number, direction: 1 | -1, add: (n: number) => void): void {
  const $pos = doc.resolve(pos);
  const parent = $pos.parent;
  // Inside a text node the first piece is part of that node; at a boundary it is the neighbour.
  const insideText = $pos.textOffset > 0;
  let index = direction === 1 || insideText ? $pos.index() : $pos.index() - 1;
  let first = true;
  let gap = '';
  while (index >= 0 && index < parent.childCount) {
    const child = parent.child(index);
    // A run of markers (¹³¹¹³²) counts as one: take them all, then keep looking past them.
    if (child.type.name === 'footnote_ref') {
      add(Number(child.attrs.n));
      gap = '';
    }
    if (child.isText) {
      const text = child.text ?? '';
      const cut = first && insideText ? $pos.textOffset : direction === 1 ? 0 : text.length;
      const piece = direction === 1 ? text.slice(cut) : text.slice(0, cut);
      gap = direction === 1 ? gap + piece : piece + gap;
      if (gap.length > 3 || !GAP.test(gap)) return;
    }
    first = false;
    index += direction;
  }
}
