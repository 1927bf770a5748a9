import { secretsEqual } from '../auth/tokens.ts';
import type { RoomOutcome } from '../heavy/heavy-jobs.ts';
import { storePreparedRoom } from '../rooms/create-room.ts';
import type { HttpContext } from './http-context.ts';
import { sendHeavyFailure } from './heavy-responses.ts';
import { readBodyBytes } from './json-body.ts';
import { bearerToken } from './request-auth.ts';
import { sendError, sendJson } from './responses.ts';
import type { Route, RouteRequest } from './router.ts';

/**
 * `POST /api/rooms` (Bearer admin token): `{id, title, text}` → 201 `{id, title, invites}`. The
 * body is parsed and the chapter imported in a worker thread (a long chapter takes a second:
 * issue 14, P4); storing the room is one transaction here.
 */
async function handleCreateRoom({ request, response, context }: RouteRequest<HttpContext>): Promise<void> {
  const token = bearerToken(request);
  if (!token) return sendError(response, 401, 'admin token required (Authorization: Bearer …)', { 'WWW-Authenticate': 'Bearer' });
  if (!secretsEqual(token, context.adminToken)) return sendError(response, 403, 'not the admin token');
  const body = await readBodyBytes(request, context.config.maxJsonBodyBytes);
  if (!body.ok) return sendError(response, body.status, body.error);
  let outcome: RoomOutcome;
  try {
    outcome = await context.heavy.runRoom('admin', { body: body.bytes });
  } catch (error) {
    return sendHeavyFailure(response, error, context);
  }
  if (outcome.kind === 'refused') return sendError(response, outcome.status, outcome.message);
  const created = await storePreparedRoom(context.rooms, outcome.room);
  if (!created.ok) return sendError(response, 409, created.error.message);
  context.log.info('room.created', { room: created.value.id });
  sendJson(response, 201, created.value);
}

/** Routes of the admin room API. */
export const roomRoutes: readonly Route<HttpContext>[] = [{ method: 'POST', pattern: /^\/api\/rooms$/, handle: handleCreateRoom }];

