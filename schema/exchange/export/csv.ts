import { formatCsv } from './csv-format.ts';
import type { RoomSnapshot, SnapshotAnnotation } from './snapshot.ts';
import { readChapterLayout } from '../../chapter/chapter-layout.ts';
import { pageLocator } from '../../chapter/page-numbers.ts';
import type { PageLocator } from '../../chapter/page-numbers.ts';

/** The CSV export's content type. */
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

/** The header row of the annotations table, in column order. */
export const CSV_COLUMNS = [
  'id',
  'quote',
  'page',
  'kind',
  'claim_status',
  'problem_type',
  'status',
  'status_by_id',
  'status_by',
  'status_at',
  'footnotes',
  'author_id',
  'author',
  'suggested_by_assistant',
  'created',
  'modified',
  'note',
  'correction',
  'applied_original',
  'replies',
  'anchor_state',
  'block_id',
] as const;

/** The header row of the replies table, in column order: one row per reply, oldest first per thread. */
export const REPLY_CSV_COLUMNS = ['annotation_id', 'reply_id', 'author_id', 'author', 'created', 'modified', 'body'] as const;

/** Options of the CSV exports. */
export interface CsvExportOptions {
  /**
   * Start with a UTF-8 byte order mark, which Excel needs to read the file as UTF-8
   * (without it, "—" and "¹³⁰" turn into mojibake). Off by default for piping.
   */
  byteOrderMark?: boolean;
}

/**
 * Linked footnotes as spreadsheet text: `fn 130; fn 131`. A bare `130` is read as a number
 * (pandas makes it `130.0` once a row has none) and `130 131` as text, so one column would
 * hold both; the `fn` prefix keeps every cell text and still reads as a citation.
 */
export function footnoteCell(footnotes: readonly number[]): string {
  return footnotes.map((n) => `fn ${n}`).join('; ');
}

/**
 * Exports a room's annotations as CSV: a header row, then one row per annotation in export
 * order, with RFC 4180 quoting and spreadsheet formulas neutralised. The quote is the
 * annotated text as it stands now (the quote it was made on when the annotation is orphaned);
 * `page` is the original page the passage starts on (empty when the chapter records no page
 * breaks or the passage is orphaned); `replies` counts the thread, whose rows are in
 * `exportReplyCsv`.
 */
export function exportCsv(snapshot: RoomSnapshot, options: CsvExportOptions = {}): string {
  const pages = pageLocator(readChapterLayout(snapshot.chapter, snapshot.projection));
  const rows: string[][] = [[...CSV_COLUMNS]];
  for (const entry of snapshot.annotations) rows.push(csvRow(entry, snapshot.projection.text, pages));
  return (options.byteOrderMark ? '\uFEFF' : '') + formatCsv(rows);
}

/** Exports every reply of a room as CSV (columns `REPLY_CSV_COLUMNS`), threads in export order. */
export function exportReplyCsv(snapshot: RoomSnapshot, options: CsvExportOptions = {}): string {
  const rows: string[][] = [[...REPLY_CSV_COLUMNS]];
  for (const { replies } of snapshot.annotations) {
    for (const reply of replies) rows.push([reply.annotationId, reply.id, reply.authorId, reply.authorName, reply.created, reply.modified, reply.body]);
  }
  return (options.byteOrderMark ? '\uFEFF' : '') + formatCsv(rows);
}

function csvRow(entry: SnapshotAnnotation, text: string, pages: PageLocator): string[] {
  const { annotation, resolved } = entry;
  const placed = resolved.start !== null && resolved.end !== null;
  const quote = placed ? text.slice(resolved.start!, resolved.end!) : annotation.anchor.quote.exact;
  const page = placed ? pages.pageAt(resolved.start!) : null;
  return [
    annotation.id,
    quote,
    page === null ? '' : String(page),
    annotation.kind,
    annotation.claimStatus ?? '',
    annotation.problemType ?? '',
    annotation.status,
    annotation.statusBy ?? '',
    annotation.statusByName ?? '',
    annotation.statusAt ?? '',
    footnoteCell(annotation.footnotes),
    annotation.authorId,
    annotation.authorName,
    annotation.provenance?.source === 'assistant' ? 'true' : 'false',
    annotation.created,
    annotation.modified,
    annotation.note,
    annotation.correction ?? '',
    annotation.applied?.original ?? '',
    String(entry.replies.length),
    resolved.state,
    annotation.anchor.blockId ?? '',
  ];
}
