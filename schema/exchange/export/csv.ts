import { formatCsv } from './csv-format.ts';
import type { RoomSnapshot, SnapshotAnnotation } from './snapshot.ts';

/** The CSV export's content type. */
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

/** The header row of the CSV export, in column order. */
export const CSV_COLUMNS = [
  'id',
  'quote',
  'kind',
  'claim_status',
  'problem_type',
  'status',
  'footnotes',
  'author',
  'created',
  'modified',
  'note',
  'correction',
  'replies',
  'anchor_state',
  'block_id',
] as const;

/** Options of the CSV export. */
export interface CsvExportOptions {
  /**
   * Start with a UTF-8 byte order mark, which Excel needs to read the file as UTF-8
   * (without it, "—" and "¹³⁰" turn into mojibake). Off by default for piping.
   */
  byteOrderMark?: boolean;
}

/**
 * Exports a room as CSV: a header row, then one row per annotation in export order, with
 * RFC 4180 quoting and spreadsheet formulas neutralised. The quote is the annotated text as it
 * stands now (the quote it was made on when the annotation is orphaned); footnotes are
 * separated by spaces; `replies` counts the thread.
 */
export function exportCsv(snapshot: RoomSnapshot, options: CsvExportOptions = {}): string {
  const rows: string[][] = [[...CSV_COLUMNS]];
  for (const entry of snapshot.annotations) rows.push(csvRow(entry, snapshot.projection.text));
  return (options.byteOrderMark ? '\uFEFF' : '') + formatCsv(rows);
}

function csvRow(entry: SnapshotAnnotation, text: string): string[] {
  const { annotation, resolved } = entry;
  const quote = resolved.start !== null && resolved.end !== null ? text.slice(resolved.start, resolved.end) : annotation.anchor.quote.exact;
  return [
    annotation.id,
    quote,
    annotation.kind,
    annotation.claimStatus ?? '',
    annotation.problemType ?? '',
    annotation.status,
    annotation.footnotes.join(' '),
    annotation.authorName,
    annotation.created,
    annotation.modified,
    annotation.note,
    annotation.correction ?? '',
    String(entry.replies.length),
    resolved.state,
    annotation.anchor.blockId ?? '',
  ];
}
