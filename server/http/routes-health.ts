import type { HttpContext } from './http-context.ts';
import { sendJson } from './responses.ts';
import type { Route, RouteRequest } from './router.ts';

/** `GET /healthz` → 200 `{ok, store, pendingUpdates, loadedDocs, connections, uptimeS}`. */
function handleHealth({ response, context }: RouteRequest<HttpContext>): void {
  const { collab } = context;
  sendJson(response, 200, {
    ok: true,
    store: collab.queue.failing ? 'failing' : 'ok',
    pendingUpdates: collab.queue.pendingCount,
    loadedDocs: [...collab.registry.docs()].length,
    connections: collab.connections().size,
    uptimeS: Math.round((Date.now() - context.startedAt) / 1000),
  });
}

/** The health route. */
export const healthRoutes: readonly Route<HttpContext>[] = [{ method: 'GET', pattern: /^\/healthz$/, handle: handleHealth }];
