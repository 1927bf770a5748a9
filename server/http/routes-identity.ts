import { validateDisplayName } from '../auth/display-name.ts';
import { sessionCookieFor } from './session-cookie.ts';
import type { Session } from '../auth/identity.ts';
import { identitiesOf } from '../auth/identity.ts';
import type { HttpContext } from './http-context.ts';
import { readJsonBody } from './json-body.ts';
import { bearerToken, identifyForRoom, requestToken } from './request-auth.ts';
import { sendError, sendHtmlMessage, sendJson, setCommonHeaders } from './responses.ts';
import type { Route, RouteRequest } from './router.ts';
import { sendClientShell } from './static-files.ts';

const ROOM = '([a-z0-9-]{1,64})';

/** The identity a client may see about itself. */
function publicIdentity(session: Session): { userId: string; room: string; role: string; name: string } {
  return { userId: session.userId, room: session.room, role: session.role, name: session.name };
}

/**
 * `GET /r/<room>?invite=TOKEN`: creates a session from the invite, sets the HttpOnly cookie and
 * redirects (303) to `/r/<room>`, taking the token out of the address bar. Without `invite`,
 * serves the client shell.
 */
async function handleRoomPage({ request, response, params, query, context }: RouteRequest<HttpContext>): Promise<void> {
  const room = params[0] ?? '';
  const invite = query.get('invite');
  if (invite === null) return sendClientShell(request, response, context.config.staticDir);
  const resolved = await context.identity.resolveToken(invite);
  if (!resolved.ok || resolved.value.via !== 'invite') {
    return sendHtmlMessage(response, 401, 'Invite not valid', 'This invite link is unknown, expired or revoked. Ask the room owner for a new one.');
  }
  if (resolved.value.room !== room) return sendHtmlMessage(response, 403, 'Wrong room', 'This invite link belongs to another room.');
  // Signed in (or a guest of a seminar): the room is added to that person, who stays who they are.
  const cookie = requestToken(request);
  const person = cookie ? await context.identity.personOf(cookie) : null;
  if (person?.ok) {
    const { role, inviteHash } = resolved.value;
    await context.stores.grants.insert({ room, userId: person.value.userId, role, inviteHash, grantedAt: Date.now() });
    context.log.info('room.granted', { room, role, user: person.value.userId });
    setCommonHeaders(response);
    response.writeHead(303, { Location: `/r/${room}`, 'Cache-Control': 'no-store', 'Content-Length': 0 });
    response.end();
    return;
  }
  const created = await context.identity.createSession(invite);
  if (!created.ok) return sendHtmlMessage(response, 401, 'Invite not valid', 'This invite link is unknown, expired or revoked.');
  context.log.info('session.created', { room, role: created.value.session.role, user: created.value.session.userId, via: 'browser' });
  setCommonHeaders(response);
  response.writeHead(303, { Location: `/r/${room}`, 'Set-Cookie': sessionCookieFor(request, context, created.value.token), 'Cache-Control': 'no-store', 'Content-Length': 0 });
  response.end();
}

/** `GET /api/rooms/<room>/me` → `{userId, room, role, name, roomUid}`. */
async function handleGetMe({ request, response, params, context }: RouteRequest<HttpContext>): Promise<void> {
  const caller = await identifyForRoom(request, context.identity, params[0] ?? '');
  if (!caller.ok) return sendError(response, caller.status, caller.error);
  // roomUid: the room's creation time, so the client keys its IndexedDB cache by incarnation
  // and a room deleted and re-created never merges an old chapter into the new one.
  const room = await context.rooms.rooms.get(caller.value.room);
  const seminar = room?.seminarId ? await context.stores.seminars.get(room.seminarId) : null;
  const account = caller.value.via === 'web' ? await context.stores.accounts.get(caller.value.userId) : null;
  sendJson(response, 200, {
    ...publicIdentity(caller.value),
    roomUid: room ? `${room.id}@${room.createdAt}` : null,
    // Everything this person wrote under: their annotations under any of these are their own.
    identities: [...identitiesOf(caller.value)],
    person: caller.value.via === 'web' ? { isGuest: account === null, email: account?.email ?? null } : null,
    seminar: seminar ? { id: seminar.id, title: seminar.title } : null,
    archived: room?.archivedAt !== null && room?.archivedAt !== undefined,
  });
}

/**
 * `GET /api/rooms/<room>/people?ids=a,b,…` → `{people: {<authorId>: {userId, name}}}`: for the
 * author ids asked about, those that belong to an account (its own, or a guest identity that
 * became part of it), with the account's user id and current name. The author filter and the
 * cards read authorship through it, so one person shows once.
 */
async function handlePeople({ request, response, params, query, context }: RouteRequest<HttpContext>): Promise<void> {
  const caller = await identifyForRoom(request, context.identity, params[0] ?? '');
  if (!caller.ok) return sendError(response, caller.status, caller.error);
  const ids = (query.get('ids') ?? '').split(',').filter((id) => /^[A-Za-z0-9_-]{1,64}$/.test(id)).slice(0, 500);
  sendJson(response, 200, { people: Object.fromEntries(await context.identity.people.linkedAuthors(ids)) });
}

/** `PUT /api/rooms/<room>/me` `{name}` → the identity with its new display name. */
async function handlePutMe({ request, response, params, context }: RouteRequest<HttpContext>): Promise<void> {
  const caller = await identifyForRoom(request, context.identity, params[0] ?? '');
  if (!caller.ok) return sendError(response, caller.status, caller.error);
  const body = await readJsonBody(request, 4096);
  if (!body.ok) return sendError(response, body.status, body.error);
  const name = validateDisplayName(body.value.name);
  if (!name.ok) return sendError(response, 400, name.error);
  sendJson(response, 200, publicIdentity(await context.identity.rename(caller.value, name.value)));
}

/** `POST /api/rooms/<room>/sessions` (Bearer invite) → 201 `{token, userId, role}`, for programs. */
async function handleCreateSession({ request, response, params, context }: RouteRequest<HttpContext>): Promise<void> {
  const room = params[0] ?? '';
  const invite = bearerToken(request);
  if (!invite) return sendError(response, 401, 'invite token required (Authorization: Bearer …)', { 'WWW-Authenticate': 'Bearer' });
  const resolved = await context.identity.resolveToken(invite);
  if (!resolved.ok || resolved.value.via !== 'invite') return sendError(response, 401, 'not a usable invite token');
  if (resolved.value.room !== room) return sendError(response, 403, 'invite is for another room');
  const created = await context.identity.createSession(invite);
  if (!created.ok) return sendError(response, 401, `${created.error} invite`);
  context.log.info('session.created', { room, role: created.value.session.role, user: created.value.session.userId, via: 'api' });
  sendJson(response, 201, { token: created.value.token, userId: created.value.session.userId, role: created.value.session.role });
}

/** Routes of the browser entry and of identity. */
export const identityRoutes: readonly Route<HttpContext>[] = [
  { method: 'GET', pattern: new RegExp(`^/r/${ROOM}$`), handle: handleRoomPage },
  { method: 'GET', pattern: new RegExp(`^/api/rooms/${ROOM}/me$`), handle: handleGetMe },
  { method: 'PUT', pattern: new RegExp(`^/api/rooms/${ROOM}/me$`), handle: handlePutMe },
  { method: 'POST', pattern: new RegExp(`^/api/rooms/${ROOM}/sessions$`), handle: handleCreateSession },
  { method: 'GET', pattern: new RegExp(`^/api/rooms/${ROOM}/people$`), handle: handlePeople },
];
