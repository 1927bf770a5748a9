import * as Y from 'yjs';
import { applyImport, attributeToPeople, exportFormat, importParseContextOfDoc, parseImport, previewOf, snapshotAuthorIds } from '../../schema/index.ts';
import type { AnnotationImportReport, ChapterPreview, ExportChoices, ImportFileErrorCode, ImportLimits, UploadFormat } from '../../schema/index.ts';
import { PeopleDirectory } from '../auth/people.ts';
import { snapshotRoom } from '../http/export-import-docs.ts';
import { nativeSchemaValidator } from '../http/import-native-validator.ts';
import { parseJsonObject } from '../http/json-body.ts';
import { jsonBytesNestDeeperThan, MAX_CLIENT_JSON_DEPTH, tooDeepMessage } from '../limits/json-depth.ts';
import type { FailedEntry } from '../persistence/doc-replay.ts';
import { openStoreReader } from '../persistence/storage.ts';
import type { StoreLocation, StoreReader } from '../persistence/storage.ts';
import { readVerifiedDoc } from '../persistence/verified-doc.ts';
import { prepareRoom, seedChapter } from '../rooms/create-room.ts';
import type { CreateRoomError, PreparedRoom, SeededChapter } from '../rooms/create-room.ts';
import { importUpload } from '../uploads/chapter-upload.ts';
import { docNameOf } from '../rooms/doc-names.ts';

/**
 * The heavy work of the HTTP API, as plain functions of plain data, run in worker threads
 * (heavy-work.ts) so that none of it holds the event loop (issue 14, P4): an import parsed,
 * anchored and applied to a copy of the room; an export built; a chapter imported for a new room,
 * from the admin API's JSON or from a seminar's uploaded file (text, Markdown, Word).
 * Imports and exports read the room from the store through their own read-only connection, as
 * the export CLI does (SQLite's WAL lets them read while the server writes; PostgreSQL through a
 * pool of their own); what they read is verified as the server verifies a load (P5).
 */

/** A document's problems seen while reading it for a job: the server reports and quarantines them. */
export interface ReadProblems {
  docName: string;
  damage: string[];
  failed: FailedEntry[];
}

/** An import to run. */
export interface ImportJob {
  kind: 'import';
  store: StoreLocation;
  room: string;
  /** The request body, as received. */
  body: Uint8Array;
  limits: ImportLimits;
  actor: { userId: string; name: string };
  dryRun: boolean;
  /** The import time (ISO 8601). */
  now: string;
  /** Records per written slice (each slice one update, applied by the server a turn at a time). */
  chunkSize: number;
}

/** What an import came to. */
export type ImportOutcome =
  | { kind: 'file-error'; status: number; message: string }
  | { kind: 'unreadable'; message: string; problems: ReadProblems[] }
  /**
   * `body` is the response (UTF-8 JSON, made here so that the main thread neither serialises nor
   * copies a report of 30,000 refusals) when nothing is to be written; otherwise `updates` are,
   * and `report` (whose refusals are then empty) is sent once they are stored.
   */
  | { kind: 'report'; status: number; counts: { imported: number; refused: number }; body: Uint8Array | null; report: AnnotationImportReport | null; updates: Uint8Array[]; problems: ReadProblems[] };

/** An export to build. */
export interface ExportJob {
  kind: 'export';
  store: StoreLocation;
  room: string;
  title: string;
  /** The name of a format of EXPORT_FORMATS, and the choices it takes. */
  format: string;
  choices: ExportChoices;
  baseUrl: string;
  exportedAt: string;
}

/** A built export, or why not. */
export type ExportOutcome =
  /** `body` is the export's bytes (UTF-8 for the text formats), transferred to the main thread. */
  | { kind: 'export'; body: Uint8Array; skipped: number; problems: ReadProblems[] }
  | { kind: 'unreadable'; message: string; problems: ReadProblems[] };

/** A seminar's chapter file to import (and, to create the chapter, to seed a text document with). */
export interface UploadJob {
  kind: 'upload';
  bytes: Uint8Array;
  format: UploadFormat;
  /** Whether to seed the text document too (creating), or only preview it. */
  seed: boolean;
}

/** What the importer found in a chapter file (and the seeded document), or why it refused it. */
export type UploadOutcome = { kind: 'upload'; title: string; preview: ChapterPreview; seeded: SeededChapter | null } | { kind: 'upload-refused'; error: string };

/** A room to prepare from a creation request's body. */
export interface RoomJob {
  kind: 'room';
  body: Uint8Array;
}

/** A prepared room, or why the request is refused (an HTTP status and message). */
export type RoomOutcome = { kind: 'room'; room: PreparedRoom } | { kind: 'refused'; status: number; message: string };

/** Any job, and any outcome. */
export type HeavyJob = ImportJob | ExportJob | RoomJob | UploadJob;
export type HeavyOutcome = ImportOutcome | ExportOutcome | RoomOutcome | UploadOutcome;

/** HTTP status of each way a whole import file is refused. */
const FILE_ERROR_STATUS: Record<ImportFileErrorCode, number> = {
  'too-large': 413,
  'too-many-annotations': 413,
  'invalid-json': 400,
  'forbidden-key': 400,
  'invalid-format': 422,
};

const CREATE_ROOM_STATUS: Record<CreateRoomError['kind'], number> = { invalid: 400, 'rejected-chapter': 400, exists: 409 };

/** UTF-8 bytes of a text, in a buffer of their own (transferable). */
function utf8(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'utf8'));
}

/** One reader per store, kept for the worker's life. */
const readers = new Map<string, StoreReader & { people: PeopleDirectory }>();

function storeOf(location: StoreLocation): StoreReader & { people: PeopleDirectory } {
  const key = JSON.stringify(location);
  let open = readers.get(key);
  if (!open) {
    // A worker thread has no logger of the server's: a lost idle connection is said on stderr.
    const reader = openStoreReader(location, { error: (event, fields) => process.stderr.write(`${event} ${String(fields?.error)}\n`) });
    open = { ...reader, people: new PeopleDirectory(reader.stores) };
    readers.set(key, open);
  }
  return open;
}

/** Reads a room's two documents, verified; the problems found go back with the outcome. */
async function readRoom(location: StoreLocation, room: string): Promise<{ ok: true; text: Y.Doc; annotations: Y.Doc; problems: ReadProblems[] } | { ok: false; message: string; problems: ReadProblems[] }> {
  const { updates } = storeOf(location).stores;
  const problems: ReadProblems[] = [];
  const docs: Y.Doc[] = [];
  for (const kind of ['text', 'annotations'] as const) {
    const docName = docNameOf(room, kind);
    const read = await readVerifiedDoc(updates, docName);
    if (!read.ok) {
      problems.push({ docName, damage: read.damage, failed: [] });
      for (const doc of docs) doc.destroy();
      return { ok: false, message: `room "${room}" could not be read: ${read.error}`, problems };
    }
    if (read.value.damage.length > 0 || read.value.failed.length > 0) problems.push({ docName, damage: read.value.damage, failed: read.value.failed });
    docs.push(read.value.ydoc);
  }
  return { ok: true, text: docs[0]!, annotations: docs[1]!, problems };
}

/** Runs an import: parse (depth first), anchor and apply to the room as read; the writes come back as slices. */
export async function runImport(job: ImportJob): Promise<ImportOutcome> {
  if (jsonBytesNestDeeperThan(job.body, MAX_CLIENT_JSON_DEPTH)) return { kind: 'file-error', status: 400, message: tooDeepMessage('the import') };
  const read = await readRoom(job.store, job.room);
  if (!read.ok) return { kind: 'unreadable', message: read.message, problems: read.problems };
  try {
    const text = Buffer.from(job.body.buffer, job.body.byteOffset, job.body.byteLength).toString('utf8');
    const parsed = parseImport(text, importParseContextOfDoc(read.text, job.limits), nativeSchemaValidator());
    if (!parsed.ok) return { kind: 'file-error', status: FILE_ERROR_STATUS[parsed.error.code], message: parsed.error.message };
    const updates: Uint8Array[] = [];
    read.annotations.on('update', (update: Uint8Array) => updates.push(update));
    const report = applyImport(parsed.plan, read.text, read.annotations, { actor: job.actor, now: job.now, dryRun: job.dryRun, chunkSize: job.chunkSize });
    const answer = (status: number, body: unknown): ImportOutcome => ({ kind: 'report', status, counts, body: utf8(JSON.stringify(body)), report: null, updates: [], problems: read.problems });
    const counts = { imported: report.imported, refused: report.refused.length };
    if (report.refused.length > 0) {
      const error = `${report.refused.length} item(s) refused; nothing was imported. First: #${report.refused[0]!.index}: ${report.refused[0]!.reason}`;
      return answer(422, { error, report });
    }
    if (job.dryRun) return answer(200, { report });
    if (updates.length === 0) return answer(200, { report, stored: true });
    return { kind: 'report', status: 200, counts, body: null, report, updates, problems: read.problems };
  } finally {
    read.text.destroy();
    read.annotations.destroy();
  }
}

/** Builds an export of the room as read from the store. */
export async function runExport(job: ExportJob): Promise<ExportOutcome> {
  const format = exportFormat(job.format);
  if (!format) return { kind: 'unreadable', message: `unknown export format ${job.format}`, problems: [] };
  const read = await readRoom(job.store, job.room);
  if (!read.ok) return { kind: 'unreadable', message: read.message, problems: read.problems };
  try {
    const raw = snapshotRoom({ id: job.room, title: job.title }, read.text, read.annotations);
    // Authorship read as people: guest identities that became part of an account read as the account.
    const snapshot = attributeToPeople(raw, await storeOf(job.store).people.linkedAuthors(snapshotAuthorIds(raw)));
    const built = await format.build(snapshot, { baseUrl: job.baseUrl, exportedAt: job.exportedAt, byteOrderMark: true, choices: job.choices });
    return { kind: 'export', body: typeof built === 'string' ? utf8(built) : new Uint8Array(built), skipped: snapshot.skipped, problems: read.problems };
  } finally {
    read.text.destroy();
    read.annotations.destroy();
  }
}

/** Prepares a room from a creation request's JSON body: depth, parse, validate, import the chapter. */
export function runRoom(job: RoomJob): RoomOutcome {
  const body = parseJsonObject(job.body);
  if (!body.ok) return { kind: 'refused', status: body.status, message: body.error };
  const prepared = prepareRoom({ id: body.value.id, title: body.value.title, text: body.value.text });
  if (!prepared.ok) return { kind: 'refused', status: CREATE_ROOM_STATUS[prepared.error.kind], message: prepared.error.message };
  return { kind: 'room', room: prepared.value };
}

/** Imports a chapter file (typeset text, Markdown, Word): its preview, and its seeded document when creating. */
export async function runUpload(job: UploadJob): Promise<UploadOutcome> {
  const result = await importUpload(job.bytes, job.format);
  if (!result.ok) return { kind: 'upload-refused', error: result.error };
  return { kind: 'upload', title: result.title, preview: previewOf(result, job.format), seeded: job.seed ? seedChapter(result.doc) : null };
}

/** Runs any job. */
export async function runHeavyJob(job: HeavyJob): Promise<HeavyOutcome> {
  if (job.kind === 'import') return runImport(job);
  if (job.kind === 'export') return runExport(job);
  if (job.kind === 'upload') return runUpload(job);
  return runRoom(job);
}

/**
 * The byte arrays of an outcome, to transfer rather than copy back to the main thread: only those
 * that own their whole buffer (a view into a shared pool must be copied, not detached).
 */
export function transferablesOf(outcome: HeavyOutcome): ArrayBuffer[] {
  const arrays: Uint8Array[] = [];
  if (outcome.kind === 'report') arrays.push(...outcome.updates, ...(outcome.body ? [outcome.body] : []));
  if (outcome.kind === 'export') arrays.push(outcome.body);
  if (outcome.kind === 'room') arrays.push(outcome.room.seed, outcome.room.stateVector);
  if (outcome.kind === 'upload' && outcome.seeded) arrays.push(outcome.seeded.seed, outcome.seeded.stateVector);
  const whole = arrays.filter((array) => array.byteOffset === 0 && array.byteLength === array.buffer.byteLength);
  return [...new Set(whole.map((array) => array.buffer as ArrayBuffer))];
}
