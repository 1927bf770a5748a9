import * as Y from 'yjs';
import { applyImport, can, DEFAULT_IMPORT_LIMITS, importParseContextOfDoc, parseImport } from '../../schema/index.ts';
import type { AnnotationImportReport, ImportFileErrorCode, ImportLimits } from '../../schema/index.ts';
import type { HttpContext } from './http-context.ts';
import { copyDoc, holdRoomDocs } from './export-import-docs.ts';
import type { HeldRoomDocs } from './export-import-docs.ts';
import { nativeSchemaValidator } from './import-native-validator.ts';
import { readBodyBytes } from './json-body.ts';
import { identifyForRoom } from './request-auth.ts';
import { sendError, sendJson } from './responses.ts';
import type { Route, RouteRequest } from './router.ts';

/** HTTP status of each way a whole file is refused. */
const FILE_ERROR_STATUS: Record<ImportFileErrorCode, number> = {
  'too-large': 413,
  'too-many-annotations': 413,
  'invalid-json': 400,
  'forbidden-key': 400,
  'invalid-format': 422,
};

/** The media types an import body may have: native JSON or W3C JSON-LD. */
const IMPORT_MEDIA_TYPES: readonly string[] = ['application/json', 'application/ld+json'];

// Imports into one room run one at a time, so the idempotency check sees the previous one.
const roomQueues = new Map<string, Promise<unknown>>();

function serialised<T>(room: string, work: () => Promise<T>): Promise<T> {
  const previous = roomQueues.get(room) ?? Promise.resolve();
  const next = previous.then(work, work);
  const settled = next.catch(() => {});
  roomQueues.set(room, settled);
  void settled.then(() => {
    if (roomQueues.get(room) === settled) roomQueues.delete(room);
  });
  return next;
}

/**
 * `POST /api/rooms/<room>/import[?dryRun=1]` (owner only): native annotated JSON or W3C
 * JSON-LD. Cross-site requests were refused before this runs, by the server's origin policy. All or nothing: 422 with the report when any item is refused, 200 with the
 * report when everything was written (in one update through the durable write path, so it
 * is stored before it is relayed to connected clients), 200 for a dry run.
 */
async function handleImport({ request, response, params, query, context }: RouteRequest<HttpContext>): Promise<void> {
  const room = params[0]!;
  const caller = identifyForRoom(request, context.identity, room);
  if (!caller.ok) return sendError(response, caller.status, caller.error);
  if (!can(caller.value.role, 'import')) return sendError(response, 403, `only the room's owner may import (you are ${caller.value.role})`);
  if (!context.rooms.rooms.get(room)) return sendError(response, 404, `no room "${room}"`);
  const limits: ImportLimits = { ...DEFAULT_IMPORT_LIMITS, maxBytes: context.config.importMaxBytes, maxAnnotations: context.config.importMaxAnnotations };
  const body = await readBodyBytes(request, limits.maxBytes, IMPORT_MEDIA_TYPES);
  if (!body.ok) return sendError(response, body.status, body.error, body.status === 413 ? { Connection: 'close' } : {});
  const dryRun = ['1', 'true'].includes(query.get('dryRun') ?? '');
  const actor = { userId: caller.value.userId, name: caller.value.name };
  await serialised(room, async () => {
    const held = await holdRoomDocs(context.collab, room);
    if (!held.ok) return sendError(response, 503, held.error);
    try {
      const outcome = await importIntoRoom(held.value, body.bytes.toString('utf8'), limits, actor, dryRun, context);
      if ('fileError' in outcome) return sendError(response, outcome.status, outcome.fileError);
      context.log.info('room.imported', { room, dryRun, imported: outcome.report.imported, refused: outcome.report.refused.length });
      sendJson(response, outcome.status, outcome.body);
    } finally {
      held.value.release();
    }
  });
}

type ImportOutcome = { status: number; fileError: string } | { status: number; report: AnnotationImportReport; body: unknown };

/** Parses, applies to a copy of the annotation document, then stores and relays the difference. */
async function importIntoRoom(held: HeldRoomDocs, text: string, limits: ImportLimits, actor: { userId: string; name: string }, dryRun: boolean, context: HttpContext): Promise<ImportOutcome> {
  const live = held.annotations.ydoc;
  const parsed = parseImport(text, importParseContextOfDoc(held.text.ydoc, limits), nativeSchemaValidator());
  if (!parsed.ok) return { status: FILE_ERROR_STATUS[parsed.error.code], fileError: parsed.error.message };
  const scratch = copyDoc(live);
  const report = applyImport(parsed.plan, held.text.ydoc, scratch, { actor, now: new Date().toISOString(), dryRun });
  if (report.refused.length > 0) {
    const error = `${report.refused.length} item(s) refused; nothing was imported. First: #${report.refused[0]!.index}: ${report.refused[0]!.reason}`;
    return { status: 422, report, body: { error, report } };
  }
  if (dryRun) return { status: 200, report, body: { report } };
  const update = Y.encodeStateAsUpdate(scratch, Y.encodeStateVector(live));
  if (report.imported + report.replies.imported + report.dismissed.imported === 0) return { status: 200, report, body: { report, stored: true } };
  const queue = context.collab.queue;
  queue.enqueue({ doc: held.annotations, update, sender: null, applied: false });
  await queue.flush();
  // The store failing: the import is applied and relayed, and is stored when the store recovers.
  if (queue.failing) return { status: 202, report, body: { report, stored: false } };
  return { status: 200, report, body: { report, stored: true } };
}

/** Routes of the import API. */
export const importRoutes: readonly Route<HttpContext>[] = [{ method: 'POST', pattern: /^\/api\/rooms\/([a-z0-9-]{1,64})\/import$/, handle: handleImport }];
