import type { IncomingMessage } from 'node:http';
import { reachedOverHttps, sessionCookie } from '../auth/cookies.ts';
import type { HttpContext } from './http-context.ts';

/**
 * The Set-Cookie value of a new session for this request: Secure when the browser came over https
 * (PUBLIC_URL, TLS, or a trusted proxy: issue 14, attack 7), as long as sessions live.
 */
export function sessionCookieFor(request: IncomingMessage, context: HttpContext, token: string): string {
  return sessionCookie(token, context.identity.sessionTtlMs, { secure: reachedOverHttps(request, context.config) });
}
