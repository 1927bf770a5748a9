import type { HttpContext } from './http-context.ts';
import type { Route, RouteRequest } from './router.ts';
import { sendClientShell } from './static-files.ts';

/**
 * The pages of the site around the rooms — home, first-start setup, sign in and up, account
 * (with the administrator's settings), a seminar and its overview, an invite link — are the client shell; the client shows the page
 * the address names (client/site/).
 */
function servePage({ request, response, context }: RouteRequest<HttpContext>): void {
  sendClientShell(request, response, context.config.staticDir);
}

/** Routes of the site's pages. */
export const pageRoutes: readonly Route<HttpContext>[] = [
  /^\/(setup|sign-in|sign-up|account)$/,
  /^\/s\/[a-z0-9-]{1,64}(\/overview)?$/,
  /^\/join\/[A-Za-z0-9_-]{16,128}$/,
].map((pattern) => ({ method: 'GET' as const, pattern, handle: servePage }));
