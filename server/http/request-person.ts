import type { IncomingMessage } from 'node:http';
import type { PriorIdentity } from '../auth/guest-merge.ts';
import type { WebPerson } from '../auth/identity.ts';
import { hashToken } from '../auth/tokens.ts';
import type { HttpContext } from './http-context.ts';
import { requestToken } from './request-auth.ts';

/** A person signed in through a browser session, or the 401 that refuses the request. */
export type RequestPerson = { ok: true; value: WebPerson } | { ok: false; status: 401; error: string };

/** Identifies the person making a request (session cookie, or their session token as Bearer). */
export async function identifyPerson(request: IncomingMessage, context: HttpContext): Promise<RequestPerson> {
  const token = requestToken(request);
  if (!token) return { ok: false, status: 401, error: 'Sign in first.' };
  const person = await context.identity.personOf(token);
  return person.ok ? person : { ok: false, status: 401, error: person.error === 'expired' ? 'Your session expired. Sign in again.' : 'Sign in first.' };
}

/** Identifies a person with an account (guests are refused with 403). */
export async function identifyAccount(request: IncomingMessage, context: HttpContext): Promise<RequestPerson | { ok: false; status: 403; error: string }> {
  const person = await identifyPerson(request, context);
  if (person.ok && person.value.account === null) return { ok: false, status: 403, error: 'Sign up or sign in to do this (guests cannot).' };
  return person;
}

/**
 * What this browser held before signing up or in, so that its guest identity becomes part of
 * the account: a browser session (a guest's, or another account's), or a room session made by a
 * room invite link, or nothing.
 */
export async function priorIdentityOf(request: IncomingMessage, context: HttpContext): Promise<PriorIdentity> {
  const token = requestToken(request);
  if (!token) return null;
  const person = await context.identity.personOf(token);
  if (person.ok) return { kind: person.value.account ? 'account' : 'guest', userId: person.value.userId, tokenHash: person.value.session.tokenHash };
  const session = await context.stores.sessions.findByHash(hashToken(token));
  if (session && session.expiresAt > Date.now()) return { kind: 'room-session', userId: session.userId, session };
  return null;
}
