import { readCookie } from '../auth/cookies.ts';
import { sessionCookieFor } from './session-cookie.ts';
import { safeReturnPath } from '../auth/single-sign-on.ts';
import type { HttpContext } from './http-context.ts';
import { priorIdentityOf } from './request-person.ts';
import { sendHtmlMessage, setCommonHeaders } from './responses.ts';
import type { Route, RouteRequest } from './router.ts';
import { publicBaseUrl } from './public-url.ts';

/**
 * Single sign-on pages (browser navigations, not the JSON API):
 *
 * - `GET /auth/oidc/start?return=/path` redirects to the institution's provider;
 * - `GET /auth/oidc/callback?code&state` completes the sign-in, sets the session cookie and
 *   redirects to where the person was going.
 *
 * The pending sign-in's `state` is also set as a short-lived cookie and must come back with the
 * callback: a callback URL made in another browser (login CSRF) signs nobody in.
 */

const STATE_COOKIE = 'ap_sso';

function redirect(response: RouteRequest<HttpContext>['response'], location: string, cookies: string[] = []): void {
  setCommonHeaders(response);
  const headers: Record<string, string | string[]> = { Location: location, 'Cache-Control': 'no-store', 'Content-Length': '0' };
  if (cookies.length > 0) headers['Set-Cookie'] = cookies;
  response.writeHead(303, headers);
  response.end();
}

/** `GET /auth/oidc/start`. */
async function handleStart({ request, response, query, context }: RouteRequest<HttpContext>): Promise<void> {
  const sso = context.singleSignOn;
  if (!sso) return sendHtmlMessage(response, 404, 'No single sign-on', 'This server has no single sign-on configured. Sign in with your email address and password.');
  let target: URL;
  try {
    target = await sso.start(query.get('return') ?? '/', sso.redirectUriFor(publicBaseUrl(request, context)));
  } catch (error) {
    return sendHtmlMessage(response, 503, 'Single sign-on unavailable', error instanceof Error ? error.message : 'Try again later.');
  }
  const state = target.searchParams.get('state') ?? '';
  redirect(response, target.href, [`${STATE_COOKIE}=${state}; HttpOnly; SameSite=Lax; Path=/auth/oidc; Max-Age=600`]);
}

/** `GET /auth/oidc/callback`. */
async function handleCallback({ request, response, context }: RouteRequest<HttpContext>): Promise<void> {
  const sso = context.singleSignOn;
  if (!sso) return sendHtmlMessage(response, 404, 'No single sign-on', 'This server has no single sign-on configured.');
  const url = new URL(request.url ?? '/', 'http://callback.invalid');
  const clearState = `${STATE_COOKIE}=; HttpOnly; SameSite=Lax; Path=/auth/oidc; Max-Age=0`;
  if (!url.searchParams.get('state') || readCookie(request.headers.cookie, STATE_COOKIE) !== url.searchParams.get('state')) {
    return sendHtmlMessage(response, 400, 'Sign-in not completed', 'This sign-in was not started in this browser. Start again from the sign-in page.');
  }
  const finished = await sso.finish(url);
  if (!finished.ok) return sendHtmlMessage(response, 400, 'Sign-in not completed', finished.error);
  const signedIn = await context.accounts.signInWithProvider(finished.value, await priorIdentityOf(request, context));
  context.log.info('account.signed-in', { user: signedIn.userId, via: 'oidc' });
  redirect(response, safeReturnPath(finished.value.returnTo), [sessionCookieFor(request, context, signedIn.token), clearState]);
}

/** Routes of single sign-on. */
export const singleSignOnRoutes: readonly Route<HttpContext>[] = [
  { method: 'GET', pattern: /^\/auth\/oidc\/start$/, handle: handleStart },
  { method: 'GET', pattern: /^\/auth\/oidc\/callback$/, handle: handleCallback },
];
