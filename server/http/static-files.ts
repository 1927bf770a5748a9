import type { IncomingMessage, ServerResponse } from 'node:http';
import sirv from 'sirv';
import { escapeHtml, setCommonHeaders, setHtmlHeaders } from './responses.ts';

/**
 * The built client (scripts/build-client.mjs → dist/client), served by sirv:
 *
 * - `/assets/…` have content-hashed names (a new build makes new names), so browsers keep them
 *   for a year without asking again (`immutable`): a repeat visit downloads only the room's state;
 * - everything else (`index.html`, the service worker) is revalidated on every use with its ETag,
 *   so a new build is picked up at once and an unchanged one costs a 304;
 * - each file goes out as its precompressed `.br` or `.gz` when the browser accepts one.
 *
 * Files are looked up on each request (sirv's `dev` mode), so a rebuild under a running server
 * is served correctly; a path outside the folder, or naming a dotfile, is never served.
 */

/** The URL folder of content-hashed files. */
const ASSETS_PREFIX = '/assets/';
const IMMUTABLE = 'public, max-age=31536000, immutable';

type FileServer = (request: IncomingMessage, response: ServerResponse, next: () => void) => void;
const servers = new Map<string, FileServer>();

function setFileHeaders(response: ServerResponse, pathname: string): void {
  if (pathname.endsWith('.html')) return setHtmlHeaders(response);
  setCommonHeaders(response);
  response.setHeader('Cache-Control', pathname.startsWith(ASSETS_PREFIX) ? IMMUTABLE : 'no-cache');
}

function fileServer(staticDir: string): FileServer {
  let server = servers.get(staticDir);
  if (!server) {
    server = sirv(staticDir, { dev: true, etag: true, brotli: true, gzip: true, extensions: [], dotfiles: false, setHeaders: setFileHeaders });
    servers.set(staticDir, server);
  }
  return server;
}

/**
 * Serves the file of `staticDir` that the request's path names (with the caching above), or
 * calls `onMissing` when there is none.
 */
export function serveStaticFile(request: IncomingMessage, response: ServerResponse, staticDir: string, onMissing: () => void): void {
  const path = (request.url ?? '/').split('?')[0] ?? '/';
  // Dotfiles and path tricks: nothing the build writes looks like this.
  if (path.split('/').some((part) => part.startsWith('.') || part.startsWith('%2e') || part.startsWith('%2E')) || path.includes('\\')) return onMissing();
  fileServer(staticDir)(request, response, onMissing);
}

/** The page served in place of the client while `npm run build` has not produced it. */
export function placeholderPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Apparatus</title></head>
<body><h1>Apparatus</h1>
<p>The server is running, but the browser client has not been built yet.</p>
<p>Run <code>${escapeHtml('npm run build')}</code> (or <code>npm start</code>, which builds it) and reload.</p>
</body></html>
`;
}

/** Serves the client shell (`index.html`, revalidated by ETag), or the placeholder page when it is missing. */
export function sendClientShell(request: IncomingMessage, response: ServerResponse, staticDir: string): void {
  // The shell answers every page of the app (`/`, `/r/<room>`): it is asked for by that path.
  const shellRequest = Object.create(request, { url: { value: '/index.html' } }) as IncomingMessage;
  serveStaticFile(shellRequest, response, staticDir, () => {
    const html = placeholderPage();
    setHtmlHeaders(response);
    response.writeHead(200, { 'Content-Length': Buffer.byteLength(html) });
    response.end(request.method === 'HEAD' ? undefined : html);
  });
}
