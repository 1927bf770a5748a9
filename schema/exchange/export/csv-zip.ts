import { strToU8, zipSync } from 'fflate';
import { exportCsv, exportReplyCsv } from './csv.ts';
import type { ExportOptions, RoomSnapshot } from './snapshot.ts';

/** The content type of the zipped CSV tables. */
export const ZIP_CONTENT_TYPE = 'application/zip';

/** The file names inside the zip, as a spreadsheet user sees them after unpacking. */
export const CSV_ZIP_ENTRIES = { annotations: 'annotations.csv', replies: 'replies.csv' } as const;

/**
 * Both CSV tables of a room in one `.zip`: `annotations.csv` (one row per annotation) and
 * `replies.csv` (one row per reply, joined to the first by `annotation_id`), each with a byte
 * order mark so that Excel reads them as UTF-8. Entries are dated with the export time, so
 * the same room state and time give the same bytes.
 */
export function exportCsvZip(snapshot: RoomSnapshot, options: ExportOptions): Uint8Array {
  const mtime = new Date(options.exportedAt);
  return zipSync(
    {
      [CSV_ZIP_ENTRIES.annotations]: [strToU8(exportCsv(snapshot, { byteOrderMark: true })), { mtime }],
      [CSV_ZIP_ENTRIES.replies]: [strToU8(exportReplyCsv(snapshot, { byteOrderMark: true })), { mtime }],
    },
    { level: 6 },
  );
}
