import type { ServerResponse } from 'node:http';
import { exportW3C, exportW3CItem, roomIris, roomPeople, W3C_CONTENT_TYPE, ANNO_CONTEXT } from '../../schema/index.ts';
import type { RoomSnapshot } from '../../schema/index.ts';
import { negotiate } from './content-negotiation.ts';
import { authorizeExport, readRoomForExport } from './export-access.ts';
import type { HttpContext } from './http-context.ts';
import { exportBaseUrl } from './public-url.ts';
import { sendError, sendHtmlMessage, sendJson, setCommonHeaders } from './responses.ts';
import type { Route, RouteRequest } from './router.ts';

/**
 * The IRIs exports name answer (schema/exchange/export/iris.ts), with the credentials of the
 * export (a Bearer token or the session cookie of any role):
 *
 *   <base>/r/<room>/text               the plain-text projection (text/plain)
 *   <base>/r/<room>/annotations        the W3C AnnotationCollection
 *   <base>/r/<room>/annotations/<id>   one annotation as W3C JSON-LD; a browser is sent to the room, opened at it
 *   <base>/r/<room>/replies/<id>       one reply, likewise
 *   <base>/r/<room>/users/<id>         the person, as a W3C Person
 */

const ROOM = '([a-z0-9-]{1,64})';
const ITEM_ID = '([A-Za-z0-9_-]{1,64})';
const JSON_LD = 'application/ld+json';
const PLAIN_JSON = 'application/json';
const HTML = 'text/html';

/** Sends JSON-LD: the annotation profile for `application/ld+json`, plain JSON when that is what was asked. */
function sendLinkedData(response: ServerResponse, type: string, body: unknown): void {
  sendJson(response, 200, body, { 'Content-Type': type === PLAIN_JSON ? 'application/json; charset=utf-8' : W3C_CONTENT_TYPE, Vary: 'Accept' });
}

/** A refusal, as a page for a browser and as JSON for a program. */
function refuse(response: ServerResponse, wantsHtml: boolean, status: number, error: string): void {
  if (!wantsHtml) return sendError(response, status, error, { Vary: 'Accept' });
  const hint = status === 401 ? 'Open the invite link you were given for this room first; it signs this browser in.' : error;
  sendHtmlMessage(response, status, status === 401 ? 'Sign in to the room first' : 'Not available', hint);
}

/**
 * Checks access and reads the room for a linked-data answer; sends the refusal itself and
 * returns null when it cannot answer.
 */
async function roomData(request: RouteRequest<HttpContext>, wantsHtml: boolean): Promise<{ snapshot: RoomSnapshot; baseUrl: string } | null> {
  const { response, params, context } = request;
  const room = params[0]!;
  const access = await authorizeExport(request.request, context, room);
  if (!access.ok) {
    refuse(response, wantsHtml, access.status, access.error);
    return null;
  }
  const baseUrl = exportBaseUrl(request.request, context);
  if (baseUrl === null) {
    refuse(response, wantsHtml, 400, 'cannot tell the address IRIs should use: send a Host header or set PUBLIC_URL');
    return null;
  }
  const read = await readRoomForExport(context, room, access.title);
  if (!read.ok) {
    refuse(response, wantsHtml, 503, read.error);
    return null;
  }
  return { snapshot: read.snapshot, baseUrl };
}

/** `GET /r/<room>/text`: the chapter's plain-text projection, the text every selector's offsets refer to. */
async function handleText(request: RouteRequest<HttpContext>): Promise<void> {
  const wantsHtml = negotiate(request.request.headers.accept, ['text/plain', HTML]) === HTML;
  const data = await roomData(request, wantsHtml);
  if (!data) return;
  const body = Buffer.from(data.snapshot.projection.text, 'utf8');
  setCommonHeaders(request.response);
  request.response.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': body.byteLength, 'Cache-Control': 'no-store' });
  request.response.end(body);
}

/** `GET /r/<room>/annotations`: the room's W3C AnnotationCollection, as the W3C export holds it. */
async function handleCollection(request: RouteRequest<HttpContext>): Promise<void> {
  const type = negotiate(request.request.headers.accept, [JSON_LD, PLAIN_JSON, HTML]);
  if (type === HTML) return redirectToRoom(request.response, request.params[0]!, null);
  if (type === null) return sendError(request.response, 406, `this resource is available as ${JSON_LD} or ${PLAIN_JSON}`, { Vary: 'Accept' });
  const data = await roomData(request, false);
  if (data) sendLinkedData(request.response, type, exportW3C(data.snapshot, { baseUrl: data.baseUrl, exportedAt: new Date().toISOString() }));
}

/**
 * `GET /r/<room>/annotations/<id>` and `/r/<room>/replies/<id>`: the annotation (or reply) as W3C
 * JSON-LD; a browser (which prefers HTML) is redirected to the room, which opens at it. The
 * redirect needs no credentials: the room page asks for them itself.
 */
function itemHandler(kind: 'annotation' | 'reply') {
  return async (request: RouteRequest<HttpContext>): Promise<void> => {
    const [room, id] = [request.params[0]!, request.params[1]!];
    const type = negotiate(request.request.headers.accept, [JSON_LD, PLAIN_JSON, HTML]);
    if (type === HTML) return redirectToRoom(request.response, room, { kind, id });
    if (type === null) return sendError(request.response, 406, `this resource is available as ${JSON_LD}, ${PLAIN_JSON} or ${HTML}`, { Vary: 'Accept' });
    const data = await roomData(request, false);
    if (!data) return;
    const item = exportW3CItem(data.snapshot, { baseUrl: data.baseUrl, exportedAt: new Date().toISOString() }, { kind, id });
    if (!item) return sendError(request.response, 404, `no ${kind} "${id}" in room "${room}"`, { Vary: 'Accept' });
    sendLinkedData(request.response, type, item);
  };
}

/** `GET /r/<room>/users/<id>`: the person as the room knows them (their latest display name). */
async function handleUser(request: RouteRequest<HttpContext>): Promise<void> {
  const [room, userId] = [request.params[0]!, request.params[1]!];
  const type = negotiate(request.request.headers.accept, [JSON_LD, PLAIN_JSON]);
  if (type === null) return sendError(request.response, 406, `this resource is available as ${JSON_LD} or ${PLAIN_JSON}`, { Vary: 'Accept' });
  const data = await roomData(request, false);
  if (!data) return;
  const person = roomPeople(data.snapshot).get(userId);
  if (!person) return sendError(request.response, 404, `no one with id "${userId}" is named in room "${room}"`, { Vary: 'Accept' });
  sendLinkedData(request.response, type, { '@context': ANNO_CONTEXT, id: roomIris(data.baseUrl, room).user(userId), type: 'Person', name: person.name });
}

/** 303 to the room page, opened at an annotation or reply (the client reads the fragment). */
function redirectToRoom(response: ServerResponse, room: string, item: { kind: 'annotation' | 'reply'; id: string } | null): void {
  setCommonHeaders(response);
  const fragment = item ? `#${item.kind}=${encodeURIComponent(item.id)}` : '';
  response.writeHead(303, { Location: `/r/${room}${fragment}`, Vary: 'Accept', 'Cache-Control': 'no-store', 'Content-Length': 0 });
  response.end();
}

/** Routes of the IRIs exports name. */
export const iriRoutes: readonly Route<HttpContext>[] = [
  { method: 'GET', pattern: new RegExp(`^/r/${ROOM}/text$`), handle: handleText },
  { method: 'GET', pattern: new RegExp(`^/r/${ROOM}/annotations$`), handle: handleCollection },
  { method: 'GET', pattern: new RegExp(`^/r/${ROOM}/annotations/${ITEM_ID}$`), handle: itemHandler('annotation') },
  { method: 'GET', pattern: new RegExp(`^/r/${ROOM}/replies/${ITEM_ID}$`), handle: itemHandler('reply') },
  { method: 'GET', pattern: new RegExp(`^/r/${ROOM}/users/${ITEM_ID}$`), handle: handleUser },
];
