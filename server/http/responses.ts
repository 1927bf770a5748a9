import type { ServerResponse } from 'node:http';
import { escapeHtml } from '../../schema/index.ts';

/**
 * The Content-Security-Policy of every HTML response: only the server's own scripts, styles,
 * workers and sockets (CSP3 `'self'` covers ws:/wss: to the same host, so an injected script
 * cannot open a socket to anywhere else); no inline code, plugins, base rewriting, foreign form
 * targets or framing.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Sets the headers every response carries: no MIME sniffing, no referrer (invite links hold tokens). */
export function setCommonHeaders(res: ServerResponse): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
}

/** Sets the headers of an HTML response: the strict CSP and no caching of the shell. */
export function setHtmlHeaders(res: ServerResponse): void {
  setCommonHeaders(res);
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache');
}

/** Sends a JSON body with a status; API responses are never cached. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendJsonBytes(res, status, JSON.stringify(body), headers);
}

/** Sends a JSON body already serialised (as text, or as UTF-8 bytes from a worker thread) as `sendJson` sends one. */
export function sendJsonBytes(res: ServerResponse, status: number, text: string | Uint8Array, headers: Record<string, string> = {}): void {
  setCommonHeaders(res);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': typeof text === 'string' ? Buffer.byteLength(text) : text.byteLength,
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

/** Sends `{error: message}` with a status. */
export function sendError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { error: message }, headers);
}

// One HTML escaper for the server's pages and the printable export (schema).
export { escapeHtml };

/** Sends a small HTML page (title and one paragraph, both escaped) with the HTML headers. */
export function sendHtmlMessage(res: ServerResponse, status: number, title: string, message: string): void {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · Apparatus</title></head>
<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>
`;
  setHtmlHeaders(res);
  res.writeHead(status, { 'Content-Length': Buffer.byteLength(html) });
  res.end(html);
}
