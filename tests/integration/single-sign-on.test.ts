import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserClient, PASSWORD } from '../helpers/browser-client.ts';
import { freePort } from '../e2e/support/server-process.ts';
import { startTestServer } from '../helpers/test-server.ts';
import type { TestServer } from '../helpers/test-server.ts';

/**
 * Single sign-on against a real OpenID provider (`oidc-provider`, started here with its
 * development sign-in pages): the authorization code flow with PKCE, state and nonce, driven the
 * way a browser would — redirects followed by hand, one cookie jar for 127.0.0.1 (cookies do not
 * tell ports apart), the provider's sign-in and consent forms posted.
 */

const CLIENT = { client_id: 'apparatus', client_secret: 'apparatus-test-secret-0123456789' };
const PEOPLE: Record<string, { email: string; name: string }> = {
  'staff-1': { email: 'prof.oidc@university.example', name: 'Professor Single Sign-On' },
  'staff-2': { email: 'second@university.example', name: 'Second Person' },
};

let provider: Server;
let issuer: string;
let server: TestServer;

/** A browser's cookie jar for one host, and redirects followed by hand. */
class Navigator {
  readonly cookies = new Map<string, string>();

  async go(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const headers: Record<string, string> = { cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ') };
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers.origin = new URL(url).origin;
      body = new URLSearchParams(init.form).toString();
    }
    const response = await fetch(url, { method: init.method ?? 'GET', headers, body, redirect: 'manual' });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair, ...attributes] = cookie.split(';');
      const [name, value] = [pair!.slice(0, pair!.indexOf('=')), pair!.slice(pair!.indexOf('=') + 1)];
      if (attributes.some((a) => /max-age=0/i.test(a.trim())) || /expires=thu, 01 jan 1970/i.test(cookie)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /** Follows redirects from `url` until an answer that is not one; returns it and where it was. */
  async follow(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<{ response: Response; url: string }> {
    let response = await this.go(url, init);
    let at = url;
    for (let hops = 0; response.status >= 300 && response.status < 400 && hops < 20; hops++) {
      at = new URL(response.headers.get('location')!, at).href;
      response = await this.go(at);
    }
    return { response, url: at };
  }

  /** Signs in at the provider as `login` (its development sign-in and consent forms) from Apparatus's start URL. */
  async signInWithProvider(startUrl: string, login: string): Promise<{ response: Response; url: string }> {
    let page = await this.follow(startUrl);
    for (let step = 0; step < 4 && page.response.status === 200; step++) {
      const html = await page.response.text();
      const action = new URL(/action="([^"]+)"/.exec(html)![1]!, page.url).href;
      const prompt = /name="prompt" value="([^"]+)"/.exec(html)![1]!;
      page = await this.follow(action, { method: 'POST', form: prompt === 'login' ? { prompt, login, password: 'any' } : { prompt } });
      if (page.url.startsWith(server.url)) break;
    }
    return page;
  }

  /** The Apparatus session cookie, as a browser client with the same session. */
  asBrowser(): BrowserClient {
    const browser = new BrowserClient(server.url);
    const session = this.cookies.get('ap_session');
    browser.session = session ? decodeURIComponent(session) : null;
    return browser;
  }
}

beforeAll(async () => {
  const http = createServer();
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  // Apparatus's port is chosen first: the provider must know the redirect URI it will use.
  const port = await freePort();
  const oidc = new Provider(issuer, {
    clients: [{ ...CLIENT, redirect_uris: [`http://127.0.0.1:${port}/auth/oidc/callback`] }],
    findAccount: (_ctx, id) => (PEOPLE[id] ? { accountId: id, claims: () => ({ sub: id, email: PEOPLE[id]!.email, email_verified: true, name: PEOPLE[id]!.name }) } : undefined),
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    conformIdTokenClaims: false,
    cookies: { keys: ['test-cookie-key-0123456789abcdef'] },
  });
  http.on('request', oidc.callback());
  provider = http;
  server = await startTestServer({ port, oidc: { issuer, clientId: CLIENT.client_id, clientSecret: CLIENT.client_secret, label: 'University of Example', redirectUri: null } });
});

afterAll(async () => {
  await server.stop();
  await new Promise((resolve) => provider.close(resolve));
});

describe('single sign-on through OpenID Connect', () => {
  it('offers the institution on the sign-in page', async () => {
    expect(await new BrowserClient(server.url).json('GET', '/api/auth/state')).toMatchObject({ singleSignOn: { label: 'University of Example' } });
  });

  it('signs a person in through the provider, makes their account once, and returns them where they were going', async () => {
    const browser = new Navigator();
    const done = await browser.signInWithProvider(`${server.url}/auth/oidc/start?return=/account`, 'staff-1');
    expect(done.response.status).toBe(200);
    expect(done.url).toBe(`${server.url}/account`);
    const state = await browser.asBrowser().json<{ person: { name: string; email: string; isGuest: boolean } }>('GET', '/api/auth/state');
    expect(state.person).toMatchObject({ name: 'Professor Single Sign-On', email: 'prof.oidc@university.example', isGuest: false });

    const again = new Navigator();
    await again.signInWithProvider(`${server.url}/auth/oidc/start`, 'staff-1');
    const second = await again.asBrowser().json<{ person: { userId: string } }>('GET', '/api/auth/state');
    const first = await browser.asBrowser().json<{ person: { userId: string } }>('GET', '/api/auth/state');
    expect(second.person.userId).toBe(first.person.userId);
  });

  it('keeps a guest’s work: the guest identity becomes the new account', async () => {
    const lecturer = await setUpLecturer();
    const seminar = (await lecturer.json<{ seminar: { id: string } }>('POST', '/api/seminars', { title: 'SSO seminar' }, 201)).seminar.id;
    const invite = await lecturer.json<{ token: string }>('POST', `/api/seminars/${seminar}/invites`, { role: 'annotator' }, 201);
    const browser = new Navigator();
    const guest = new BrowserClient(server.url);
    const joined = await guest.json<{ userId: string }>('POST', `/api/join/${invite.token}`, { as: 'guest', name: 'Guest Before SSO' });
    browser.cookies.set('ap_session', encodeURIComponent(guest.session!));
    await browser.signInWithProvider(`${server.url}/auth/oidc/start`, 'staff-2');
    const person = await browser.asBrowser().json<{ person: { userId: string; name: string } }>('GET', '/api/auth/state');
    expect(person.person).toEqual(expect.objectContaining({ userId: joined.userId, name: 'Second Person' }));
    expect((await browser.asBrowser().json<{ seminars: { id: string }[] }>('GET', '/api/seminars')).seminars.map((s) => s.id)).toEqual([seminar]);
  });

  it('refuses a callback that was not started in the same browser (login CSRF) or is replayed', async () => {
    const attacker = new Navigator();
    let page = await attacker.follow(`${server.url}/auth/oidc/start`);
    for (let step = 0; step < 4 && page.response.status === 200; step++) {
      const html = await page.response.text();
      const action = new URL(/action="([^"]+)"/.exec(html)![1]!, page.url).href;
      const prompt = /name="prompt" value="([^"]+)"/.exec(html)![1]!;
      const next = await attacker.go(action, { method: 'POST', form: prompt === 'login' ? { prompt, login: 'staff-1', password: 'x' } : { prompt } });
      let location = new URL(next.headers.get('location')!, action).href;
      let response = next;
      while (!location.startsWith(`${server.url}/auth/oidc/callback`) && response.status >= 300 && response.status < 400) {
        response = await attacker.go(location);
        if (response.status < 300 || response.status >= 400) break;
        location = new URL(response.headers.get('location')!, location).href;
      }
      if (location.startsWith(`${server.url}/auth/oidc/callback`)) {
        // The victim's browser is sent the attacker's callback: it has no matching state cookie.
        const victim = new Navigator();
        const refused = await victim.go(location);
        expect(refused.status).toBe(400);
        expect(victim.cookies.has('ap_session')).toBe(false);
        // The attacker completes it; replaying it afterwards signs nobody in.
        expect((await attacker.go(location)).status).toBe(303);
        const replay = new Navigator();
        replay.cookies.set('ap_sso', attacker.cookies.get('ap_sso') ?? new URL(location).searchParams.get('state')!);
        expect((await replay.go(location)).status).toBe(400);
        return;
      }
      page = { response, url: location };
    }
    throw new Error('the provider never redirected to the callback');
  });
});

/** The first administrator of the test server (made once). */
let lecturerBrowser: BrowserClient | null = null;
async function setUpLecturer(): Promise<BrowserClient> {
  if (lecturerBrowser) return lecturerBrowser;
  const setupUrl = server.setupUrl()!;
  lecturerBrowser = new BrowserClient(server.url);
  await lecturerBrowser.json('POST', '/api/auth/setup', { token: new URL(setupUrl).hash.slice(1), email: 'lecturer@example.org', name: 'Lena', password: PASSWORD }, 201);
  return lecturerBrowser;
}
