import { CSV_CONTENT_TYPE, exportCsv, exportReplyCsv } from './csv.ts';
import { exportCsvZip, ZIP_CONTENT_TYPE } from './csv-zip.ts';
import { exportNative } from './native.ts';
import type { ExportOptions, RoomSnapshot } from './snapshot.ts';
import { exportTei, TEI_CONTENT_TYPE } from './tei/tei.ts';
import { exportW3C, W3C_CONTENT_TYPE } from './w3c.ts';

/** What a format's builder is given: where IRIs point, when, and whether text for spreadsheets starts with a BOM. */
export interface FormatBuildOptions extends ExportOptions {
  /** Start spreadsheet text with a UTF-8 byte order mark (downloads: Excel needs it; pipes: not). */
  byteOrderMark: boolean;
}

/**
 * One export format. The HTTP API (`format=<name>`), the export menu (which lists what the API
 * offers) and the CLI (`--format <name>`) all read `EXPORT_FORMATS`, so a format added here is
 * offered everywhere.
 */
export interface ExportFormat {
  /** The `format=` value of the API and `--format` value of the CLI. */
  name: string;
  /** What the export menu calls it, and a one-line hint under the label. */
  label: string;
  hint: string;
  /** The Content-Type of the download. */
  mediaType: string;
  /** The download's file name after `<room>-`, e.g. `annotations.csv`. */
  fileName: string;
  /** Builds the file from a room snapshot: text, or bytes for binary formats. */
  build(snapshot: RoomSnapshot, options: FormatBuildOptions): string | Uint8Array;
}

/** Every export format, in the order the export menu shows them. */
export const EXPORT_FORMATS: readonly ExportFormat[] = [
  {
    name: 'native',
    label: 'Apparatus JSON',
    hint: 'Lossless; can be imported again',
    mediaType: 'application/json; charset=utf-8',
    fileName: 'annotations.json',
    build: (snapshot, options) => JSON.stringify(exportNative(snapshot, options)),
  },
  {
    name: 'w3c',
    label: 'W3C Web Annotation',
    hint: 'JSON-LD for other annotation tools',
    mediaType: W3C_CONTENT_TYPE,
    fileName: 'annotations.jsonld',
    build: (snapshot, options) => JSON.stringify(exportW3C(snapshot, options)),
  },
  {
    name: 'tei',
    label: 'TEI P5 XML',
    hint: 'The chapter with its apparatus, for digital editions',
    mediaType: TEI_CONTENT_TYPE,
    fileName: 'tei.xml',
    build: (snapshot, options) => exportTei(snapshot, options),
  },
  {
    name: 'csv',
    label: 'Spreadsheet (CSV)',
    hint: 'One row per annotation',
    mediaType: CSV_CONTENT_TYPE,
    fileName: 'annotations.csv',
    build: (snapshot, options) => exportCsv(snapshot, options),
  },
  {
    name: 'csv-replies',
    label: 'Replies (CSV)',
    hint: 'One row per reply, with its annotation’s id',
    mediaType: CSV_CONTENT_TYPE,
    fileName: 'replies.csv',
    build: (snapshot, options) => exportReplyCsv(snapshot, options),
  },
  {
    name: 'csv-zip',
    label: 'Spreadsheets (zip)',
    hint: 'Annotations and replies as two CSV files',
    mediaType: ZIP_CONTENT_TYPE,
    fileName: 'annotations-csv.zip',
    build: (snapshot, options) => exportCsvZip(snapshot, options),
  },
];

/** Returns the export format called `name`, or undefined. */
export function exportFormat(name: string): ExportFormat | undefined {
  return EXPORT_FORMATS.find((format) => format.name === name);
}

/** The format names, for messages: `native, w3c, tei, …`. */
export function exportFormatNames(): string {
  return EXPORT_FORMATS.map((format) => format.name).join(', ');
}
