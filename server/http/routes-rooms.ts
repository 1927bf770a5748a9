import { secretsEqual } from '../auth/tokens.ts';
import { createRoom } from '../rooms/create-room.ts';
import type { HttpContext } from './http-context.ts';
import { readJsonBody } from './json-body.ts';
import { bearerToken } from './request-auth.ts';
import { sendError, sendJson } from './responses.ts';
import type { Route, RouteRequest } from './router.ts';

const statusOfError = { invalid: 400, 'rejected-chapter': 400, exists: 409 } as const;

/** `POST /api/rooms` (Bearer admin token): `{id, title, text}` → 201 `{id, title, invites}`. */
async function handleCreateRoom({ request, response, context }: RouteRequest<HttpContext>): Promise<void> {
  const token = bearerToken(request);
  if (!token) return sendError(response, 401, 'admin token required (Authorization: Bearer …)', { 'WWW-Authenticate': 'Bearer' });
  if (!secretsEqual(token, context.adminToken)) return sendError(response, 403, 'not the admin token');
  const body = await readJsonBody(request, context.config.maxJsonBodyBytes);
  if (!body.ok) return sendError(response, body.status, body.error);
  const created = createRoom(context.rooms, { id: body.value.id, title: body.value.title, text: body.value.text });
  if (!created.ok) return sendError(response, statusOfError[created.error.kind], created.error.message);
  context.log.info('room.created', { room: created.value.id });
  sendJson(response, 201, created.value);
}

/** Routes of the admin room API. */
export const roomRoutes: readonly Route<HttpContext>[] = [{ method: 'POST', pattern: /^\/api\/rooms$/, handle: handleCreateRoom }];
