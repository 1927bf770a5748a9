import type { IncomingMessage } from 'node:http';
import type { WebPerson } from '../auth/identity.ts';
import type { RoomRecord } from '../persistence/room-store.ts';
import type { UploadOutcome } from '../heavy/heavy-jobs.ts';
import { storeSeededRoom } from '../rooms/create-room.ts';
import { deleteRoom } from '../rooms/delete-room.ts';
import { readableId } from '../seminars/readable-ids.ts';
import { validateTitle } from '../seminars/seminars.ts';
import { UPLOAD_FORMATS } from '../../schema/index.ts';
import type { UploadFormat } from '../../schema/index.ts';
import { guessFormat } from '../uploads/chapter-upload.ts';
import { sendHeavyFailure } from './heavy-responses.ts';
import type { HttpContext } from './http-context.ts';
import { readJsonBody } from './json-body.ts';
import { identifyAccount, identifyPerson } from './request-person.ts';
import { sendError, sendJson } from './responses.ts';
import type { Route, RouteRequest } from './router.ts';

/**
 * Chapters of a seminar over HTTP (docs/accounts-and-seminars.md, "Chapters"):
 *
 * - `POST /api/seminars/<id>/chapters/preview?name=<file name>[&format=typeset|markdown|docx]`
 *   with the file as the body → 200 `{preview}`: what the importer found; nothing is created;
 * - `POST /api/seminars/<id>/chapters?name=…[&format=…][&title=…]` → 201 `{chapter, preview}`;
 * - `PUT /api/chapters/<room>` `{title?, archived?}` renames, archives or restores;
 * - `DELETE /api/chapters/<room>` deletes it and everything of it;
 * - `PUT /api/chapters/<room>/seminar` `{seminarId}` files a room of no seminar into one
 *   (administrators, into a seminar they own).
 *
 * Seminar owners only (administrators for rooms in no seminar). An empty or malformed file is
 * refused with the importer's message (400) and creates nothing.
 */

const SEMINAR = '([a-z0-9-]{1,64})';
const ROOM = '([a-z0-9-]{1,64})';
// A cross-site form can send only the first three types; an upload never comes as one (defence in
// depth, after the origin check). JSON is the API's other bodies, never a file.
const FORM_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain', 'application/json']);

/** Reads a raw upload of at most `limit` bytes; 415 for form types, 413 beyond the limit. */
async function readUpload(request: IncomingMessage, limit: number): Promise<{ ok: true; value: Uint8Array } | { ok: false; status: number; error: string }> {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (FORM_TYPES.has(type)) return { ok: false, status: 415, error: 'Send the file as application/octet-stream' };
  if (Number(request.headers['content-length'] ?? 0) > limit) return { ok: false, status: 413, error: `The file is larger than ${Math.round(limit / 1048576)} MB.` };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > limit) return { ok: false, status: 413, error: `The file is larger than ${Math.round(limit / 1048576)} MB.` };
    chunks.push(chunk);
  }
  return { ok: true, value: new Uint8Array(Buffer.concat(chunks)) };
}

/** Identifies a seminar owner (the seminar in the path); answers refusals itself. */
async function seminarOwner(route: RouteRequest<HttpContext>): Promise<{ person: WebPerson; seminarId: string } | null> {
  const { request, response, params, context } = route;
  const person = await identifyPerson(request, context);
  if (!person.ok) {
    sendError(response, person.status, person.error);
    return null;
  }
  const seminarId = params[0]!;
  const role = (await context.stores.seminars.get(seminarId)) ? await context.stores.seminars.memberRole(seminarId, person.value.userId) : null;
  if (role === null) {
    sendError(response, 404, 'No such seminar (or you are not a member of it).');
    return null;
  }
  if (role !== 'owner') {
    sendError(response, 403, 'Only the seminar’s owners add chapters.');
    return null;
  }
  return { person: person.value, seminarId };
}

/**
 * Reads the upload and the format it is to be read as; imports it in a worker thread (a long
 * chapter or a Word file takes seconds: issue 14, P4), seeding the text document too when `seed`.
 * Answers refusals itself.
 */
async function importRequested(route: RouteRequest<HttpContext>, userId: string, seed: boolean) {
  const { request, response, query, context } = route;
  const asked = query.get('format');
  if (asked !== null && asked !== 'auto' && !UPLOAD_FORMATS.includes(asked as UploadFormat)) {
    sendError(response, 400, `format must be auto, ${UPLOAD_FORMATS.join(', ')}`);
    return null;
  }
  const upload = await readUpload(request, context.config.importMaxBytes);
  if (!upload.ok) {
    sendError(response, upload.status, upload.error);
    return null;
  }
  const fileName = (query.get('name') ?? '').slice(0, 255);
  const format = asked === null || asked === 'auto' ? guessFormat(fileName, upload.value) : (asked as UploadFormat);
  let result: UploadOutcome;
  try {
    result = await context.heavy.runUpload(userId, { bytes: upload.value, format, seed });
  } catch (error) {
    sendHeavyFailure(response, error, context);
    return null;
  }
  if (result.kind === 'upload-refused') {
    sendError(response, 400, result.error);
    return null;
  }
  return { result, format, fileName };
}

/** `POST /api/seminars/<id>/chapters/preview`. */
async function handlePreview(route: RouteRequest<HttpContext>): Promise<void> {
  const owner = await seminarOwner(route);
  if (!owner) return;
  const imported = await importRequested(route, owner.person.userId, false);
  if (imported) sendJson(route.response, 200, { preview: imported.result.preview });
}

/** The title of a new chapter: the one asked for, else the one found, else the file's name. */
function chapterTitle(asked: string | null, found: string, fileName: string): { ok: true; value: string } | { ok: false; error: string } {
  if (asked !== null && asked.trim() !== '') return validateTitle(asked);
  const fallback = found.trim() || fileName.replace(/\.[A-Za-z0-9]{1,8}$/, '').trim() || 'Untitled chapter';
  return validateTitle([...fallback].slice(0, 200).join(''));
}

/** `POST /api/seminars/<id>/chapters` → 201. */
async function handleCreate(route: RouteRequest<HttpContext>): Promise<void> {
  const owner = await seminarOwner(route);
  if (!owner) return;
  const imported = await importRequested(route, owner.person.userId, true);
  if (!imported?.result.seeded) return;
  const { stores, log } = route.context;
  const title = chapterTitle(route.query.get('title'), imported.result.title, imported.fileName);
  if (!title.ok) return sendError(route.response, 400, title.error);
  const id = await readableId(title.value, async (candidate) => candidate.length > 64 || (await stores.rooms.get(candidate)) !== null, 'chapter');
  await storeSeededRoom(stores, { id, title: title.value, seminarId: owner.seminarId, position: await stores.rooms.nextPosition(owner.seminarId) }, imported.result.seeded, null);
  log.info('chapter.created', { seminar: owner.seminarId, room: id, format: imported.format, by: owner.person.userId });
  sendJson(route.response, 201, { chapter: { id, title: title.value }, preview: imported.result.preview });
}

/** Whether a person manages a room: its seminar's owners; administrators for rooms in no seminar. */
async function managesRoom(context: HttpContext, person: WebPerson, room: RoomRecord): Promise<boolean> {
  if (room.seminarId === null) return person.account?.isAdmin ?? false;
  return (await context.stores.seminars.memberRole(room.seminarId, person.userId)) === 'owner';
}

/** Identifies who manages the room in the path; answers refusals itself. */
async function roomManager(route: RouteRequest<HttpContext>): Promise<{ person: WebPerson; room: RoomRecord } | null> {
  const person = await identifyAccount(route.request, route.context);
  if (!person.ok) {
    sendError(route.response, person.status, person.error);
    return null;
  }
  const room = await route.context.stores.rooms.get(route.params[0]!);
  if (!room || !(await managesRoom(route.context, person.value, room))) {
    sendError(route.response, room ? 403 : 404, room ? 'Only the seminar’s owners change its chapters.' : 'No such chapter.');
    return null;
  }
  return { person: person.value, room };
}

/** `PUT /api/chapters/<room>` `{title?, archived?}`. */
async function handleUpdate(route: RouteRequest<HttpContext>): Promise<void> {
  const manager = await roomManager(route);
  if (!manager) return;
  const body = await readJsonBody(route.request, 4096);
  if (!body.ok) return sendError(route.response, body.status, body.error);
  const { stores, log } = route.context;
  const { title, archived } = body.value;
  if (archived !== undefined && typeof archived !== 'boolean') return sendError(route.response, 400, 'archived must be true or false');
  const validTitle = title === undefined ? null : validateTitle(title);
  if (validTitle && !validTitle.ok) return sendError(route.response, 400, validTitle.error);
  await stores.transaction(async (tx) => {
    if (validTitle?.ok) await tx.rooms.rename(manager.room.id, validTitle.value);
    if (archived !== undefined) await tx.rooms.setArchived(manager.room.id, archived ? (manager.room.archivedAt ?? Date.now()) : null);
  });
  // Archiving makes everyone a viewer: open sockets are checked again, here and elsewhere.
  if (archived !== undefined) route.context.accessChanged();
  log.info('chapter.updated', { room: manager.room.id, title: validTitle?.ok ? validTitle.value : undefined, archived, by: manager.person.userId });
  const room = (await stores.rooms.get(manager.room.id))!;
  sendJson(route.response, 200, { chapter: { id: room.id, title: room.title, archived: room.archivedAt !== null } });
}

/** `DELETE /api/chapters/<room>`. */
async function handleDelete(route: RouteRequest<HttpContext>): Promise<void> {
  const manager = await roomManager(route);
  if (!manager) return;
  const { stores, collab, roomStats, log } = route.context;
  const deleted = await deleteRoom(stores, collab, roomStats, manager.room.id);
  if (!deleted.ok) return sendError(route.response, 503, deleted.error);
  route.context.roomDeleted(manager.room.id);
  log.info('chapter.deleted', { room: manager.room.id, seminar: manager.room.seminarId, by: manager.person.userId });
  sendJson(route.response, 200, { deleted: manager.room.id });
}

/** `PUT /api/chapters/<room>/seminar` `{seminarId}`: an administrator files a room of no seminar. */
async function handleFile(route: RouteRequest<HttpContext>): Promise<void> {
  const manager = await roomManager(route);
  if (!manager) return;
  const body = await readJsonBody(route.request, 4096);
  if (!body.ok) return sendError(route.response, body.status, body.error);
  const { stores, log } = route.context;
  const seminarId = typeof body.value.seminarId === 'string' ? body.value.seminarId : '';
  if (manager.room.seminarId !== null) return sendError(route.response, 409, 'This chapter belongs to a seminar already.');
  if ((await stores.seminars.memberRole(seminarId, manager.person.userId)) !== 'owner') return sendError(route.response, 403, 'You can file chapters only into seminars you own.');
  await stores.rooms.file(manager.room.id, seminarId);
  log.info('chapter.filed', { room: manager.room.id, seminar: seminarId, by: manager.person.userId });
  sendJson(route.response, 200, { chapter: { id: manager.room.id, seminarId } });
}

/** Routes of chapters. */
export const chapterRoutes: readonly Route<HttpContext>[] = [
  { method: 'POST', pattern: new RegExp(`^/api/seminars/${SEMINAR}/chapters/preview$`), handle: handlePreview },
  { method: 'POST', pattern: new RegExp(`^/api/seminars/${SEMINAR}/chapters$`), handle: handleCreate },
  { method: 'PUT', pattern: new RegExp(`^/api/chapters/${ROOM}$`), handle: handleUpdate },
  { method: 'DELETE', pattern: new RegExp(`^/api/chapters/${ROOM}$`), handle: handleDelete },
  { method: 'PUT', pattern: new RegExp(`^/api/chapters/${ROOM}/seminar$`), handle: handleFile },
];
