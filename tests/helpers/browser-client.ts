import { readCookie } from '../../server/auth/cookies.ts';

/**
 * A browser as the server sees it, for HTTP integration tests: one cookie jar (the session
 * cookie), the Origin a page of the server sends, JSON in and out. Each instance is one browser
 * (one person at a time), like a Playwright context.
 */
export class BrowserClient {
  /** The session cookie's value, or null. */
  session: string | null = null;

  constructor(
    readonly baseUrl: string,
    /** The Origin header sent with every request; a page of another site sends its own. */
    readonly origin: string = baseUrl,
  ) {}

  /** Sends a request with the cookie and Origin; records a new session cookie from the answer. */
  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const init: RequestInit = { method, redirect: 'manual', headers: { origin: this.origin, ...headers } };
    if (this.session) (init.headers as Record<string, string>).cookie = `ap_session=${encodeURIComponent(this.session)}`;
    if (body instanceof Uint8Array) {
      init.body = body as Uint8Array<ArrayBuffer>;
      (init.headers as Record<string, string>)['content-type'] ??= 'application/octet-stream';
    } else if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    const response = await fetch(`${this.baseUrl}${path}`, init);
    for (const cookie of response.headers.getSetCookie()) {
      if (!cookie.startsWith('ap_session=')) continue;
      const value = readCookie(cookie.split(';')[0], 'ap_session');
      this.session = value === '' ? null : value;
    }
    return response;
  }

  /** A JSON request that must answer `status`; returns its body. */
  async json<T = Record<string, unknown>>(method: string, path: string, body?: unknown, status = 200): Promise<T> {
    const response = await this.request(method, path, body);
    const text = await response.text();
    if (response.status !== status) throw new Error(`${method} ${path}: expected ${status}, got ${response.status} ${text}`);
    return JSON.parse(text) as T;
  }

  get(path: string): Promise<Response> {
    return this.request('GET', path);
  }

  post(path: string, body?: unknown): Promise<Response> {
    return this.request('POST', path, body ?? {});
  }
}

/** A strong password for tests. */
export const PASSWORD = 'correct horse battery staple';

/** Creates the first administrator through the setup link; returns their browser. */
export async function setUpAdministrator(server: { url: string; setupUrl(): string | null }, email = 'lecturer@example.org', name = 'Lena Lecturer'): Promise<BrowserClient> {
  const setupUrl = server.setupUrl();
  if (!setupUrl) throw new Error('the server has an administrator already');
  const admin = new BrowserClient(server.url);
  await admin.json('POST', '/api/auth/setup', { token: new URL(setupUrl).hash.slice(1), email, name, password: PASSWORD }, 201);
  return admin;
}

/** Opens sign-up to everyone (as the administrator) and signs a new person up in a fresh browser. */
export async function signUp(server: { url: string }, admin: BrowserClient, email: string, name: string): Promise<BrowserClient> {
  await admin.json('PUT', '/api/admin/settings', { signUpOpen: true });
  const browser = new BrowserClient(server.url);
  await browser.json('POST', '/api/auth/sign-up', { email, name, password: PASSWORD }, 201);
  return browser;
}
