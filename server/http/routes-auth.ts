import type { IncomingMessage, ServerResponse } from 'node:http';
import { remoteAddressOf } from '../access/collab-guard.ts';
import { closeConnectionsWhere } from '../access/credential-sweeper.ts';
import { COLLAB_CLOSE } from '../../schema/index.ts';
import type { AccountOutcome, SignedIn } from '../auth/accounts.ts';
import type { PriorIdentity } from '../auth/guest-merge.ts';
import { clearedSessionCookie } from '../auth/cookies.ts';
import { sessionCookieFor } from './session-cookie.ts';
import { validateDisplayName } from '../auth/display-name.ts';
import type { Person } from '../auth/people.ts';
import { hashToken } from '../auth/tokens.ts';
import { usableSeminarInvite, joinWithInvite } from '../seminars/seminar-invites.ts';
import type { HttpContext } from './http-context.ts';
import { readJsonBody } from './json-body.ts';
import { requestToken } from './request-auth.ts';
import { identifyAccount, identifyPerson, priorIdentityOf } from './request-person.ts';
import { sendError, sendJson } from './responses.ts';
import type { Route, RouteRequest } from './router.ts';

/**
 * Accounts over HTTP (docs/accounts-and-seminars.md, "HTTP API"): the first-start setup, sign
 * up, sign in, sign out (here or everywhere), the profile and password, and the administrator's
 * sign-up setting. Bodies are JSON (415 otherwise); state-changing requests from another site
 * are refused before they get here (origin policy). Signing in sets the HttpOnly session cookie
 * with a fresh token every time.
 */

const BODY_LIMIT = 8192;

/** What a person may see about themselves. */
export function personView(person: Person): { userId: string; name: string; email: string | null; isAdmin: boolean; isGuest: boolean } {
  return { userId: person.userId, name: person.name, email: person.account?.email ?? null, isAdmin: person.account?.isAdmin ?? false, isGuest: person.account === null };
}

/** Answers an account outcome: 200/201 with the person and the new session cookie, or the refusal. */
async function answerSignedIn(request: IncomingMessage, response: ServerResponse, context: HttpContext, outcome: AccountOutcome<SignedIn>, status = 200): Promise<void> {
  if (!outcome.ok) {
    const headers: Record<string, string> = outcome.retryAfterMs ? { 'Retry-After': String(Math.ceil(outcome.retryAfterMs / 1000)) } : {};
    return sendError(response, outcome.status, outcome.error, headers);
  }
  const person = await context.identity.people.person(outcome.value.userId);
  sendJson(response, status, { person: personView(person) }, { 'Set-Cookie': sessionCookieFor(request, context, outcome.value.token) });
}

/** `GET /api/auth/state`: who this browser is (or null), and what the sign-in page should offer. */
async function handleState({ request, response, context }: RouteRequest<HttpContext>): Promise<void> {
  const person = await identifyPerson(request, context);
  sendJson(response, 200, {
    person: person.ok ? personView(person.value) : null,
    setupNeeded: await context.accounts.setupNeeded(),
    signUpOpen: await context.accounts.signUpOpen(),
    singleSignOn: context.singleSignOn ? { label: context.singleSignOn.label } : null,
  });
}

/** `POST /api/auth/setup` `{token, email, name, password}`: the first administrator (201). */
async function handleSetup({ request, response, context }: RouteRequest<HttpContext>): Promise<void> {
  const body = await readJsonBody(request, BODY_LIMIT);
  if (!body.ok) return sendError(response, body.status, body.error);
  const outcome = await context.accounts.setup(body.value, remoteAddressOf(request), await priorIdentityOf(request, context));
  if (outcome.ok) context.log.info('account.setup', { user: outcome.value.userId });
  await answerSignedIn(request, response, context, outcome, 201);
}

/** Whether this sign-up was let in by an invite: one sent with the form, or the guest's own. */
async function admittedByInvite(context: HttpContext, inviteToken: unknown, prior: PriorIdentity): Promise<boolean> {
  if (typeof inviteToken === 'string' && (await usableSeminarInvite(context.stores, inviteToken)).ok) return true;
  if (prior === null || prior.kind === 'account') return false;
  if (prior.kind === 'room-session') return true;
  return (await context.stores.seminars.listForUser(prior.userId)).length > 0 || (await context.stores.grants.forUser(prior.userId)).length > 0;
}

/** `POST /api/auth/sign-up` `{email, name, password, invite?}` → 201 and the session cookie. */
async function handleSignUp({ request, response, context }: RouteRequest<HttpContext>): Promise<void> {
  const body = await readJsonBody(request, BODY_LIMIT);
  if (!body.ok) return sendError(response, body.status, body.error);
  const prior = await priorIdentityOf(request, context);
  const outcome = await context.accounts.signUp(body.value, remoteAddressOf(request), prior, await admittedByInvite(context, body.value.invite, prior));
  if (outcome.ok) {
    const invite = typeof body.value.invite === 'string' ? await usableSeminarInvite(context.stores, body.value.invite) : null;
    if (invite?.ok) await joinWithInvite(context.stores, invite.value, outcome.value.userId);
    context.log.info('account.created', { user: outcome.value.userId, adoptedGuest: prior !== null && prior.userId === outcome.value.userId });
  }
  await answerSignedIn(request, response, context, outcome, 201);
}

/** `POST /api/auth/sign-in` `{email, password}` → 200 and a fresh session cookie. */
async function handleSignIn({ request, response, context }: RouteRequest<HttpContext>): Promise<void> {
  const body = await readJsonBody(request, BODY_LIMIT);
  if (!body.ok) return sendError(response, body.status, body.error);
  const outcome = await context.accounts.signIn(body.value, remoteAddressOf(request), await priorIdentityOf(request, context));
  context.log.info(outcome.ok ? 'account.signed-in' : 'account.sign-in-refused', outcome.ok ? { user: outcome.value.userId } : { status: outcome.status });
  await answerSignedIn(request, response, context, outcome);
}

/**
 * Closes the open sockets of a person's ended browser sessions (all of them, or one) here, and
 * tells the other server processes to check theirs now.
 */
function closeSocketsOf(context: HttpContext, userId: string, tokenHash: string | null, reason: string): number {
  context.accessChanged();
  return closeConnectionsWhere(
    context.collab.connections(),
    ({ session }) => session.via === 'web' && session.userId === userId && (tokenHash === null || session.credentialHash === tokenHash),
    COLLAB_CLOSE.unauthorized,
    reason,
  );
}

/** `POST /api/auth/sign-out`: ends this browser's session and clears the cookie (200 even when signed out). */
async function handleSignOut({ request, response, context }: RouteRequest<HttpContext>): Promise<void> {
  const token = requestToken(request);
  const person = token ? await context.identity.personOf(token) : null;
  if (token) await context.stores.webSessions.delete(hashToken(token));
  if (person?.ok) closeSocketsOf(context, person.value.userId, person.value.session.tokenHash, 'signed out');
  sendJson(response, 200, { signedOut: true }, { 'Set-Cookie': clearedSessionCookie() });
}

/** `POST /api/auth/sign-out-everywhere`: ends every browser session of the account and closes their sockets. */
async function handleSignOutEverywhere({ request, response, context }: RouteRequest<HttpContext>): Promise<void> {
  const person = await identifyAccount(request, context);
  if (!person.ok) return sendError(response, person.status, person.error);
  const sessions = await context.stores.webSessions.deleteAllOf(person.value.userId);
  const closedConnections = closeSocketsOf(context, person.value.userId, null, 'signed out everywhere');
  context.log.info('account.signed-out-everywhere', { user: person.value.userId, sessions, closedConnections });
  sendJson(response, 200, { sessions, closedConnections }, { 'Set-Cookie': clearedSessionCookie() });
}

/** `PUT /api/auth/profile` `{name}`: the display name of the person (account or guest). */
async function handleProfile({ request, response, context }: RouteRequest<HttpContext>): Promise<void> {
  const person = await identifyPerson(request, context);
  if (!person.ok) return sendError(response, person.status, person.error);
  const body = await readJsonBody(request, BODY_LIMIT);
  if (!body.ok) return sendError(response, body.status, body.error);
  const name = validateDisplayName(body.value.name);
  if (!name.ok) return sendError(response, 400, name.error);
  await context.identity.setName(person.value.userId, name.value);
  sendJson(response, 200, { person: personView(await context.identity.people.person(person.value.userId)) });
}

/** `PUT /api/auth/password` `{current, next}`: other sessions end; this one gets a fresh token. */
async function handlePassword({ request, response, context }: RouteRequest<HttpContext>): Promise<void> {
  const person = await identifyAccount(request, context);
  if (!person.ok) return sendError(response, person.status, person.error);
  const body = await readJsonBody(request, BODY_LIMIT);
  if (!body.ok) return sendError(response, body.status, body.error);
  const outcome = await context.accounts.changePassword(person.value.account!, body.value, remoteAddressOf(request));
  if (outcome.ok) {
    closeSocketsOf(context, person.value.userId, null, 'password changed');
    context.log.info('account.password-changed', { user: person.value.userId });
  }
  await answerSignedIn(request, response, context, outcome);
}

/** `GET|PUT /api/admin/settings` `{signUpOpen}`: administrators only. */
async function handleSettings({ request, response, context }: RouteRequest<HttpContext>): Promise<void> {
  const person = await identifyAccount(request, context);
  if (!person.ok) return sendError(response, person.status, person.error);
  if (!person.value.account?.isAdmin) return sendError(response, 403, 'Only administrators change the server’s settings.');
  if (request.method === 'PUT') {
    const body = await readJsonBody(request, BODY_LIMIT);
    if (!body.ok) return sendError(response, body.status, body.error);
    if (typeof body.value.signUpOpen !== 'boolean') return sendError(response, 400, 'signUpOpen must be true or false');
    await context.accounts.setSignUpOpen(body.value.signUpOpen);
    context.log.info('settings.changed', { by: person.value.userId, signUpOpen: body.value.signUpOpen });
  }
  sendJson(response, 200, { signUpOpen: await context.accounts.signUpOpen() });
}

/** Routes of accounts and sign-in. */
export const authRoutes: readonly Route<HttpContext>[] = [
  { method: 'GET', pattern: /^\/api\/auth\/state$/, handle: handleState },
  { method: 'POST', pattern: /^\/api\/auth\/setup$/, handle: handleSetup },
  { method: 'POST', pattern: /^\/api\/auth\/sign-up$/, handle: handleSignUp },
  { method: 'POST', pattern: /^\/api\/auth\/sign-in$/, handle: handleSignIn },
  { method: 'POST', pattern: /^\/api\/auth\/sign-out$/, handle: handleSignOut },
  { method: 'POST', pattern: /^\/api\/auth\/sign-out-everywhere$/, handle: handleSignOutEverywhere },
  { method: 'PUT', pattern: /^\/api\/auth\/profile$/, handle: handleProfile },
  { method: 'PUT', pattern: /^\/api\/auth\/password$/, handle: handlePassword },
  { method: 'GET', pattern: /^\/api\/admin\/settings$/, handle: handleSettings },
  { method: 'PUT', pattern: /^\/api\/admin\/settings$/, handle: handleSettings },
];
