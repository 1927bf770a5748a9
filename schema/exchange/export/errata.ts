import { labelOf } from '../../annotations/vocabulary.ts';
import type { AnnotationStatus } from '../../annotations/vocabulary.ts';
import type { PageLocator } from '../../chapter/page-numbers.ts';
import { readExportChapter } from './chapter-pieces.ts';
import type { ChapterBlock } from './chapter-pieces.ts';
import { formatCsv } from './csv-format.ts';
import type { ExportOptions, RoomSnapshot, SnapshotAnnotation } from './snapshot.ts';

/**
 * The errata: every textual problem of the chapter, where it is (original page, paragraph),
 * what the text said, what it should say, and who proposed and decided it when, in the order
 * of the text (problems whose passage is gone come last). As Markdown for people and CSV for
 * spreadsheets.
 */

/** A problem's review status as the errata name it: `resolved` is an accepted problem. */
export type ErratumStatus = 'open' | 'accepted' | 'applied' | 'rejected';

/** What the correction asks for. */
export type ErratumAction = 'replace' | 'delete' | 'none';

/** One line of the errata. */
export interface Erratum {
  id: string;
  /** Original page of the passage; null when the passage is no longer in the text. */
  page: number | null;
  /** `¶ 12` (body paragraphs counted from 1), `title`, `heading 3`, `note 153`, or `—` when not in the text. */
  paragraph: string;
  /** The text as it was before the correction (for an applied one, the text it replaced). */
  original: string;
  correction: string | null;
  action: ErratumAction;
  type: string;
  status: ErratumStatus;
  proposedBy: string;
  proposedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  note: string;
}

const STATUS_NAMES: Record<AnnotationStatus, ErratumStatus> = { open: 'open', resolved: 'accepted', applied: 'applied', rejected: 'rejected' };

/** Names blocks as a reader cites them: body paragraphs and section headings counted from 1. */
function blockLabels(blocks: readonly ChapterBlock[]): Map<ChapterBlock, string> {
  const labels = new Map<ChapterBlock, string>();
  let paragraphs = 0;
  let headings = 0;
  for (const block of blocks) {
    if (block.type === 'paragraph') labels.set(block, `¶ ${++paragraphs}`);
    else if (block.type === 'footnote') labels.set(block, `note ${block.n}`);
    else labels.set(block, block.level === 1 ? 'title' : `heading ${++headings}`);
  }
  return labels;
}

/** The errata of a room: its problems in reading order, each as one Erratum. */
export function errataOf(snapshot: RoomSnapshot): Erratum[] {
  const { blocks, pages } = readExportChapter(snapshot);
  const labels = blockLabels(blocks);
  const text = snapshot.projection.text;
  return snapshot.annotations.filter((entry) => entry.annotation.kind === 'problem').map((entry) => erratum(entry, text, blocks, labels, pages));
}

function erratum(entry: SnapshotAnnotation, text: string, blocks: readonly ChapterBlock[], labels: Map<ChapterBlock, string>, pages: PageLocator): Erratum {
  const { annotation: a, resolved } = entry;
  const inText = resolved.start !== null && resolved.end !== null;
  const block = inText ? blocks.find((b) => resolved.start! >= b.start && resolved.start! <= b.end) : undefined;
  const current = inText ? text.slice(resolved.start!, resolved.end!) : a.anchor.quote.exact;
  const decided = a.status !== 'open';
  return {
    id: a.id,
    page: inText ? pages.pageAt(resolved.start!) : null,
    paragraph: block ? labels.get(block)! : '—',
    original: a.applied ? a.applied.original : current,
    correction: a.correction,
    action: a.correction === null ? 'none' : a.correction === '' ? 'delete' : 'replace',
    type: a.problemType ? labelOf('problem-type', a.problemType) : '',
    status: STATUS_NAMES[a.status],
    proposedBy: a.authorName,
    proposedAt: a.created,
    decidedBy: decided ? (a.statusByName ?? null) : null,
    decidedAt: decided ? (a.statusAt ?? a.applied?.at ?? null) : null,
    note: a.note,
  };
}

/** The errata CSV's columns, in order. */
export const ERRATA_CSV_COLUMNS = [
  'page', 'paragraph', 'original', 'correction', 'action', 'type', 'status', 'proposed_by', 'proposed_at', 'decided_by', 'decided_at', 'note', 'id',
] as const;

/**
 * The errata as CSV (RFC 4180, formulas neutralised, as the annotation CSV). An empty
 * `correction` means a deletion when `action` is `delete`, and no proposal when it is `none`.
 */
export function exportErrataCsv(snapshot: RoomSnapshot, options: { byteOrderMark?: boolean } = {}): string {
  const rows = errataOf(snapshot).map((e) => [
    e.page === null ? '' : String(e.page), e.paragraph, e.original, e.correction ?? '', e.action, e.type, e.status,
    e.proposedBy, e.proposedAt, e.decidedBy ?? '', e.decidedAt ?? '', e.note, e.id,
  ]);
  return (options.byteOrderMark ? '\uFEFF' : '') + formatCsv([[...ERRATA_CSV_COLUMNS], ...rows]);
}

/**
 * Makes text safe in a Markdown table cell: HTML and Markdown syntax shown literally (a note
 * holding `<script>` or `[x](javascript:…)` stays text in any renderer), pipes escaped, line
 * breaks as spaces.
 */
export function markdownCell(text: string): string {
  return text
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .trim();
}

const day = (iso: string | null): string => (iso ? iso.slice(0, 10) : '');

/** The errata as a Markdown document: a heading, a summary line and one table row per problem. */
export function exportErrataMarkdown(snapshot: RoomSnapshot, options: ExportOptions): string {
  const errata = errataOf(snapshot);
  const counts = (['open', 'accepted', 'applied', 'rejected'] as const).map((s) => `${errata.filter((e) => e.status === s).length} ${s}`).join(', ');
  const lines = [
    `# Errata: ${markdownCell(snapshot.room.title)}`,
    '',
    `${errata.length} textual ${errata.length === 1 ? 'problem' : 'problems'} (${counts}), in the order of the text. Room \`${snapshot.room.id}\`, exported ${day(options.exportedAt)}.`,
    '',
    '| Page | Paragraph | Original | Correction | Type | Status | Proposed | Decided |',
    '|---:|---|---|---|---|---|---|---|',
  ];
  for (const e of errata) {
    const correction = e.action === 'none' ? '—' : e.action === 'delete' ? '*delete*' : `“${markdownCell(e.correction!)}”`;
    const decided = e.decidedBy || e.decidedAt ? `${markdownCell(e.decidedBy ?? '')}, ${day(e.decidedAt)}` : '—';
    lines.push(
      `| ${e.page ?? '—'} | ${e.paragraph} | “${markdownCell(e.original)}” | ${correction} | ${markdownCell(e.type)} | ${e.status} | ${markdownCell(e.proposedBy)}, ${day(e.proposedAt)} | ${decided} |`,
    );
  }
  return lines.join('\n') + '\n';
}
