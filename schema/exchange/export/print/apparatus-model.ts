import type { AnnotationKind, ClaimStatus } from '../../../annotations/vocabulary.ts';
import { readExportChapter } from '../chapter-pieces.ts';
import type { ChapterBlock } from '../chapter-pieces.ts';
import { DEFAULT_SELECTION, selectAnnotations } from '../export-selection.ts';
import type { ExportSelection } from '../export-selection.ts';
import type { RoomSnapshot, SnapshotAnnotation } from '../snapshot.ts';

/**
 * The printed apparatus as data: the chapter cut into its sections, each annotation lettered
 * in reading order (a, b, … z, aa, ab …) and listed after the section its passage starts in,
 * the footnotes after the last section (with the apparatus of passages in the notes), and the
 * annotations whose passage is gone in an appendix. The HTML writer only renders this.
 */

/** The mark category of an annotation: its claim status, or its kind. */
export type MarkCategory = ClaimStatus | Exclude<AnnotationKind, 'claim'>;

/** One lettered annotation of the apparatus. */
export interface ApparatusEntry {
  label: string;
  category: MarkCategory;
  entry: SnapshotAnnotation;
  /** The passage as it reads now, or the quote it was made on when it is no longer in the text. */
  passage: string;
  /** Where the passage is now; null when it is gone. */
  range: { start: number; end: number } | null;
  /** The original page the passage starts on; null when it is gone. */
  page: number | null;
}

/** A stretch of the chapter printed with its own apparatus after it. */
export interface PrintSection {
  /** Body sections start at a section heading (the first at the title); `notes` holds the footnotes. */
  kind: 'body' | 'notes';
  blocks: ChapterBlock[];
  entries: ApparatusEntry[];
}

/** Everything the printed page shows. */
export interface PrintModel {
  title: string;
  sections: PrintSection[];
  /** Annotations whose passage was deleted, with their original quotes. */
  displaced: ApparatusEntry[];
  /** How many annotations are printed. */
  count: number;
}

/** Bijective base-26 letters: 0 → a, 25 → z, 26 → aa. */
export function apparatusLabel(index: number): string {
  let n = index + 1;
  let label = '';
  while (n > 0) {
    const digit = (n - 1) % 26;
    label = String.fromCharCode(97 + digit) + label;
    n = Math.floor((n - 1) / 26);
  }
  return label;
}

/** The mark category of an annotation. */
export function markCategory(annotation: { kind: AnnotationKind; claimStatus: ClaimStatus | null }): MarkCategory {
  return annotation.kind === 'claim' ? (annotation.claimStatus ?? 'interpretive') : annotation.kind;
}

/** Cuts the blocks into body sections (at each level-2 heading) and the notes. */
function sectionsOf(blocks: readonly ChapterBlock[]): PrintSection[] {
  const sections: PrintSection[] = [];
  for (const block of blocks) {
    if (block.type === 'footnote') {
      if (sections.at(-1)?.kind !== 'notes') sections.push({ kind: 'notes', blocks: [], entries: [] });
    } else if (sections.length === 0 || (block.type === 'heading' && block.level !== 1)) {
      sections.push({ kind: 'body', blocks: [], entries: [] });
    }
    sections.at(-1)!.blocks.push(block);
  }
  return sections;
}

/**
 * Builds the printed apparatus of a room for `selection` (every open annotation by default; the
 * browser passes the sidebar's filter as `ids`). Letters follow reading order, so the entries of
 * each section are in order and the displaced ones come last.
 */
export function buildPrintModel(snapshot: RoomSnapshot, selection: ExportSelection = DEFAULT_SELECTION): PrintModel {
  const { blocks, pages } = readExportChapter(snapshot);
  const sections = sectionsOf(blocks);
  const displaced: ApparatusEntry[] = [];
  const selected = selectAnnotations(snapshot.annotations, selection);
  const text = snapshot.projection.text;
  selected.forEach((entry, index) => {
    const { start, end } = entry.resolved;
    const inText = start !== null && end !== null && start < end;
    const item: ApparatusEntry = {
      label: apparatusLabel(index),
      category: markCategory(entry.annotation),
      entry,
      passage: inText ? text.slice(start, end) : entry.annotation.anchor.quote.exact,
      range: inText ? { start, end } : null,
      page: inText ? pages.pageAt(start) : null,
    };
    const section = inText ? sections.find((s) => s.blocks.some((b) => start >= b.start && start <= b.end)) : undefined;
    (section?.entries ?? displaced).push(item);
  });
  const titleBlock = blocks.find((b) => b.type === 'heading' && b.level === 1);
  const title = titleBlock ? text.slice(titleBlock.start, titleBlock.end) : snapshot.room.title;
  return { title, sections, displaced, count: selected.length };
}
