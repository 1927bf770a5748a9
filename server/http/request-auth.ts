import type { IncomingMessage } from 'node:http';
import { readCookie, SESSION_COOKIE } from '../auth/cookies.ts';
import type { IdentityService, Session } from '../auth/identity.ts';

/** An identity, or the status (401/403) and message that refuse the request. */
export type RequestIdentity = { ok: true; value: Session } | { ok: false; status: 401 | 403; error: string };

/** Returns the token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(request: IncomingMessage): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

/** The caller's credential: a Bearer token, else the session cookie, else null. */
export function requestToken(request: IncomingMessage): string | null {
  return bearerToken(request) ?? readCookie(request.headers.cookie, SESSION_COOKIE);
}

/**
 * Identifies the caller of a room's API: a bearer token (invite, room session or browser
 * session) or else the session cookie. 401 without a usable credential, 403 when it gives no
 * access to this room (another room's token, or a person who is not a member).
 */
export async function identifyForRoom(request: IncomingMessage, identity: IdentityService, room: string): Promise<RequestIdentity> {
  const token = requestToken(request);
  if (!token) return { ok: false, status: 401, error: 'missing credentials: send an invite or session token as Bearer, or a session cookie' };
  const resolved = await identity.resolveForRoom(token, room);
  if (resolved.ok) return resolved;
  if (resolved.error === 'forbidden') return { ok: false, status: 403, error: 'your credentials give no access to this room' };
  return { ok: false, status: 401, error: `${resolved.error} token` };
}
