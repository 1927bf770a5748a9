import type { IncomingMessage } from 'node:http';
import type { HttpContext } from './http-context.ts';

/**
 * Where the server is reachable, for the addresses it hands out: exported IRIs and invite links.
 * PUBLIC_URL wins; without it, the origin the request was sent to (its Host header, over plain
 * HTTP, which is what this server speaks; behind a TLS proxy, set PUBLIC_URL).
 */

// A plain host[:port], or a bracketed IPv6 literal: nothing a client could smuggle a path into.
const PLAIN_HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/** The origin a request was sent to, from its Host header; null when it has none usable. */
export function requestOrigin(request: IncomingMessage): string | null {
  const host = request.headers.host;
  return host && PLAIN_HOST.test(host) ? `http://${host}` : null;
}

/**
 * The base of exported IRIs: PUBLIC_URL, else this request's own origin; null when neither is
 * known, so an export never names an address nobody used.
 */
export function exportBaseUrl(request: IncomingMessage, context: HttpContext): string | null {
  return context.config.publicUrl ?? requestOrigin(request);
}

/** The base of invite links: as for exports, falling back to the listening address. */
export function publicBaseUrl(request: IncomingMessage, context: HttpContext): string {
  return exportBaseUrl(request, context) ?? `http://${context.config.host}:${context.config.port}`;
}
