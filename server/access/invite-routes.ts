import { can } from '../../schema/index.ts';
import type { Session } from '../auth/identity.ts';
import type { HttpContext } from '../http/http-context.ts';
import { readJsonBody } from '../http/json-body.ts';
import { identifyForRoom } from '../http/request-auth.ts';
import { sendError, sendJson } from '../http/responses.ts';
import type { Route, RouteRequest } from '../http/router.ts';
import { publicBaseUrl } from '../http/public-url.ts';
import { closeConnectionsOfInvite } from './credential-sweeper.ts';
import { createInvite, findInvite, parseNewInvite, summarizeInvite } from './invite-records.ts';

/**
 * The owner's invite API:
 *
 * - `GET /api/rooms/<room>/invites` → 200 `{invites: [{id, role, label, createdAt, expiresAt, state, yours}]}`
 * - `POST /api/rooms/<room>/invites` `{role, label?, expiresInSeconds? | expiresAt?}` → 201
 *   `{invite, token, url}` (the token is shown once; only its hash is stored)
 * - `DELETE /api/rooms/<room>/invites/<id>` → 200 `{invite, closedConnections}`; the invite and
 *   every session made from it stop working, and their open sockets are closed (4401) at once.
 *
 * Owner only (403 otherwise); 401 without credentials. Cross-site requests are refused before
 * they get here (origin policy).
 */

const ROOM = '([a-z0-9-]{1,64})';

/** Identifies the caller and checks they may manage invites; answers the refusal itself. */
async function ownerOf({ request, response, params, context }: RouteRequest<HttpContext>): Promise<Session | null> {
  const caller = await identifyForRoom(request, context.identity, params[0] ?? '');
  if (!caller.ok) {
    sendError(response, caller.status, caller.error);
    return null;
  }
  if (!can(caller.value.role, 'manage-invites')) {
    sendError(response, 403, `only the room's owner manages invites (you are ${caller.value.role})`);
    return null;
  }
  return caller.value;
}

async function handleList(route: RouteRequest<HttpContext>): Promise<void> {
  const owner = await ownerOf(route);
  if (!owner) return;
  const now = Date.now();
  const invites = (await route.context.rooms.invites.listForRoom(owner.room)).map((invite) => ({ ...summarizeInvite(invite, now), yours: invite.tokenHash === owner.inviteHash }));
  sendJson(route.response, 200, { invites });
}

async function handleCreate(route: RouteRequest<HttpContext>): Promise<void> {
  const owner = await ownerOf(route);
  if (!owner) return;
  const { request, response, context } = route;
  const body = await readJsonBody(request, 4096);
  if (!body.ok) return sendError(response, body.status, body.error);
  const now = Date.now();
  const parsed = parseNewInvite(body.value, now);
  if (!parsed.ok) return sendError(response, 400, parsed.error);
  const { token, summary } = await createInvite(context.rooms.invites, owner.room, parsed.value, now);
  context.log.info('invite.created', { room: owner.room, id: summary.id, role: summary.role, by: owner.userId, expiresAt: summary.expiresAt });
  const url = `${publicBaseUrl(request, context)}/r/${owner.room}?invite=${encodeURIComponent(token)}`;
  sendJson(response, 201, { invite: { ...summary, yours: false }, token, url });
}

async function handleRevoke(route: RouteRequest<HttpContext>): Promise<void> {
  const owner = await ownerOf(route);
  if (!owner) return;
  const { response, params, context } = route;
  const invite = await findInvite(context.rooms.invites, owner.room, params[1] ?? '');
  if (!invite) return sendError(response, 404, `no invite ${JSON.stringify(params[1])} in this room`);
  if (invite.tokenHash === owner.inviteHash) return sendError(response, 409, 'you cannot revoke the invite you are signed in with');
  await context.rooms.invites.revoke(invite.tokenHash);
  context.accessChanged();
  const closedConnections = closeConnectionsOfInvite(context.collab.connections(), invite.tokenHash, 'invite revoked');
  const summary = summarizeInvite({ ...invite, revoked: true }, Date.now());
  context.log.info('invite.revoked', { room: owner.room, id: summary.id, by: owner.userId, closedConnections });
  sendJson(response, 200, { invite: { ...summary, yours: false }, closedConnections });
}

/** Routes of the owner's invite API. */
export const inviteRoutes: readonly Route<HttpContext>[] = [
  { method: 'GET', pattern: new RegExp(`^/api/rooms/${ROOM}/invites$`), handle: handleList },
  { method: 'POST', pattern: new RegExp(`^/api/rooms/${ROOM}/invites$`), handle: handleCreate },
  { method: 'DELETE', pattern: new RegExp(`^/api/rooms/${ROOM}/invites/([0-9a-f]{1,64})$`), handle: handleRevoke },
];
