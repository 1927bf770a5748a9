import type { IncomingMessage, ServerResponse } from 'node:http';

/** HTTP methods the API uses. */
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';

/** What a route handler receives: the request, the response, the pattern's captures and the query. */
export interface RouteRequest<Context> {
  request: IncomingMessage;
  response: ServerResponse;
  /** Capture groups of the route's pattern, matched against the raw (undecoded) path. */
  params: string[];
  query: URLSearchParams;
  context: Context;
}

/** One entry of the route table. */
export interface Route<Context> {
  method: HttpMethod;
  /** Anchored pattern over the raw path; canonical names only, so no decoding tricks pass. */
  pattern: RegExp;
  handle(request: RouteRequest<Context>): void | Promise<void>;
}

/** The outcome of matching: a route with captures, a path known under other methods, or nothing. */
export type RouteMatch<Context> =
  | { kind: 'route'; route: Route<Context>; params: string[] }
  | { kind: 'method-not-allowed'; allowed: HttpMethod[] }
  | { kind: 'none' };

/** Finds the route for a method and raw path. HEAD falls back to GET routes. */
export function matchRoute<Context>(routes: readonly Route<Context>[], method: string, path: string): RouteMatch<Context> {
  const allowed: HttpMethod[] = [];
  for (const route of routes) {
    const match = route.pattern.exec(path);
    if (!match) continue;
    if (route.method === method || (method === 'HEAD' && route.method === 'GET')) {
      return { kind: 'route', route, params: match.slice(1) };
    }
    allowed.push(route.method);
  }
  return allowed.length > 0 ? { kind: 'method-not-allowed', allowed } : { kind: 'none' };
}
