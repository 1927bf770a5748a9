import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLAB_CLOSE } from '../../schema/index.ts';
import { BrowserClient, PASSWORD, setUpAdministrator, signUp } from '../helpers/browser-client.ts';
import { startTestServer } from '../helpers/test-server.ts';
import type { TestServer } from '../helpers/test-server.ts';
import { connectClient } from '../helpers/yws-client.ts';

/**
 * Accounts over HTTP and the socket: first start, sign up / in / out (everywhere), password
 * changes, session rotation, lock-out, and no answer — by message or by time — that tells
 * whether an account exists.
 */

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ signInFailuresPerAccount: 5, signInAttemptsPerAddress: 10_000 });
});
afterAll(() => server.stop());

/** The person a browser is signed in as (null when signed out). */
async function personOf(browser: BrowserClient): Promise<{ userId: string; name: string; isAdmin: boolean } | null> {
  return (await browser.json<{ person: { userId: string; name: string; isAdmin: boolean } | null }>('GET', '/api/auth/state')).person;
}

describe('first start', () => {
  it('creates the first administrator through the one-time setup link, and never again', async () => {
    const stranger = new BrowserClient(server.url);
    expect(await stranger.json('GET', '/api/auth/state')).toMatchObject({ person: null, setupNeeded: true, signUpOpen: false });
    const wrong = await stranger.request('POST', '/api/auth/setup', { token: 'x'.repeat(43), email: 'evil@example.org', name: 'Evil', password: PASSWORD });
    expect(wrong.status).toBe(403);
    const admin = await setUpAdministrator(server);
    expect(await personOf(admin)).toMatchObject({ name: 'Lena Lecturer', isAdmin: true });
    expect(server.setupUrl()).toBeNull();
    const again = await stranger.request('POST', '/api/auth/setup', { token: 'anything', email: 'second@example.org', name: 'Second', password: PASSWORD });
    expect(again.status).toBe(403);
    expect(await stranger.json('GET', '/api/auth/state')).toMatchObject({ setupNeeded: false });
  });
});

// Each sign-in costs a scrypt hash (~0.3–1 s on a loaded 2-core machine): these take their time.
describe('signing up, in and out', { timeout: 90_000 }, () => {
  let admin: BrowserClient;
  beforeAll(async () => {
    admin = new BrowserClient(server.url);
    await admin.json('POST', '/api/auth/sign-in', { email: 'lecturer@example.org', password: PASSWORD });
  });

  it('refuses sign-up without an invite until the administrator opens it', async () => {
    await admin.json('PUT', '/api/admin/settings', { signUpOpen: false });
    const closed = await new BrowserClient(server.url).request('POST', '/api/auth/sign-up', { email: 'early@example.org', name: 'Early', password: PASSWORD });
    expect(closed.status).toBe(403);
    const student = await signUp(server, admin, 'sam@example.org', 'Sam Student');
    expect(await personOf(student)).toMatchObject({ name: 'Sam Student', isAdmin: false });
    const notAdmin = await student.request('PUT', '/api/admin/settings', { signUpOpen: false });
    expect(notAdmin.status).toBe(403);
  });

  it('rejects a short password and a malformed address with a message', async () => {
    const browser = new BrowserClient(server.url);
    expect(await (await browser.request('POST', '/api/auth/sign-up', { email: 'a@b.org', name: 'A', password: 'short' })).json()).toEqual({ error: 'Choose a password of at least 10 characters.' });
    expect((await browser.request('POST', '/api/auth/sign-up', { email: 'not-an-address', name: 'A', password: PASSWORD })).status).toBe(400);
  });

  it('rotates the session on every sign-in: the cookie held before no longer works', async () => {
    const browser = new BrowserClient(server.url);
    await browser.json('POST', '/api/auth/sign-in', { email: 'sam@example.org', password: PASSWORD });
    const first = browser.session!;
    await browser.json('POST', '/api/auth/sign-in', { email: 'sam@example.org', password: PASSWORD });
    expect(browser.session).not.toBe(first);
    const stale = new BrowserClient(server.url);
    stale.session = first;
    expect(await personOf(stale)).toBeNull();
    expect(await personOf(browser)).toMatchObject({ name: 'Sam Student' });
  });

  it('signs out: the cookie is cleared and its session ends on the server', async () => {
    const browser = new BrowserClient(server.url);
    await browser.json('POST', '/api/auth/sign-in', { email: 'sam@example.org', password: PASSWORD });
    const token = browser.session!;
    await browser.json('POST', '/api/auth/sign-out');
    expect(browser.session).toBeNull();
    const replay = new BrowserClient(server.url);
    replay.session = token;
    expect(await personOf(replay)).toBeNull();
  });

  it('after sign-out-everywhere no session of the account works and its open sockets close within a second', async () => {
    const laptop = new BrowserClient(server.url);
    const phone = new BrowserClient(server.url);
    for (const browser of [laptop, phone]) await browser.json('POST', '/api/auth/sign-in', { email: 'sam@example.org', password: PASSWORD });
    const seminar = await admin.json<{ seminar: { id: string } }>('POST', '/api/seminars', { title: 'Sign-out seminar' }, 201);
    const invite = await admin.json<{ token: string }>('POST', `/api/seminars/${seminar.seminar.id}/invites`, { role: 'annotator' }, 201);
    await laptop.json('POST', `/api/join/${invite.token}`, { as: 'me' });
    const chapter = await admin.json<{ chapter: { id: string } }>('POST', `/api/seminars/${seminar.seminar.id}/chapters?name=plan.md`, new TextEncoder().encode('# Plan\n\nSome text.\n'), 201);
    const socket = connectClient({ url: server.url, room: chapter.chapter.id, kind: 'annotations', token: phone.session! });
    await socket.synced();
    const signedOutAt = performance.now();
    const answer = await laptop.json<{ sessions: number; closedConnections: number }>('POST', '/api/auth/sign-out-everywhere');
    expect(answer.sessions).toBeGreaterThanOrEqual(2);
    const closed = await socket.closed(1000);
    expect(closed.code).toBe(COLLAB_CLOSE.unauthorized);
    expect(performance.now() - signedOutAt).toBeLessThan(1000);
    socket.destroy();
    expect(await personOf(laptop)).toBeNull();
    expect(await personOf(phone)).toBeNull();
    expect((await phone.request('GET', `/api/rooms/${chapter.chapter.id}/me`)).status).toBe(401);
  });

  it('changes a password after checking the current one; other sessions end, this one continues', async () => {
    const here = new BrowserClient(server.url);
    const elsewhere = new BrowserClient(server.url);
    await signUp(server, admin, 'pat@example.org', 'Pat');
    for (const browser of [here, elsewhere]) await browser.json('POST', '/api/auth/sign-in', { email: 'pat@example.org', password: PASSWORD });
    expect((await here.request('PUT', '/api/auth/password', { current: 'wrong password!', next: 'a brand new passphrase' })).status).toBe(401);
    await here.json('PUT', '/api/auth/password', { current: PASSWORD, next: 'a brand new passphrase' });
    expect(await personOf(here)).toMatchObject({ name: 'Pat' });
    expect(await personOf(elsewhere)).toBeNull();
    expect((await new BrowserClient(server.url).request('POST', '/api/auth/sign-in', { email: 'pat@example.org', password: PASSWORD })).status).toBe(401);
    await new BrowserClient(server.url).json('POST', '/api/auth/sign-in', { email: 'PAT@example.org', password: 'a brand new passphrase' });
  });

  it('changes the display name of the signed-in person', async () => {
    const browser = new BrowserClient(server.url);
    await browser.json('POST', '/api/auth/sign-in', { email: 'sam@example.org', password: PASSWORD });
    const answer = await browser.json<{ person: { name: string } }>('PUT', '/api/auth/profile', { name: '  Samantha  ' });
    expect(answer.person.name).toBe('Samantha');
  });
});

describe('wrong passwords, lock-out and account enumeration', { timeout: 90_000 }, () => {
  it('answers a wrong password and an unknown address with the same status and message', async () => {
    const browser = new BrowserClient(server.url);
    const wrong = await browser.request('POST', '/api/auth/sign-in', { email: 'lecturer@example.org', password: 'not the password' });
    const unknown = await browser.request('POST', '/api/auth/sign-in', { email: 'nobody@example.org', password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
  });

  it('locks an address out after 5 failures, even with the right password, with the same answer whether or not the account exists', async () => {
    const browser = new BrowserClient(server.url);
    const lockedAnswers: unknown[] = [];
    for (const email of ['locked@example.org', 'ghost@example.org']) {
      if (email === 'locked@example.org') await signUp(server, new BrowserClient(server.url, server.url), email, 'Locked').catch(() => undefined);
      for (let attempt = 0; attempt < 5; attempt++) expect((await browser.request('POST', '/api/auth/sign-in', { email, password: `wrong ${attempt}` })).status).toBe(401);
      const locked = await browser.request('POST', '/api/auth/sign-in', { email, password: PASSWORD });
      expect(locked.status).toBe(429);
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(60);
      lockedAnswers.push(await locked.json());
    }
    expect(lockedAnswers[0]).toEqual(lockedAnswers[1]);
    expect(lockedAnswers[0]).toEqual({ error: 'Too many failed sign-ins for this address. Try again in 15 minutes.' });
  });

  it('takes as long to refuse an unknown address as a wrong password (interleaved medians within 40 %)', { timeout: 120_000 }, async () => {
    const timings: Record<'known' | 'unknown', number[]> = { known: [], unknown: [] };
    const browser = new BrowserClient(server.url);
    // Interleaved, so that load from elsewhere on the machine falls on both kinds alike. A check
    // that skipped the hash for a missing account answers in ~1 ms against hundreds.
    for (let round = 0; round < 12; round++) {
      for (const kind of round % 2 === 0 ? (['known', 'unknown'] as const) : (['unknown', 'known'] as const)) {
        // A fresh address each time for the unknown one, and few enough failures for the known one.
        const email = kind === 'known' ? (round % 4 < 2 ? 'lecturer@example.org' : 'sam@example.org') : `nobody-${round}@example.org`;
        const started = performance.now();
        const response = await browser.request('POST', '/api/auth/sign-in', { email, password: `wrong-${round}` });
        timings[kind].push(performance.now() - started);
        expect(response.status).toBe(401);
      }
      if (round % 4 === 3) for (const email of ['lecturer@example.org', 'sam@example.org']) await browser.json('POST', '/api/auth/sign-in', { email, password: PASSWORD });
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const [known, unknown] = [median(timings.known), median(timings.unknown)];
    expect(Math.abs(known - unknown), `median known ${known.toFixed(1)} ms, unknown ${unknown.toFixed(1)} ms`).toBeLessThan(0.4 * Math.max(known, unknown));
  });
});

describe('limits per network address', () => {
  it('refuses attempts beyond the per-address limit, whatever the address typed', async () => {
    const limited = await startTestServer({ signInAttemptsPerAddress: 4 });
    try {
      const browser = new BrowserClient(limited.url);
      for (let i = 0; i < 4; i++) expect((await browser.request('POST', '/api/auth/sign-in', { email: `someone-${i}@example.org`, password: 'whatever it is' })).status).toBe(401);
      const refused = await browser.request('POST', '/api/auth/sign-in', { email: 'fresh@example.org', password: 'whatever it is' });
      expect(refused.status).toBe(429);
      expect(await refused.json()).toEqual({ error: 'Too many attempts from your network. Try again in 15 minutes.' });
    } finally {
      await limited.stop();
    }
  });
});

describe('cross-site requests', () => {
  it('refuses state changes from a page of another site, with the cookie or without', async () => {
    const browser = new BrowserClient(server.url);
    await browser.json('POST', '/api/auth/sign-in', { email: 'lecturer@example.org', password: PASSWORD });
    const forged = new BrowserClient(server.url, 'https://evil.example');
    forged.session = browser.session;
    for (const [method, path, body] of [
      ['POST', '/api/seminars', { title: 'Forged' }],
      ['POST', '/api/auth/sign-out-everywhere', {}],
      ['PUT', '/api/admin/settings', { signUpOpen: true }],
      ['POST', '/api/auth/sign-in', { email: 'lecturer@example.org', password: PASSWORD }],
    ] as const) {
      const response = await forged.request(method, path, body);
      expect(response.status, `${method} ${path}`).toBe(403);
    }
    expect(await personOf(browser)).toMatchObject({ name: 'Lena Lecturer' });
    const seminars = await browser.json<{ seminars: { title: string }[] }>('GET', '/api/seminars');
    expect(seminars.seminars.map((s) => s.title)).not.toContain('Forged');
  });
});
