import type { IncomingMessage, ServerResponse } from 'node:http';
import { inviteRoutes } from '../access/invite-routes.ts';
import { hostRefusal } from '../access/host-policy.ts';
import { crossSiteRefusal } from '../access/origin-policy.ts';
import type { HttpContext } from './http-context.ts';
import { sendError, sendHtmlMessage } from './responses.ts';
import { matchRoute } from './router.ts';
import type { Route } from './router.ts';
import { authRoutes } from './routes-auth.ts';
import { chapterRoutes } from './routes-chapters.ts';
import { joinRoutes } from './routes-join.ts';
import { pageRoutes } from './routes-pages.ts';
import { seminarRoutes } from './routes-seminars.ts';
import { singleSignOnRoutes } from './routes-sso.ts';
import { healthRoutes } from './routes-health.ts';
import { identityRoutes } from './routes-identity.ts';
import { roomRoutes } from './routes-rooms.ts';
import { exportRoutes } from './routes-export.ts';
import { importRoutes } from './routes-import.ts';
import { iriRoutes } from './routes-iris.ts';
import { overviewRoutes } from './routes-overview.ts';
import { roundRoutes } from './routes-rounds.ts';
import { sendClientShell, serveStaticFile } from './static-files.ts';

/** The route table of the server. Later features add their route lists here. */
export const routes: readonly Route<HttpContext>[] = [...healthRoutes, ...roomRoutes, ...identityRoutes, ...exportRoutes, ...importRoutes, ...inviteRoutes, ...iriRoutes, ...authRoutes, ...seminarRoutes, ...joinRoutes, ...chapterRoutes, ...singleSignOnRoutes, ...pageRoutes, ...roundRoutes, ...overviewRoutes];

/** Serves GET/HEAD requests no route claims from the built client; `/` is the client shell. */
function serveStatic(request: IncomingMessage, response: ServerResponse, path: string, context: HttpContext): void {
  if (path === '/' || path === '/index.html') return sendClientShell(request, response, context.config.staticDir);
  serveStaticFile(request, response, context.config.staticDir, () => sendError(response, 404, 'not found'));
}

/**
 * Returns the node:http request listener: routes first (405 for a known path with another
 * method), then static files. A handler that throws gets a 500 and a log entry, never a crash.
 */
export function createRequestHandler(context: HttpContext, table: readonly Route<HttpContext>[] = routes) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    const rawUrl = request.url ?? '/';
    const queryStart = rawUrl.indexOf('?');
    const path = queryStart < 0 ? rawUrl : rawUrl.slice(0, queryStart);
    const query = new URLSearchParams(queryStart < 0 ? '' : rawUrl.slice(queryStart + 1));
    const method = request.method ?? 'GET';
    const fail = (error: unknown) => {
      context.log.error('http.handler-failed', { method, path, error });
      if (!response.headersSent) sendError(response, 500, 'internal error');
      else response.destroy();
    };
    const match = matchRoute(table, method, path);
    try {
      // DNS rebinding (issue 14): a request must name this server in its Host header.
      const misdirected = hostRefusal(request.headers.host, context.hosts);
      if (misdirected) return sendError(response, 421, misdirected);
      // A lost store (P5): nothing but health and the client's files, and a clear refusal.
      if (context.store.lost && path !== '/healthz' && (match.kind !== 'none' || (method !== 'GET' && method !== 'HEAD'))) {
        const message = 'This server’s database is missing; the operator has been told (see /healthz). Nothing can be opened or saved until it is restored.';
        return path.startsWith('/api/') ? sendError(response, 503, message) : sendHtmlMessage(response, 503, 'Database missing', message);
      }
      // CSRF: a state change from another site's page is refused before any route sees it.
      const crossSite = crossSiteRefusal(request, context.origins);
      if (crossSite) return sendError(response, 403, crossSite);
      if (match.kind === 'route') {
        const done = match.route.handle({ request, response, params: match.params, query, context });
        if (done) done.catch(fail);
      } else if (match.kind === 'method-not-allowed') {
        sendError(response, 405, `method ${method} not allowed`, { Allow: match.allowed.join(', ') });
      } else if (method === 'GET' || method === 'HEAD') {
        serveStatic(request, response, path, context);
      } else {
        sendError(response, 404, 'not found');
      }
    } catch (error) {
      fail(error);
    }
  };
}
