import * as Y from 'yjs';
import { can, DEFAULT_IMPORT_LIMITS } from '../../schema/index.ts';
import type { ImportLimits } from '../../schema/index.ts';
import type { CollabDoc } from '../collab/collab-doc.ts';
import type { ImportOutcome } from '../heavy/heavy-jobs.ts';
import type { HeavyTicket } from '../heavy/heavy-work.ts';
import type { ClientClaim } from '../persistence/update-store.ts';
import type { HttpContext } from './http-context.ts';
import { holdRoomDocs } from './export-import-docs.ts';
import { reportReadProblems, sendHeavyFailure } from './heavy-responses.ts';
import { readBodyBytes } from './json-body.ts';
import { identifyForRoom } from './request-auth.ts';
import { sendError, sendJson, sendJsonBytes } from './responses.ts';
import type { Route, RouteRequest } from './router.ts';

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

/** Records per slice of a large import: each slice is one update, applied and stored in its own turn of the event loop. */
const IMPORT_SLICE_RECORDS = 250;

/**
 * `POST /api/rooms/<room>/import[?dryRun=1]` (owner only): native annotated JSON or W3C
 * JSON-LD. Cross-site requests were refused before this runs, by the server's origin policy.
 * All or nothing: 422 with the report when any item is refused, 200 with the
 * report when everything was written, 200 for a dry run. The file is parsed, anchored and applied
 * to a copy of the room in a worker thread (issue 14, P4); the writes come back as slices of
 * updates, each stored before it is relayed (the durable write path) in its own turn of the event
 * loop, so that live rooms keep their pace. Importing is idempotent: an import cut short by a
 * crash is completed by importing the file again.
 */
async function handleImport({ request, response, params, query, context }: RouteRequest<HttpContext>): Promise<void> {
  const room = params[0]!;
  const caller = await identifyForRoom(request, context.identity, room);
  if (!caller.ok) return sendError(response, caller.status, caller.error);
  if (!can(caller.value.role, 'import')) return sendError(response, 403, `only the room's owner may import (you are ${caller.value.role})`);
  if (!(await context.rooms.rooms.get(room))) return sendError(response, 404, `no room "${room}"`);
  const limits: ImportLimits = { ...DEFAULT_IMPORT_LIMITS, maxBytes: context.config.importMaxBytes, maxAnnotations: context.config.importMaxAnnotations };
  const body = await readBodyBytes(request, limits.maxBytes, IMPORT_MEDIA_TYPES);
  if (!body.ok) return sendError(response, body.status, body.error, body.status === 413 ? { Connection: 'close' } : {});
  const dryRun = ['1', 'true'].includes(query.get('dryRun') ?? '');
  const actor = { userId: caller.value.userId, name: caller.value.name };
  let ticket: HeavyTicket;
  try {
    // Counted from now: waiting behind an earlier import into the room counts against the user too.
    ticket = context.heavy.admit(actor.userId);
  } catch (error) {
    return sendHeavyFailure(response, error, context);
  }
  await serialised(room, async () => {
    let outcome: ImportOutcome;
    try {
      outcome = await context.heavy.runImport(ticket, { store: context.store.location, room, body: body.bytes, limits, actor, dryRun, now: new Date().toISOString(), chunkSize: IMPORT_SLICE_RECORDS });
    } catch (error) {
      return sendHeavyFailure(response, error, context);
    }
    if (outcome.kind === 'file-error') return sendError(response, outcome.status, outcome.message);
    if (outcome.kind === 'unreadable') {
      await reportReadProblems(outcome.problems, context);
      return sendError(response, 503, outcome.message);
    }
    await reportReadProblems(outcome.problems, context);
    context.log.info('room.imported', { room, dryRun, ...outcome.counts, slices: outcome.updates.length });
    if (outcome.body !== null) return sendJsonBytes(response, outcome.status, outcome.body);
    const written = await writeSlices(room, outcome.updates, actor.userId, context);
    if (!written.ok) return sendError(response, written.status, written.error);
    sendJson(response, written.stored ? 200 : 202, { report: outcome.report, stored: written.stored });
  }).finally(() => ticket.release());
}

/**
 * Stores and relays an import's slices through the commit queue, one turn of the event loop
 * each. Refused (409) when the room is read-only because its store is damaged (P5).
 */
async function writeSlices(room: string, updates: readonly Uint8Array[], userId: string, context: HttpContext): Promise<{ ok: true; stored: boolean } | { ok: false; status: number; error: string }> {
  const held = await holdRoomDocs(context.collab, room);
  if (!held.ok) return { ok: false, status: 503, error: held.error };
  try {
    const doc = held.value.annotations;
    if (doc.readOnlyReason) return { ok: false, status: 409, error: `nothing was imported: ${doc.readOnlyReason}` };
    const queue = context.collab.queue;
    for (const update of updates) {
      if (doc.state !== 'ready') return { ok: false, status: 503, error: `room "${room}" was reloaded during the import; import the file again (imports are idempotent)` };
      queue.enqueue({ doc, update, sender: null, applied: false, claims: claimsOfImport(doc, update, userId) });
      await queue.flush();
      await new Promise((resolve) => setImmediate(resolve));
    }
    // The store failing: the import is applied and relayed, and is stored when the store recovers.
    return { ok: true, stored: !queue.failing };
  } finally {
    held.value.release();
  }
}

/** The importing user claims the Yjs client id the import was written under (P2). */
function claimsOfImport(doc: CollabDoc, update: Uint8Array, userId: string): ClientClaim[] {
  const claims: ClientClaim[] = [];
  for (const client of Y.decodeStateVector(Y.encodeStateVectorFromUpdate(update)).keys()) {
    if (doc.clientOwners.has(client)) continue;
    doc.clientOwners.set(client, userId);
    claims.push({ client, userId });
  }
  return claims;
}

/** Routes of the import API. */
export const importRoutes: readonly Route<HttpContext>[] = [{ method: 'POST', pattern: /^\/api\/rooms\/([a-z0-9-]{1,64})\/import$/, handle: handleImport }];
