import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/** Name of the browser session cookie. */
export const SESSION_COOKIE = 'ap_session';

/** Returns the value of one cookie from a Cookie header, or null. Malformed pairs are skipped. */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const pair of header.split(';')) {
    const separator = pair.indexOf('=');
    if (separator < 0) continue;
    if (pair.slice(0, separator).trim() !== name) continue;
    const value = pair.slice(separator + 1).trim();
    try {
      return decodeURIComponent(value);
    } catch {
      return null;
    }
  }
  return null;
}

/** What decides whether a request reached the server over https (from ServerConfig). */
export interface HttpsSettings {
  /** PUBLIC_URL: an https address means people always reach the server over https. */
  publicUrl: string | null;
  /** TRUST_PROXY: the reverse proxy in front says truthfully, in X-Forwarded-Proto, how it was reached. */
  trustProxy: boolean;
}

/**
 * Whether the browser reached the server over https (issue 14, attack 7): the public address is
 * https, or the request came over TLS, or a trusted proxy received it over https (the first
 * value of X-Forwarded-Proto, which only a trusted proxy may set; anyone else can send it).
 */
export function reachedOverHttps(request: IncomingMessage, settings: HttpsSettings): boolean {
  if (settings.publicUrl?.startsWith('https:')) return true;
  if ((request.socket as TLSSocket).encrypted) return true;
  if (!settings.trustProxy) return false;
  const forwarded = request.headers['x-forwarded-proto'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim().toLowerCase();
  return first === 'https';
}

/**
 * Returns the Set-Cookie value of a session: HttpOnly, SameSite=Lax, whole site, `maxAgeMs` long,
 * and Secure when the browser reached the server over https (`reachedOverHttps`), so that it is
 * never sent over plain http from then on. Plain http on loopback (development) keeps working.
 */
export function sessionCookie(token: string, maxAgeMs: number, { secure = false }: { secure?: boolean } = {}): string {
  return `${SESSION_COOKIE}=${encodeURIComponent(token)}; HttpOnly;${secure ? ' Secure;' : ''} SameSite=Lax; Path=/; Max-Age=${Math.floor(maxAgeMs / 1000)}`;
}

/** Returns the Set-Cookie value that removes the session cookie (sign out). */
export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0`;
}
