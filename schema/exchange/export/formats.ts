import { CSV_CONTENT_TYPE, exportCsv, exportReplyCsv } from './csv.ts';
import { exportCsvZip, ZIP_CONTENT_TYPE } from './csv-zip.ts';
import { exportDocx } from './docx/docx-export.ts';
import { exportErrataCsv, exportErrataMarkdown } from './errata.ts';
import type { ExportChoices, ExportOptionName } from './export-choices.ts';
import { exportNative } from './native.ts';
import { exportPlainText } from './plain-text.ts';
import { exportPrintHtml } from './print/print-html.ts';
import type { ExportOptions, RoomSnapshot } from './snapshot.ts';
import { exportTei, TEI_CONTENT_TYPE } from './tei/tei.ts';
import { exportW3C, W3C_CONTENT_TYPE } from './w3c.ts';

/** What a format's builder is given: where IRIs point, when, whether text for spreadsheets starts with a BOM, and the user's choices. */
export interface FormatBuildOptions extends ExportOptions {
  /** Start spreadsheet text with a UTF-8 byte order mark (downloads: Excel needs it; pipes: not). */
  byteOrderMark: boolean;
  /** The choices of the options the format takes (the defaults for the others). */
  choices: ExportChoices;
}

/** A built export: text, or bytes for binary formats; the Word writer packs asynchronously. */
export type ExportBody = string | Uint8Array;

/** Where the export menu lists a format: the annotation data, or documents for people. */
export type ExportGroup = 'data' | 'document';

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
  group: ExportGroup;
  /** The Content-Type of the download. */
  mediaType: string;
  /** The download's file name after `<room>-`, e.g. `annotations.csv`. */
  fileName: string;
  /** The options it takes (export-choices.ts); any other is refused. */
  options: readonly ExportOptionName[];
  /** Builds the file from a room snapshot. */
  build(snapshot: RoomSnapshot, options: FormatBuildOptions): ExportBody | Promise<ExportBody>;
}

const selectionOf = ({ kinds, includeResolved }: ExportChoices) => ({ kinds, includeResolved });

/** Every export format, in the order the API lists them (the menu shows documents, then data). */
export const EXPORT_FORMATS: readonly ExportFormat[] = [
  {
    name: 'native',
    label: 'Apparatus JSON',
    hint: 'Lossless; can be imported again',
    group: 'data',
    mediaType: 'application/json; charset=utf-8',
    fileName: 'annotations.json',
    options: [],
    build: (snapshot, options) => JSON.stringify(exportNative(snapshot, options)),
  },
  {
    name: 'w3c',
    label: 'W3C Web Annotation',
    hint: 'JSON-LD for other annotation tools',
    group: 'data',
    mediaType: W3C_CONTENT_TYPE,
    fileName: 'annotations.jsonld',
    options: [],
    build: (snapshot, options) => JSON.stringify(exportW3C(snapshot, options)),
  },
  {
    name: 'tei',
    label: 'TEI P5 XML',
    hint: 'The chapter with its apparatus, for digital editions',
    group: 'data',
    mediaType: TEI_CONTENT_TYPE,
    fileName: 'tei.xml',
    options: [],
    build: (snapshot, options) => exportTei(snapshot, options),
  },
  {
    name: 'csv',
    label: 'Spreadsheet (CSV)',
    hint: 'One row per annotation',
    group: 'data',
    mediaType: CSV_CONTENT_TYPE,
    fileName: 'annotations.csv',
    options: [],
    build: (snapshot, options) => exportCsv(snapshot, options),
  },
  {
    name: 'csv-replies',
    label: 'Replies (CSV)',
    hint: 'One row per reply, with its annotation’s id',
    group: 'data',
    mediaType: CSV_CONTENT_TYPE,
    fileName: 'replies.csv',
    options: [],
    build: (snapshot, options) => exportReplyCsv(snapshot, options),
  },
  {
    name: 'csv-zip',
    label: 'Spreadsheets (zip)',
    hint: 'Annotations and replies as two CSV files',
    group: 'data',
    mediaType: ZIP_CONTENT_TYPE,
    fileName: 'annotations-csv.zip',
    options: [],
    build: (snapshot, options) => exportCsvZip(snapshot, options),
  },
  {
    name: 'docx',
    label: 'Word document',
    hint: 'Corrections as tracked changes, the rest as comments',
    group: 'document',
    mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    fileName: 'review.docx',
    options: ['kinds', 'include-resolved'],
    build: (snapshot, options) => exportDocx(snapshot, { ...options, selection: selectionOf(options.choices) }),
  },
  {
    name: 'text',
    label: 'Corrected text',
    hint: 'The chapter as it reads now, footnotes at the end',
    group: 'document',
    mediaType: 'text/plain; charset=utf-8',
    fileName: 'text.txt',
    options: ['pages'],
    build: (snapshot, options) => exportPlainText(snapshot, { pages: options.choices.pages }),
  },
  {
    name: 'errata',
    label: 'Errata (Markdown)',
    hint: 'Every textual problem with its correction and decision',
    group: 'document',
    mediaType: 'text/markdown; charset=utf-8',
    fileName: 'errata.md',
    options: [],
    build: (snapshot, options) => exportErrataMarkdown(snapshot, options),
  },
  {
    name: 'errata-csv',
    label: 'Errata (CSV)',
    hint: 'The errata as a spreadsheet',
    group: 'document',
    mediaType: CSV_CONTENT_TYPE,
    fileName: 'errata.csv',
    options: [],
    build: (snapshot, options) => exportErrataCsv(snapshot, options),
  },
  {
    name: 'print',
    label: 'Printable page (HTML)',
    hint: 'The chapter with its numbered apparatus, to print or save as PDF',
    group: 'document',
    mediaType: 'text/html; charset=utf-8',
    fileName: 'print.html',
    options: ['kinds', 'include-resolved'],
    build: (snapshot, options) => exportPrintHtml(snapshot, { ...options, selection: selectionOf(options.choices) }),
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
