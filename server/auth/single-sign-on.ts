import * as oidc from 'openid-client';
import type { ServerConfig } from '../config.ts';
import type { Logger } from '../logger.ts';

/**
 * Single sign-on for institutions through OpenID Connect (authorization code flow with PKCE,
 * state and nonce) with `openid-client`. The provider is discovered from OIDC_ISSUER on first
 * use (and again after a failure, so a provider that was down at start is found later). A
 * pending sign-in is remembered here for ten minutes under its `state`, never in the browser.
 */

/** What the provider vouched for. */
export interface SingleSignOnClaims {
  issuer: string;
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
  /** Where the person was going when they started (a path on this server). */
  returnTo: string;
}

interface PendingSignIn {
  codeVerifier: string;
  nonce: string;
  returnTo: string;
  redirectUri: string;
  startedAt: number;
}

const PENDING_TTL_MS = 10 * 60_000;
const MAX_PENDING = 10_000;

/** Whether an issuer is served over plain HTTP on this machine (allowed for a provider under test). */
function isLocalHttp(issuer: string): boolean {
  const url = new URL(issuer);
  return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

/** Keeps only a same-site path (never another host) as the place to return to. */
export function safeReturnPath(value: string | null): string {
  return value && /^\/(?!\/)[\x21-\x7e]*$/.test(value) && !value.includes('\\') ? value : '/';
}

/** The OpenID Connect client of this server. */
export class SingleSignOn {
  readonly label: string;
  readonly #settings: NonNullable<ServerConfig['oidc']>;
  readonly #log: Logger;
  readonly #pending = new Map<string, PendingSignIn>();
  #configuration: Promise<oidc.Configuration> | null = null;

  constructor(settings: NonNullable<ServerConfig['oidc']>, log: Logger) {
    this.#settings = settings;
    this.label = settings.label;
    this.#log = log;
  }

  /** The provider's configuration, discovered once (and again after a failed discovery). */
  #discover(): Promise<oidc.Configuration> {
    this.#configuration ??= oidc
      .discovery(new URL(this.#settings.issuer), this.#settings.clientId, this.#settings.clientSecret, undefined, isLocalHttp(this.#settings.issuer) ? { execute: [oidc.allowInsecureRequests] } : {})
      .catch((error: unknown) => {
        this.#configuration = null;
        this.#log.error('sso.discovery-failed', { issuer: this.#settings.issuer, error });
        throw new Error('The sign-in service of your institution cannot be reached right now. Try again later.');
      });
    return this.#configuration;
  }

  /** The redirect URI registered at the provider: OIDC_REDIRECT_URI, or this server's callback. */
  redirectUriFor(baseUrl: string): string {
    return this.#settings.redirectUri ?? `${baseUrl}/auth/oidc/callback`;
  }

  #forgetOld(now: number): void {
    for (const [state, pending] of this.#pending) if (now - pending.startedAt > PENDING_TTL_MS) this.#pending.delete(state);
    // A flood of abandoned starts must not grow memory without bound: the oldest go first.
    while (this.#pending.size >= MAX_PENDING) this.#pending.delete(this.#pending.keys().next().value!);
  }

  /** Starts a sign-in: returns the provider's authorization URL to redirect the browser to. */
  async start(returnTo: string, redirectUri: string, now = Date.now()): Promise<URL> {
    const configuration = await this.#discover();
    this.#forgetOld(now);
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    this.#pending.set(state, { codeVerifier, nonce, returnTo: safeReturnPath(returnTo), redirectUri, startedAt: now });
    return oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: redirectUri,
      scope: 'openid email profile',
      state,
      nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    });
  }

  /**
   * Completes a sign-in from the callback URL the provider sent the browser to: checks state,
   * nonce and PKCE, exchanges the code and reads the ID token's claims. Returns a message for
   * the person on any failure (an expired or replayed callback, a refusal at the provider).
   */
  async finish(callbackUrl: URL, now = Date.now()): Promise<{ ok: true; value: SingleSignOnClaims } | { ok: false; error: string }> {
    const state = callbackUrl.searchParams.get('state') ?? '';
    const pending = this.#pending.get(state);
    this.#pending.delete(state);
    if (!pending || now - pending.startedAt > PENDING_TTL_MS) return { ok: false, error: 'This sign-in took too long or was already used. Start again.' };
    if (callbackUrl.searchParams.has('error')) return { ok: false, error: `Your institution refused the sign-in (${callbackUrl.searchParams.get('error')?.slice(0, 80)}).` };
    try {
      const configuration = await this.#discover();
      // The URL the provider redirected to, with the registered redirect URI's origin and path.
      const current = new URL(pending.redirectUri);
      current.search = callbackUrl.search;
      const tokens = await oidc.authorizationCodeGrant(configuration, current, { pkceCodeVerifier: pending.codeVerifier, expectedNonce: pending.nonce, expectedState: state, idTokenExpected: true });
      const claims = tokens.claims()!;
      return {
        ok: true,
        value: {
          issuer: claims.iss,
          subject: claims.sub,
          email: typeof claims.email === 'string' ? claims.email : null,
          emailVerified: claims.email_verified === true,
          name: typeof claims.name === 'string' ? claims.name : null,
          returnTo: pending.returnTo,
        },
      };
    } catch (error) {
      this.#log.warn('sso.callback-failed', { error });
      return { ok: false, error: 'The sign-in with your institution could not be completed. Start again.' };
    }
  }
}
