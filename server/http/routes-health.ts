import type { HttpContext } from './http-context.ts';
import { sendJson } from './responses.ts';
import type { Route, RouteRequest } from './router.ts';

/** Checks the database file is still the one opened (issue 14, attack 6); raises or clears that problem. */
function checkDatabaseFile(context: HttpContext): void {
  const { databaseFile, health } = context.store;
  if (!databaseFile) return;
  const problem = databaseFile.problem();
  if (problem) health.raise('file', { kind: 'database-vanished', message: problem });
  else health.clear('file');
}

/**
 * Entries quarantined in the store so far (issue 14, P1), or null when it cannot be read. The
 * query is also this request's proof that the database answers (PostgreSQL is on another host).
 */
async function quarantinedEntries(context: HttpContext): Promise<number | null> {
  try {
    const count = await context.rooms.updates.countQuarantined();
    context.store.health.clear('reachable');
    return count;
  } catch (error) {
    context.store.health.raise('reachable', { kind: 'database-unreachable', message: `the database does not answer (${error instanceof Error ? error.message : String(error)})` });
    return null;
  }
}

/**
 * `GET /healthz` → `{ok, store, problems, quarantinedEntries, pendingUpdates, loadedDocs,
 * connections, uptimeS}`: 200 while the store works and holds no known damage, 503 with
 * `store: "failing"` and every problem (what, which document, since when) otherwise.
 */
async function handleHealth({ response, context }: RouteRequest<HttpContext>): Promise<void> {
  const { collab } = context;
  checkDatabaseFile(context);
  const quarantined = await quarantinedEntries(context);
  const problems = context.store.health.problems();
  const failing = problems.length > 0;
  sendJson(response, failing ? 503 : 200, {
    ok: !failing,
    store: failing ? 'failing' : 'ok',
    problems,
    quarantinedEntries: quarantined,
    // Several processes (docs/several-servers.md): whether this one hears the others. Not a
    // failure of this process: a load balancer must not take every process out with Redis.
    ...(context.relayState ? { relay: context.relayState() } : {}),
    pendingUpdates: collab.queue.pendingCount,
    loadedDocs: [...collab.registry.docs()].length,
    connections: collab.connections().size,
    uptimeS: Math.round((Date.now() - context.startedAt) / 1000),
  });
}

/** The health route. */
export const healthRoutes: readonly Route<HttpContext>[] = [{ method: 'GET', pattern: /^\/healthz$/, handle: handleHealth }];
