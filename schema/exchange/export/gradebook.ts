import type { PersonRow } from '../../analysis/participation/participation.ts';
import { formatCsv } from './csv-format.ts';

/**
 * The seminar view's people table as a download: a gradebook CSV that a spreadsheet opens (one
 * row per person, a header of plain words, RFC 4180 quoting, every cell neutralised against
 * formula injection, so a display name like `=HYPERLINK(…)` stays text) and the same rows as JSON.
 */

/** Media type of the gradebook CSV. */
export const GRADEBOOK_CSV_TYPE = 'text/csv; charset=utf-8';

/** The gradebook's columns: header and how a row fills it, in order. */
export const GRADEBOOK_COLUMNS: readonly { header: string; cell: (row: PersonRow) => string }[] = [
  { header: 'Name', cell: (row) => row.name },
  { header: 'User id', cell: (row) => row.userId },
  { header: 'Annotations', cell: (row) => String(row.annotations) },
  { header: 'Claims', cell: (row) => String(row.claims) },
  { header: 'Sourced', cell: (row) => String(row.sourced) },
  { header: 'Contested', cell: (row) => String(row.contested) },
  { header: 'Interpretive', cell: (row) => String(row.interpretive) },
  { header: 'Problems raised', cell: (row) => String(row.problems) },
  { header: 'Problems accepted', cell: (row) => String(row.problemsAccepted) },
  { header: 'Comments', cell: (row) => String(row.comments) },
  { header: 'Claims linked to footnotes', cell: (row) => String(row.claimsLinked) },
  { header: 'Replies', cell: (row) => String(row.replies) },
  { header: 'Status decisions', cell: (row) => String(row.decisions) },
  { header: 'First activity', cell: (row) => row.firstActivity ?? '' },
  { header: 'Last activity', cell: (row) => row.lastActivity ?? '' },
];

/** The gradebook as CSV text (with a byte-order mark when asked, so Excel reads it as UTF-8). */
export function gradebookCsv(rows: readonly PersonRow[], options: { byteOrderMark?: boolean } = {}): string {
  const table = [GRADEBOOK_COLUMNS.map((column) => column.header), ...rows.map((row) => GRADEBOOK_COLUMNS.map((column) => column.cell(row)))];
  return (options.byteOrderMark ? '\uFEFF' : '') + formatCsv(table);
}

/** What the gradebook JSON holds: which chapter, which range, when, and the rows. */
export interface GradebookJson {
  chapter: { id: string; title: string };
  range: { since: string | null; until: string | null };
  /** Which annotation layer was counted: the shared one, or a blind round's. */
  layer: string;
  exportedAt: string;
  people: PersonRow[];
}

/** The gradebook as a JSON document. */
export function gradebookJson(gradebook: GradebookJson): string {
  return `${JSON.stringify(gradebook, null, 2)}\n`;
}
