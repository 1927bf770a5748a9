import type { IncomingMessage } from 'node:http';
import { can, roundIsBlind, roundLayerName } from '../../schema/index.ts';
import type { RoundSummary } from '../../schema/index.ts';
import type { Session } from '../auth/identity.ts';
import { isStaffRole, visibleLayers } from '../rounds/round-access.ts';
import type { HttpContext } from './http-context.ts';
import { readJsonBody } from './json-body.ts';
import { identifyForRoom } from './request-auth.ts';
import { sendError, sendJson } from './responses.ts';
import type { Route, RouteRequest } from './router.ts';

/**
 * Blind rounds over HTTP (docs/seminar-view.md):
 * - `GET /api/rooms/<room>/round` (any role): the latest round and what the caller sees in it.
 * - `GET /api/rooms/<room>/rounds` (owner, reviewer): every round, newest first.
 * - `POST /api/rooms/<room>/rounds` `{showStaff?}` (owner): starts a round; 409 when one runs.
 * - `POST /api/rooms/<room>/rounds/<id>/reveal` (owner): merges the layers into the shared one.
 * - `POST /api/rooms/<room>/rounds/<id>/end` (owner): ends it unrevealed.
 */

const ROOM = '([a-z0-9-]{1,64})';
const ROUND = '([1-9][0-9]{0,15})';

type Caller = { ok: true; session: Session } | { ok: false };

/** Identifies the caller and checks the room exists; answers the refusal itself. */
async function callerOf({ request, response, params, context }: RouteRequest<HttpContext>, action: 'read' | 'view-overview' | 'lead-rounds'): Promise<Caller> {
  const room = params[0]!;
  const caller = await identifyForRoom(request, context.identity, room);
  if (!caller.ok) return sendError(response, caller.status, caller.error), { ok: false };
  if (!(await context.rooms.rooms.get(room))) return sendError(response, 404, `no room "${room}"`), { ok: false };
  if (!can(caller.value.role, action)) {
    const what = action === 'lead-rounds' ? "only the room's owner runs blind rounds" : 'only the owner and reviewers see the rounds';
    return sendError(response, 403, `${what} (you are ${caller.value.role})`), { ok: false };
  }
  return { ok: true, session: caller.value };
}

/** The round as the caller may know it: participants named only where the caller may open their layers. */
async function roundView(context: HttpContext, round: RoundSummary, session: Session) {
  const participants = await context.rounds.participants(round.id);
  const layers = visibleLayers(round, participants, session);
  const shown = session.role === 'owner' ? participants : participants.filter((p) => layers.includes(p.userId) && (p.userId === session.userId || isStaffRole(p.role)));
  const own = layers.includes(session.userId) ? roundLayerName(round.room, round.id, session.userId) : null;
  return {
    round,
    participants: shown,
    you: {
      layer: own,
      writable: own !== null && round.state === 'open',
      layers: layers.map((userId) => ({ userId, name: roundLayerName(round.room, round.id, userId) })),
      sharedHidden: roundIsBlind(round.state) && session.role === 'annotator',
    },
  };
}

async function handleCurrent(route: RouteRequest<HttpContext>): Promise<void> {
  const caller = await callerOf(route, 'read');
  if (!caller.ok) return;
  const round = await route.context.rounds.latest(route.params[0]!);
  if (!round) return sendJson(route.response, 200, { round: null, participants: [], you: { layer: null, writable: false, layers: [], sharedHidden: false } });
  sendJson(route.response, 200, await roundView(route.context, round, caller.session));
}

async function handleList(route: RouteRequest<HttpContext>): Promise<void> {
  if (!(await callerOf(route, 'view-overview')).ok) return;
  sendJson(route.response, 200, { rounds: await route.context.rounds.list(route.params[0]!) });
}

async function readShowStaff(request: IncomingMessage, limit: number): Promise<{ ok: true; value: boolean } | { ok: false; status: number; error: string }> {
  if (request.headers['content-length'] === '0' || (request.headers['content-type'] === undefined && request.headers['content-length'] === undefined)) return { ok: true, value: false };
  const body = await readJsonBody(request, limit);
  if (!body.ok) return body;
  const showStaff = body.value.showStaff ?? false;
  if (typeof showStaff !== 'boolean') return { ok: false, status: 400, error: 'showStaff must be true or false' };
  return { ok: true, value: showStaff };
}

async function handleStart(route: RouteRequest<HttpContext>): Promise<void> {
  const caller = await callerOf(route, 'lead-rounds');
  if (!caller.ok) return;
  const showStaff = await readShowStaff(route.request, route.context.config.maxJsonBodyBytes);
  if (!showStaff.ok) return sendError(route.response, showStaff.status, showStaff.error);
  const started = await route.context.rounds.start(route.params[0]!, caller.session, showStaff.value);
  if (!started.ok) return sendError(route.response, started.status, started.error);
  sendJson(route.response, 201, await roundView(route.context, started.value, caller.session));
}

async function handleReveal(route: RouteRequest<HttpContext>): Promise<void> {
  const caller = await callerOf(route, 'lead-rounds');
  if (!caller.ok) return;
  const revealed = await route.context.rounds.reveal(route.params[0]!, Number(route.params[1]));
  if (!revealed.ok) return sendError(route.response, revealed.status, revealed.error);
  sendJson(route.response, 200, { ...(await roundView(route.context, revealed.value.round, caller.session)), merged: revealed.value.merged, revealed: revealed.value.revealed });
}

async function handleEnd(route: RouteRequest<HttpContext>): Promise<void> {
  const caller = await callerOf(route, 'lead-rounds');
  if (!caller.ok) return;
  const ended = await route.context.rounds.end(route.params[0]!, Number(route.params[1]));
  if (!ended.ok) return sendError(route.response, ended.status, ended.error);
  sendJson(route.response, 200, await roundView(route.context, ended.value, caller.session));
}

/** Routes of blind rounds. */
export const roundRoutes: readonly Route<HttpContext>[] = [
  { method: 'GET', pattern: new RegExp(`^/api/rooms/${ROOM}/round$`), handle: handleCurrent },
  { method: 'GET', pattern: new RegExp(`^/api/rooms/${ROOM}/rounds$`), handle: handleList },
  { method: 'POST', pattern: new RegExp(`^/api/rooms/${ROOM}/rounds$`), handle: handleStart },
  { method: 'POST', pattern: new RegExp(`^/api/rooms/${ROOM}/rounds/${ROUND}/reveal$`), handle: handleReveal },
  { method: 'POST', pattern: new RegExp(`^/api/rooms/${ROOM}/rounds/${ROUND}/end$`), handle: handleEnd },
];
