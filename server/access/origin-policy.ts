import type { IncomingMessage } from 'node:http';
import { readCookie, SESSION_COOKIE } from '../auth/cookies.ts';

/**
 * Which web origins may drive this server from a browser: open collaboration sockets
 * (cross-site WebSocket hijacking) and make state-changing requests (CSRF). Browsers always
 * send `Origin` on WebSocket upgrades and on POST/PUT/DELETE; programs usually send none and
 * authenticate with a Bearer token, which no other site can make a browser send.
 */
export interface OriginPolicy {
  /** Whether a browser page of `origin` may talk to this server through `request`. */
  allows(origin: string, request: IncomingMessage): boolean;
}

/** Returns `scheme://host[:port]` of an Origin header value, or null for `null` and garbage. */
function normalisedOrigin(origin: string): URL | null {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

/**
 * Returns the origin policy. With an explicit list (ALLOWED_ORIGINS) exactly those origins are
 * allowed. Without one, only the server's own origin: a page whose host and port are the ones
 * the request was sent to (the Host header), i.e. a page this server served.
 */
export function createOriginPolicy(allowedOrigins: readonly string[] | null): OriginPolicy {
  const listed = allowedOrigins ? new Set(allowedOrigins) : null;
  return {
    allows(origin, request) {
      const url = normalisedOrigin(origin);
      if (!url) return false;
      if (listed) return listed.has(url.origin);
      const host = request.headers.host?.toLowerCase();
      return host !== undefined && url.host === host;
    },
  };
}

const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Returns why a state-changing HTTP request must be refused (403), or null. A request with a
 * foreign `Origin` is refused; a request without one is refused only when a session cookie is
 * its credential, since only a browser sends that and a browser would have sent an Origin.
 */
export function crossSiteRefusal(request: IncomingMessage, policy: OriginPolicy): string | null {
  if (SAFE_METHODS.has(request.method ?? 'GET')) return null;
  const origin = request.headers.origin;
  if (origin !== undefined) return policy.allows(origin, request) ? null : `requests from ${JSON.stringify(origin.slice(0, 100))} are not allowed (cross-site)`;
  const bearer = /^Bearer\s/i.test(request.headers.authorization ?? '');
  if (!bearer && readCookie(request.headers.cookie, SESSION_COOKIE) !== null) {
    return 'a state-changing request authenticated by the session cookie must carry an Origin header';
  }
  return null;
}

/** Returns why a WebSocket upgrade must be refused (403), or null: a present, foreign Origin. */
export function upgradeOriginRefusal(request: IncomingMessage, policy: OriginPolicy): string | null {
  const origin = request.headers.origin;
  if (origin === undefined || policy.allows(origin, request)) return null;
  return `WebSocket from ${JSON.stringify(origin.slice(0, 100))} refused (cross-site)`;
}
