import { remoteAddressOf } from '../access/collab-guard.ts';
import { sessionCookieFor } from './session-cookie.ts';
import { validateDisplayName } from '../auth/display-name.ts';
import { absorbGuest } from '../auth/guest-merge.ts';
import { generateUserId } from '../auth/tokens.ts';
import { joinWithInvite, usableSeminarInvite } from '../seminars/seminar-invites.ts';
import type { HttpContext } from './http-context.ts';
import { readJsonBody } from './json-body.ts';
import { priorIdentityOf } from './request-person.ts';
import { sendError, sendJson } from './responses.ts';
import type { Route, RouteRequest } from './router.ts';

/**
 * Opening a seminar invite link (`/join/<token>`, the page calls these):
 *
 * - `GET /api/join/<token>` → the seminar, the role the link gives, and who this browser is now;
 * - `POST /api/join/<token>` `{as: "me"}` joins as the person this browser is (an account, a
 *   guest, or a room invite's guest, who keeps that room), or `{as: "guest", name}` as a new
 *   guest, who gets a browser session and may sign up later, keeping what they did.
 *
 * 404 for a link that is unknown, expired or revoked.
 */

const TOKEN = '([A-Za-z0-9_-]{16,128})';

/** `GET /api/join/<token>`. */
async function handleLookup({ request, response, params, context }: RouteRequest<HttpContext>): Promise<void> {
  const invite = await usableSeminarInvite(context.stores, params[0]!);
  if (!invite.ok) return sendError(response, invite.status, invite.error);
  const seminar = (await context.stores.seminars.get(invite.value.seminarId))!;
  const prior = await priorIdentityOf(request, context);
  const you = prior === null ? null : { kind: prior.kind, name: (await context.identity.people.person(prior.userId)).name, member: (await context.stores.seminars.memberRole(seminar.id, prior.userId)) !== null };
  sendJson(response, 200, { seminar: { id: seminar.id, title: seminar.title }, role: invite.value.role, label: invite.value.label, you });
}

/** `POST /api/join/<token>`. */
async function handleJoin({ request, response, params, context }: RouteRequest<HttpContext>): Promise<void> {
  const { stores, identity } = context;
  const invite = await usableSeminarInvite(stores, params[0]!);
  if (!invite.ok) return sendError(response, invite.status, invite.error);
  const body = await readJsonBody(request, 4096);
  if (!body.ok) return sendError(response, body.status, body.error);
  const prior = await priorIdentityOf(request, context);
  const now = Date.now();
  if (body.value.as === 'me') {
    if (prior === null) return sendError(response, 401, 'This browser is nobody yet: join as a guest, or sign in.');
    // A room invite's guest becomes a person with a browser session, keeping that room.
    const token = prior.kind === 'room-session' ? await identity.createWebSession(prior.userId, now) : null;
    const added = await stores.transaction(async (tx) => {
      if (prior.kind === 'room-session') await absorbGuest(tx, prior, prior.userId, now);
      return joinWithInvite(tx, invite.value, prior.userId, now);
    });
    context.log.info('seminar.joined', { seminar: invite.value.seminarId, user: prior.userId, as: prior.kind, added });
    const headers: Record<string, string> = token ? { 'Set-Cookie': sessionCookieFor(request, context, token) } : {};
    return sendJson(response, 200, { seminarId: invite.value.seminarId, userId: prior.userId, added }, headers);
  }
  if (body.value.as !== 'guest') return sendError(response, 400, 'as must be "me" or "guest"');
  // New guests are new people: as many per network address as sign-in attempts, no more.
  const limited = await context.accounts.admitAttempt(remoteAddressOf(request));
  if (limited) return sendError(response, limited.status, limited.error, { 'Retry-After': String(Math.ceil((limited.retryAfterMs ?? 60_000) / 1000)) });
  const name = validateDisplayName(body.value.name);
  if (!name.ok) return sendError(response, 400, name.error);
  const userId = generateUserId();
  const token = await stores.transaction(async (tx) => {
    await tx.profiles.setName(userId, name.value);
    await joinWithInvite(tx, invite.value, userId, now);
    return identity.createWebSession(userId, now);
  });
  context.log.info('seminar.joined', { seminar: invite.value.seminarId, user: userId, as: 'new-guest' });
  sendJson(response, 200, { seminarId: invite.value.seminarId, userId, added: true }, { 'Set-Cookie': sessionCookieFor(request, context, token) });
}

/** Routes of seminar invite links. */
export const joinRoutes: readonly Route<HttpContext>[] = [
  { method: 'GET', pattern: new RegExp(`^/api/join/${TOKEN}$`), handle: handleLookup },
  { method: 'POST', pattern: new RegExp(`^/api/join/${TOKEN}$`), handle: handleJoin },
];
