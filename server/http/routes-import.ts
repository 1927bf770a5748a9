import type { IncomingMessage } from 'node:http';
import * as Y from 'yjs';
import { applyImport, can, DEFAULT_IMPORT_LIMITS, importParseContextOfDoc, parseImport } from '../../schema/index.ts';
import type { AnnotationImportReport, ImportFileErrorCode, ImportLimits } from '../../schema/index.ts';
import type { HttpContext } from './http-context.ts';
import { copyDoc, holdRoomDocs } from './export-import-docs.ts';
import type { HeldRoomDocs } from './export-import-docs.ts';
import { nativeSchemaValidator } from './import-native-validator.ts';
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

/** Import limits: the defaults, overridden by IMPORT_MAX_BYTES and IMPORT_MAX_ANNOTATIONS. */
export function importLimits(env: NodeJS.ProcessEnv = process.env): ImportLimits {
  const read = (name: string, fallback: number) => {
    const value = Number(env[name]);
    return env[name] !== undefined && Number.isSafeInteger(value) && value > 0 ? value : fallback;
  };
  return {
    ...DEFAULT_IMPORT_LIMITS,
    maxBytes: read('IMPORT_MAX_BYTES', DEFAULT_IMPORT_LIMITS.maxBytes),
    maxAnnotations: read('IMPORT_MAX_ANNOTATIONS', DEFAULT_IMPORT_LIMITS.maxAnnotations),
  };
}

/** Reads the body as UTF-8 text of at most `limit` bytes, or answers why not. */
async function readBodyText(request: IncomingMessage, limit: number): Promise<{ ok: true; text: string } | { ok: false; status: number; error: string }> {
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  // A JSON content type also keeps cross-site forms out: they cannot send it without a preflight.
  if (type !== 'application/json' && type !== 'application/ld+json') {
    return { ok: false, status: 415, error: 'Content-Type must be application/json or application/ld+json' };
  }
  const tooLarge = { ok: false as const, status: 413, error: `import body larger than the limit of ${limit} bytes` };
  if (Number(request.headers['content-length'] ?? 0) > limit) return tooLarge;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > limit) return tooLarge;
    chunks.push(chunk);
  }
  return { ok: true, text: Buffer.concat(chunks).toString('utf8') };
}

/** A foreign `Origin` (a browser page on another site) is refused: imports change the room. */
function crossSite(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return false;
  try {
    return new URL(origin).host !== request.headers.host;
  } catch {
    return true;
  }
}

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
 * JSON-LD. All or nothing: 422 with the report when any item is refused, 200 with the
 * report when everything was written (in one update through the durable write path, so it
 * is stored before it is relayed to connected clients), 200 for a dry run.
 */
async function handleImport({ request, response, params, query, context }: RouteRequest<HttpContext>): Promise<void> {
  const room = params[0]!;
  if (crossSite(request)) return sendError(response, 403, 'cross-site import refused');
  const caller = identifyForRoom(request, context.identity, room);
  if (!caller.ok) return sendError(response, caller.status, caller.error);
  if (!can(caller.value.role, 'import')) return sendError(response, 403, `only the room's owner may import (you are ${caller.value.role})`);
  if (!context.rooms.rooms.get(room)) return sendError(response, 404, `no room "${room}"`);
  const limits = { ...importLimits(), maxBytes: context.config.importMaxBytes };
  const body = await readBodyText(request, limits.maxBytes);
  if (!body.ok) return sendError(response, body.status, body.error, body.status === 413 ? { Connection: 'close' } : {});
  const dryRun = ['1', 'true'].includes(query.get('dryRun') ?? '');
  const actor = { userId: caller.value.userId, name: caller.value.name };
  await serialised(room, async () => {
    const held = await holdRoomDocs(context.collab, room);
    if (!held.ok) return sendError(response, 503, held.error);
    try {
      const outcome = await importIntoRoom(held.value, body.text, limits, actor, dryRun, context);
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
