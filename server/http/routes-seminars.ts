import type { Role } from '../../schema/index.ts';
import { COLLAB_CLOSE, summarizeStoredInvite } from '../../schema/index.ts';
import { closeConnectionsWhere } from '../access/credential-sweeper.ts';
import { roomRoleOf } from '../access/room-roles.ts';
import type { WebPerson } from '../auth/identity.ts';
import type { SeminarRecord } from '../persistence/seminar-store.ts';
import { createSeminarInvite, revokeSeminarInvite } from '../seminars/seminar-invites.ts';
import { createSeminar, removeMember, renameSeminar, setChapterRole, setMemberRole } from '../seminars/seminars.ts';
import type { SeminarOutcome } from '../seminars/seminars.ts';
import type { HttpContext } from './http-context.ts';
import { readJsonBody } from './json-body.ts';
import { identifyAccount, identifyPerson } from './request-person.ts';
import { sendError, sendJson } from './responses.ts';
import type { Route, RouteRequest } from './router.ts';
import { publicBaseUrl } from './public-url.ts';

/**
 * Seminars over HTTP (docs/accounts-and-seminars.md): the home page's list, creating a
 * seminar, its page (chapters with their figures, roster, invite links), and the owners'
 * changes to members, per-chapter roles and invite links. Members see the seminar; owners
 * change it. A change to someone's access closes their open sockets in the seminar's chapters
 * at once when it takes the access away or changes the role (and the credential sweep would
 * within a second anyway).
 */

const SEMINAR = '([a-z0-9-]{1,64})';
const USER = '([A-Za-z0-9_-]{1,64})';
const BODY_LIMIT = 8192;

/** A seminar and the caller's role in it. */
interface SeminarCaller {
  person: WebPerson;
  seminar: SeminarRecord;
  role: Role;
}

/** Identifies a member of the seminar in the path (owners only when `ownerOnly`); answers refusals itself. */
async function memberOf(route: RouteRequest<HttpContext>, ownerOnly: boolean): Promise<SeminarCaller | null> {
  const { request, response, params, context } = route;
  const person = await identifyPerson(request, context);
  if (!person.ok) {
    sendError(response, person.status, person.error);
    return null;
  }
  const seminar = await context.stores.seminars.get(params[0] ?? '');
  const role = seminar ? await context.stores.seminars.memberRole(seminar.id, person.value.userId) : null;
  // Not a member: 404 rather than 403, so a seminar's existence is not told to outsiders.
  if (!seminar || role === null) {
    sendError(response, 404, 'No such seminar (or you are not a member of it).');
    return null;
  }
  if (ownerOnly && role !== 'owner') {
    sendError(response, 403, `Only the seminar's owners change it (you are ${role}).`);
    return null;
  }
  return { person: person.value, seminar, role };
}

/** Answers a seminar outcome: `body(value)` with `status`, or the refusal. */
function answer<T>(route: RouteRequest<HttpContext>, outcome: SeminarOutcome<T>, body: (value: T) => unknown, status = 200): void {
  if (!outcome.ok) return sendError(route.response, outcome.status, outcome.error);
  sendJson(route.response, status, body(outcome.value));
}

/**
 * Re-checks the open sockets of `userId` in the seminar's chapters and closes those whose
 * access ended or whose role changed (4403): removed members lose their sockets at once, here
 * and (told now, and sweeping every second anyway) on the other server processes.
 */
async function recheckSockets(context: HttpContext, seminarId: string, userId: string): Promise<number> {
  context.accessChanged();
  const rooms = new Set((await context.stores.rooms.listForSeminar(seminarId)).map((room) => room.id));
  let closed = 0;
  for (const connection of [...context.collab.connections()]) {
    const { session } = connection;
    if (!connection.open || session.via !== 'web' || session.userId !== userId || !rooms.has(session.room)) continue;
    const problem = await context.identity.recheck(session);
    if (!problem) continue;
    closed += closeConnectionsWhere([connection], () => true, COLLAB_CLOSE[problem.code], problem.reason);
  }
  return closed;
}

/** `GET /api/seminars`: my seminars, the rooms I was given by room invites, and (administrators) rooms in no seminar. */
async function handleList({ request, response, context }: RouteRequest<HttpContext>): Promise<void> {
  const person = await identifyPerson(request, context);
  if (!person.ok) return sendError(response, person.status, person.error);
  const { stores } = context;
  const seminars = (await stores.seminars.listForUser(person.value.userId)).map((s) => ({ ...s, lastActivityAt: s.lastActivityAt === null ? null : new Date(s.lastActivityAt).toISOString() }));
  const now = Date.now();
  const shared = new Map<string, { id: string; title: string; role: Role }>();
  for (const grant of await stores.grants.forUser(person.value.userId)) {
    const room = await stores.rooms.get(grant.room);
    const role = room ? await roomRoleOf(stores, { userId: person.value.userId, isAdmin: false }, room, now) : null;
    if (room && role && role.inviteHash !== null) shared.set(room.id, { id: room.id, title: room.title, role: role.role });
  }
  const unfiled = person.value.account?.isAdmin ? (await stores.rooms.listUnfiled()).map((room) => ({ id: room.id, title: room.title, createdAt: new Date(room.createdAt).toISOString() })) : [];
  sendJson(response, 200, { seminars, sharedRooms: [...shared.values()], unfiledRooms: unfiled });
}

/** `POST /api/seminars` `{title}` → 201 `{seminar}`: anyone with an account; they become its owner. */
async function handleCreate(route: RouteRequest<HttpContext>): Promise<void> {
  const { request, response, context } = route;
  const person = await identifyAccount(request, context);
  if (!person.ok) return sendError(response, person.status, person.error);
  const body = await readJsonBody(request, BODY_LIMIT);
  if (!body.ok) return sendError(response, body.status, body.error);
  const created = await createSeminar(context.stores, person.value.userId, body.value.title);
  if (created.ok) context.log.info('seminar.created', { seminar: created.value.id, by: person.value.userId });
  answer(route, created, (seminar) => ({ seminar: { id: seminar.id, title: seminar.title } }), 201);
}

/** The seminar page: chapters with figures and the caller's role in each, the roster, and (owners) invite links and per-chapter roles. */
async function seminarView(context: HttpContext, caller: SeminarCaller): Promise<Record<string, unknown>> {
  const { stores } = context;
  const { seminar, person, role } = caller;
  const owner = role === 'owner';
  const now = Date.now();
  const chapters = [];
  for (const room of await stores.rooms.listForSeminar(seminar.id)) {
    const figures = await context.roomStats.figuresOf(room.id);
    chapters.push({
      id: room.id,
      title: room.title,
      archived: room.archivedAt !== null,
      yourRole: (await roomRoleOf(stores, { userId: person.userId, isAdmin: false }, room, now))?.role ?? null,
      annotations: figures.annotations,
      openProblems: figures.openProblems,
      lastActivityAt: figures.lastActivityAt === null ? null : new Date(figures.lastActivityAt).toISOString(),
    });
  }
  const overrides = owner ? await stores.seminars.chapterRoles(seminar.id) : [];
  const members = [];
  for (const member of await stores.seminars.members(seminar.id)) {
    members.push({
      userId: member.userId,
      name: member.name ?? (await context.identity.people.person(member.userId)).name,
      role: member.role,
      isGuest: !member.isAccount,
      joinedAt: new Date(member.joinedAt).toISOString(),
      ...(owner ? { email: member.email, chapterRoles: Object.fromEntries(overrides.filter((o) => o.userId === member.userId).map((o) => [o.room, o.role])) } : {}),
    });
  }
  const invites = owner ? (await stores.seminarInvites.listForSeminar(seminar.id)).map((invite) => summarizeStoredInvite(invite, now)) : null;
  return { seminar: { id: seminar.id, title: seminar.title, createdAt: new Date(seminar.createdAt).toISOString() }, you: { userId: person.userId, role, isGuest: person.account === null }, chapters, members, invites };
}

/** `GET /api/seminars/<id>`: the seminar page. */
async function handleGet(route: RouteRequest<HttpContext>): Promise<void> {
  const caller = await memberOf(route, false);
  if (caller) sendJson(route.response, 200, await seminarView(route.context, caller));
}

/** `PUT /api/seminars/<id>` `{title}`: renames the seminar (owners). */
async function handleRename(route: RouteRequest<HttpContext>): Promise<void> {
  const caller = await memberOf(route, true);
  if (!caller) return;
  const body = await readJsonBody(route.request, BODY_LIMIT);
  if (!body.ok) return sendError(route.response, body.status, body.error);
  answer(route, await renameSeminar(route.context.stores, caller.seminar.id, body.value.title), (title) => ({ seminar: { id: caller.seminar.id, title } }));
}

/** `PUT /api/seminars/<id>/members/<user>` `{role}`: another seminar role (owners). */
async function handleMemberRole(route: RouteRequest<HttpContext>): Promise<void> {
  const caller = await memberOf(route, true);
  if (!caller) return;
  const body = await readJsonBody(route.request, BODY_LIMIT);
  if (!body.ok) return sendError(route.response, body.status, body.error);
  const userId = route.params[1]!;
  const outcome = await setMemberRole(route.context.stores, caller.seminar.id, userId, body.value.role);
  const closedConnections = outcome.ok ? await recheckSockets(route.context, caller.seminar.id, userId) : 0;
  if (outcome.ok) route.context.log.info('seminar.member-role', { seminar: caller.seminar.id, user: userId, role: outcome.value, by: caller.person.userId, closedConnections });
  answer(route, outcome, (role) => ({ member: { userId, role }, closedConnections }));
}

/** `DELETE /api/seminars/<id>/members/<user>`: removes a member (owners; anyone may remove themselves). */
async function handleRemoveMember(route: RouteRequest<HttpContext>): Promise<void> {
  const userId = route.params[1]!;
  const caller = await memberOf(route, false);
  if (!caller) return;
  if (caller.role !== 'owner' && userId !== caller.person.userId) return sendError(route.response, 403, 'Only the seminar’s owners remove members.');
  const outcome = await removeMember(route.context.stores, caller.seminar.id, userId);
  const closedConnections = outcome.ok ? await recheckSockets(route.context, caller.seminar.id, userId) : 0;
  if (outcome.ok) route.context.log.info('seminar.member-removed', { seminar: caller.seminar.id, user: userId, by: caller.person.userId, closedConnections });
  answer(route, outcome, () => ({ removed: userId, closedConnections }));
}

/** `PUT /api/seminars/<id>/members/<user>/chapters/<room>` `{role: Role | null}`: a per-chapter role (owners). */
async function handleChapterRole(route: RouteRequest<HttpContext>): Promise<void> {
  const caller = await memberOf(route, true);
  if (!caller) return;
  const body = await readJsonBody(route.request, BODY_LIMIT);
  if (!body.ok) return sendError(route.response, body.status, body.error);
  const [, userId, room] = route.params as [string, string, string];
  const outcome = await setChapterRole(route.context.stores, caller.seminar.id, room, userId, body.value.role ?? null);
  const closedConnections = outcome.ok ? await recheckSockets(route.context, caller.seminar.id, userId) : 0;
  answer(route, outcome, (role) => ({ chapterRole: { userId, room, role }, closedConnections }));
}

/** `POST /api/seminars/<id>/invites` `{role, label?, expiresInSeconds?|expiresAt?}` → 201 `{invite, token, url}` (owners). */
async function handleCreateInvite(route: RouteRequest<HttpContext>): Promise<void> {
  const caller = await memberOf(route, true);
  if (!caller) return;
  const body = await readJsonBody(route.request, BODY_LIMIT);
  if (!body.ok) return sendError(route.response, body.status, body.error);
  const created = await createSeminarInvite(route.context.stores, caller.seminar.id, caller.person.userId, body.value);
  if (created.ok) route.context.log.info('seminar.invite-created', { seminar: caller.seminar.id, id: created.value.invite.id, role: created.value.invite.role, by: caller.person.userId });
  const base = publicBaseUrl(route.request, route.context);
  answer(route, created, ({ token, invite }) => ({ invite, token, url: `${base}/join/${token}` }), 201);
}

/** `DELETE /api/seminars/<id>/invites/<invite>`: the link admits nobody from now on (owners). */
async function handleRevokeInvite(route: RouteRequest<HttpContext>): Promise<void> {
  const caller = await memberOf(route, true);
  if (!caller) return;
  const outcome = await revokeSeminarInvite(route.context.stores, caller.seminar.id, route.params[1]!);
  if (outcome.ok) route.context.log.info('seminar.invite-revoked', { seminar: caller.seminar.id, id: outcome.value.id, by: caller.person.userId });
  answer(route, outcome, (invite) => ({ invite }));
}

/** Routes of seminars, their members and invite links. */
export const seminarRoutes: readonly Route<HttpContext>[] = [
  { method: 'GET', pattern: /^\/api\/seminars$/, handle: handleList },
  { method: 'POST', pattern: /^\/api\/seminars$/, handle: handleCreate },
  { method: 'GET', pattern: new RegExp(`^/api/seminars/${SEMINAR}$`), handle: handleGet },
  { method: 'PUT', pattern: new RegExp(`^/api/seminars/${SEMINAR}$`), handle: handleRename },
  { method: 'PUT', pattern: new RegExp(`^/api/seminars/${SEMINAR}/members/${USER}$`), handle: handleMemberRole },
  { method: 'DELETE', pattern: new RegExp(`^/api/seminars/${SEMINAR}/members/${USER}$`), handle: handleRemoveMember },
  { method: 'PUT', pattern: new RegExp(`^/api/seminars/${SEMINAR}/members/${USER}/chapters/([a-z0-9-]{1,64})$`), handle: handleChapterRole },
  { method: 'POST', pattern: new RegExp(`^/api/seminars/${SEMINAR}/invites$`), handle: handleCreateInvite },
  { method: 'DELETE', pattern: new RegExp(`^/api/seminars/${SEMINAR}/invites/([0-9a-f]{1,64})$`), handle: handleRevokeInvite },
];
