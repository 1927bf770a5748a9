import type { ServerStores } from '../persistence/server-stores.ts';
import type { AccountRecord } from '../persistence/account-store.ts';
import { validateDisplayName } from './display-name.ts';
import { absorbGuest, adoptableGuestId } from './guest-merge.ts';
import type { PriorIdentity } from './guest-merge.ts';
import type { IdentityService } from './identity.ts';
import { hashPassword, needsRehash, validateNewPassword, verifyPassword } from './passwords.ts';
import { limitMessage } from './sign-in-limits.ts';
import type { SingleSignOnClaims } from './single-sign-on.ts';
import type { SignInLimits } from './sign-in-limits.ts';
import { generateUserId, secretsEqual } from './tokens.ts';

/**
 * Accounts: the first administrator (first-start setup link), sign up, sign in, password
 * changes, and the instance's sign-up setting. Every success starts a fresh browser session
 * (the token the caller sets as the cookie: sessions rotate on sign-in), and a guest's identity
 * in that browser becomes part of the account (guest-merge.ts).
 *
 * What a sign-in answers never tells whether an account exists: one message for an unknown
 * address and a wrong password, one scrypt computation either way, and lock-outs counted per
 * typed address whether or not it has an account (sign-in-limits.ts).
 */

/** A refusal: the HTTP status, a message for the user, and when to retry (429). */
export interface AccountRefusal {
  status: 400 | 401 | 403 | 409 | 429;
  error: string;
  retryAfterMs?: number;
}

/** An outcome of an account operation. */
export type AccountOutcome<T> = { ok: true; value: T } | ({ ok: false } & AccountRefusal);

/** A signed-in person: the new browser session's token (to set as the cookie) and their user id. */
export interface SignedIn {
  token: string;
  userId: string;
}

/** The message of every failed sign-in: the same for an unknown address and a wrong password. */
export const WRONG_CREDENTIALS = 'The address or the password is wrong.';
const SIGN_UP_OPEN_KEY = 'sign_up_open';
const MAX_EMAIL_LENGTH = 254;

/** Validates an address people sign in with: something@somewhere, trimmed, at most 254 characters. */
export function validateEmail(value: unknown): { ok: true; value: string } | { ok: false; error: string } {
  if (typeof value !== 'string') return { ok: false, error: 'email must be a string' };
  const email = value.trim();
  if (email.length > MAX_EMAIL_LENGTH || !/^[^\s@]+@[^\s@]+$/.test(email) || /[\p{Cc}]/u.test(email)) return { ok: false, error: 'Enter an email address such as name@example.org.' };
  return { ok: true, value: email };
}

/** The fields of a new account, validated. */
interface NewAccountFields {
  email: string;
  name: string;
  password: string;
}

function validateNewAccount(body: Record<string, unknown>): AccountOutcome<NewAccountFields> {
  const email = validateEmail(body.email);
  if (!email.ok) return { ok: false, status: 400, error: email.error };
  const name = validateDisplayName(body.name);
  if (!name.ok) return { ok: false, status: 400, error: name.error };
  const password = validateNewPassword(body.password);
  if (!password.ok) return { ok: false, status: 400, error: password.error };
  return { ok: true, value: { email: email.value, name: name.value, password: password.value } };
}

/** What the account service works with. */
export interface AccountServiceOptions {
  stores: ServerStores;
  identity: IdentityService;
  limiter: SignInLimits;
  /** The one-time setup token (derived from the server secret); it works while no administrator exists. */
  setupToken: string;
}

/** Accounts and browser sign-in. */
export class AccountService {
  readonly #options: AccountServiceOptions;
  /** What `setupNeeded` last found (true until asked). */
  #setupNeeded = true;

  constructor(options: AccountServiceOptions) {
    this.#options = options;
  }

  /** Whether the instance still needs its first administrator (the setup link works). */
  async setupNeeded(): Promise<boolean> {
    this.#setupNeeded = (await this.#options.stores.accounts.countAdmins()) === 0;
    return this.#setupNeeded;
  }

  /** What `setupNeeded` found last, without asking the store (the setup link printed at start). */
  setupKnownNeeded(): boolean {
    return this.#setupNeeded;
  }

  /** Whether anyone may sign up (otherwise only through an invite). */
  async signUpOpen(): Promise<boolean> {
    return (await this.#options.stores.settings.get(SIGN_UP_OPEN_KEY)) === 'true';
  }

  /** Opens or closes sign-up to everyone (administrators only; the route checks). */
  async setSignUpOpen(open: boolean): Promise<void> {
    await this.#options.stores.settings.set(SIGN_UP_OPEN_KEY, open ? 'true' : 'false');
  }

  /** Counts an attempt of another kind from `address` (joining as a new guest); its refusal, or null. */
  admitAttempt(address: string): Promise<AccountRefusal | null> {
    return this.#admit(address, null);
  }

  /** Refuses an attempt over the per-address or per-account limits; counts it otherwise. */
  async #admit(address: string, email: string | null): Promise<AccountRefusal | null> {
    const refusal = await this.#options.limiter.admit(address, email?.toLowerCase() ?? null);
    return refusal ? { status: 429, error: limitMessage(refusal), retryAfterMs: refusal.retryAfterMs } : null;
  }

  /**
   * Creates an account and signs it in, in one transaction with the guest it absorbs. The
   * account takes the guest's user id when there is one (nothing of theirs changes hands).
   */
  async #createAccount(fields: NewAccountFields, prior: PriorIdentity, isAdmin: boolean): Promise<AccountOutcome<SignedIn>> {
    const { stores, identity } = this.#options;
    const passwordHash = await hashPassword(fields.password);
    const now = Date.now();
    return stores.transaction(async (tx): Promise<AccountOutcome<SignedIn>> => {
      const userId = (await adoptableGuestId(tx, prior)) ?? generateUserId();
      // Checked again here: two setup links opened at once on two server processes make one administrator.
      if (isAdmin && (await tx.accounts.countAdmins()) > 0) return { ok: false, status: 403, error: 'This setup link is not valid (the first administrator may exist already). Sign in instead.' };
      if (await tx.accounts.findByEmail(fields.email)) return { ok: false, status: 409, error: 'An account with this address exists already. Sign in instead.' };
      await tx.accounts.insert({ userId, email: fields.email, passwordHash, isAdmin, createdAt: now });
      await tx.profiles.setName(userId, fields.name);
      await absorbGuest(tx, prior, userId, now);
      if (prior !== null && prior.kind !== 'room-session') await tx.webSessions.delete(prior.tokenHash);
      return { ok: true, value: { token: await identity.createWebSession(userId, now), userId } };
    });
  }

  /** First start: the setup link creates the first administrator (once; 403 afterwards). */
  async setup(body: Record<string, unknown>, address: string, prior: PriorIdentity): Promise<AccountOutcome<SignedIn>> {
    const limited = await this.#admit(address, null);
    if (limited) return { ok: false, ...limited };
    if (typeof body.token !== 'string' || !secretsEqual(body.token, this.#options.setupToken) || !(await this.setupNeeded())) {
      return { ok: false, status: 403, error: 'This setup link is not valid (the first administrator may exist already). Sign in instead.' };
    }
    const fields = validateNewAccount(body);
    if (!fields.ok) return fields;
    const created = await this.#createAccount(fields.value, prior, true);
    if (created.ok) this.#setupNeeded = false;
    return created;
  }

  /**
   * Signs up: allowed when sign-up is open, or for someone an invite let in (a valid seminar
   * invite sent with the form, or a guest who joined by one: `admittedByInvite`).
   */
  async signUp(body: Record<string, unknown>, address: string, prior: PriorIdentity, admittedByInvite: boolean): Promise<AccountOutcome<SignedIn>> {
    const limited = await this.#admit(address, null);
    if (limited) return { ok: false, ...limited };
    if (!(await this.signUpOpen()) && !admittedByInvite) return { ok: false, status: 403, error: 'Sign-up is by invitation on this server. Open the invite link you were given, or ask the administrator.' };
    const fields = validateNewAccount(body);
    if (!fields.ok) return fields;
    return this.#createAccount(fields.value, prior, false);
  }

  /** Signs in with an address and a password; absorbs the browser's guest identity. */
  async signIn(body: Record<string, unknown>, address: string, prior: PriorIdentity): Promise<AccountOutcome<SignedIn>> {
    const { stores, limiter } = this.#options;
    const email = typeof body.email === 'string' ? body.email.trim().slice(0, MAX_EMAIL_LENGTH) : '';
    const password = typeof body.password === 'string' ? body.password.slice(0, 1024) : '';
    const limited = await this.#admit(address, email);
    if (limited) return { ok: false, ...limited };
    const account = email === '' ? null : await stores.accounts.findByEmail(email);
    // One scrypt computation whether or not the account exists (verifyPassword checks a
    // throwaway hash for a missing one), so the time taken tells nothing either.
    const matches = await verifyPassword(password, account?.passwordHash ?? null);
    if (!account || !matches) {
      await limiter.failed(email.toLowerCase());
      return { ok: false, status: 401, error: WRONG_CREDENTIALS };
    }
    await limiter.succeeded(email.toLowerCase());
    if (needsRehash(account.passwordHash!)) await stores.accounts.setPasswordHash(account.userId, await hashPassword(password), Date.now());
    return { ok: true, value: await this.startSession(account, prior) };
  }

  /** Starts a fresh browser session for an account, absorbing the prior guest; ends the prior session. */
  startSession(account: AccountRecord, prior: PriorIdentity): Promise<SignedIn> {
    const { stores, identity } = this.#options;
    const now = Date.now();
    return stores.transaction(async (tx) => {
      await absorbGuest(tx, prior, account.userId, now);
      if (prior !== null && prior.kind !== 'room-session') await tx.webSessions.delete(prior.tokenHash);
      return { token: await identity.createWebSession(account.userId, now), userId: account.userId };
    });
  }

  /**
   * Signs in a person the institution's provider vouched for. The provider's subject finds the
   * account; on first sign-in an account whose address the provider verified is linked to it,
   * or else a new account is made (the institution vouches: no sign-up setting applies).
   */
  async signInWithProvider(claims: SingleSignOnClaims, prior: PriorIdentity): Promise<SignedIn> {
    const { stores } = this.#options;
    const now = Date.now();
    const account = await stores.transaction(async (tx) => {
      const known = await tx.accounts.findByLogin(claims.issuer, claims.subject);
      if (known) return known;
      const byEmail = claims.email && claims.emailVerified ? await tx.accounts.findByEmail(claims.email) : null;
      if (byEmail) {
        await tx.accounts.addLogin(claims.issuer, claims.subject, byEmail.userId, now);
        return byEmail;
      }
      const email = claims.email && claims.emailVerified && validateEmail(claims.email).ok ? claims.email : null;
      const record: AccountRecord = { userId: (await adoptableGuestId(tx, prior)) ?? generateUserId(), email, passwordHash: null, isAdmin: false, createdAt: now };
      await tx.accounts.insert(record);
      await tx.accounts.addLogin(claims.issuer, claims.subject, record.userId, now);
      const name = validateDisplayName(claims.name ?? email?.split('@')[0] ?? '');
      if (name.ok) await tx.profiles.setName(record.userId, name.value);
      return record;
    });
    return this.startSession(account, prior);
  }

  /**
   * Changes a password after checking the current one. Every other browser session of the
   * account ends; the caller's is replaced by a fresh one (returned).
   */
  async changePassword(account: AccountRecord, body: Record<string, unknown>, address: string): Promise<AccountOutcome<SignedIn>> {
    const { stores, limiter, identity } = this.#options;
    const key = account.email?.toLowerCase() ?? account.userId;
    const limited = await this.#admit(address, key);
    if (limited) return { ok: false, ...limited };
    const next = validateNewPassword(body.next);
    if (!next.ok) return { ok: false, status: 400, error: next.error };
    const current = typeof body.current === 'string' ? body.current.slice(0, 1024) : '';
    if (!(await verifyPassword(current, account.passwordHash))) {
      await limiter.failed(key);
      return { ok: false, status: 401, error: account.passwordHash === null ? 'This account signs in through single sign-on and has no password here.' : 'The current password is wrong.' };
    }
    const hash = await hashPassword(next.value);
    const now = Date.now();
    return {
      ok: true,
      value: await stores.transaction(async (tx) => {
        await tx.accounts.setPasswordHash(account.userId, hash, now);
        await tx.webSessions.deleteAllOf(account.userId);
        return { token: await identity.createWebSession(account.userId, now), userId: account.userId };
      }),
    };
  }
}
