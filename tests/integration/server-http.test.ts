import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { MESSAGE_SYNC } from '../../schema/index.ts';
import { chapterText, makeDataDir, startTestServer } from '../helpers/test-server.ts';
import type { TestServer } from '../helpers/test-server.ts';
import { connectClient } from '../helpers/yws-client.ts';

/** Writes a file with its precompressed copies, as the client build does. */
function writeBuilt(file: string, text: string): void {
  writeFileSync(file, text);
  writeFileSync(`${file}.br`, brotliCompressSync(Buffer.from(text)));
  writeFileSync(`${file}.gz`, gzipSync(Buffer.from(text)));
}

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; font-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

describe('HTTP API', () => {
  let server: TestServer;
  let staticRoot: string;
  const api = (pathname: string, init: RequestInit = {}) => fetch(`${server.url}${pathname}`, { redirect: 'manual', ...init });
  const createRoom = (body: unknown, token: string | null = server.adminToken) =>
    api('/api/rooms', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    staticRoot = makeDataDir();
    const staticDir = path.join(staticRoot, 'client');
    mkdirSync(staticDir, { recursive: true });
    mkdirSync(path.join(staticDir, 'assets'));
    // A build as scripts/build-client.mjs makes it: a hashed bundle with precompressed copies, and the service worker.
    writeBuilt(path.join(staticDir, 'assets', 'app-TESTHASH.js'), 'console.log("the bundle");\n'.repeat(50));
    writeBuilt(path.join(staticDir, 'sw.js'), 'self.addEventListener("fetch", () => {});\n');
    server = await startTestServer({ staticDir, maxJsonBodyBytes: 200_000 });
  });
  afterAll(async () => {
    await server.stop();
    rmSync(staticRoot, { recursive: true, force: true });
  });

  it('keeps idle keep-alive connections for a minute, so a client reusing one is not cut off at 5 s', async () => {
    // A POST sent on a socket the server was closing at that instant failed as "other side closed".
    const keepAlive = await new Promise<string>((resolve, reject) => {
      httpGet(`${server.url}/healthz`, { headers: { connection: 'keep-alive' } }, (response) => {
        response.resume();
        resolve(String(response.headers['keep-alive']));
      }).on('error', reject);
    });
    expect(keepAlive).toBe('timeout=65');
  });

  it('answers /healthz with 200 JSON', async () => {
    const response = await api('/healthz');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, store: 'ok' });
  });

  it('creates a room with four role invites that open its documents', async () => {
    const response = await createRoom({ id: 'seminar-1', title: 'Seminar', text: chapterText });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { id: string; invites: Record<string, string> };
    expect(body.id).toBe('seminar-1');
    expect(Object.keys(body.invites).sort()).toEqual(['annotator', 'owner', 'reviewer', 'viewer']);
    const reader = connectClient({ url: server.url, room: 'seminar-1', kind: 'text', token: body.invites.viewer ?? '' });
    await reader.synced();
    expect(reader.ydoc.getXmlFragment('prosemirror').length).toBeGreaterThan(10);
    reader.destroy();
  });

  it('refuses room creation without, or with a wrong, admin token', async () => {
    expect((await createRoom({ id: 'no-auth', text: chapterText }, null)).status).toBe(401);
    expect((await createRoom({ id: 'bad-auth', text: chapterText }, 'x'.repeat(40))).status).toBe(403);
    expect((await createRoom({ id: 'viewer-auth', text: chapterText }, server.invites.owner)).status).toBe(403);
  });

  it('rejects bad ids, existing ids, chapters the importer refuses, and oversized bodies', async () => {
    for (const id of ['Upper', 'a/b', '', 'x'.repeat(65), 42]) {
      const response = await createRoom({ id, text: chapterText });
      expect(response.status, String(id)).toBe(400);
    }
    expect((await createRoom({ id: 'chapter-5', text: chapterText })).status).toBe(409);
    const rejected = await createRoom({ id: 'empty-chapter', text: '' });
    expect(rejected.status).toBe(400);
    expect(((await rejected.json()) as { error: string }).error.length).toBeGreaterThan(0);
    expect((await createRoom({ id: 'huge', text: 'x'.repeat(300_000) })).status).toBe(413);
    // The refused chapter left nothing behind: the id is still free.
    expect((await createRoom({ id: 'empty-chapter', text: chapterText })).status).toBe(201);
    const notJson = await api('/api/rooms', { method: 'POST', headers: { authorization: `Bearer ${server.adminToken}` }, body: 'id=a' });
    expect(notJson.status).toBe(415);
  });

  it('turns an invite link into an HttpOnly session cookie and a redirect', async () => {
    const response = await api(`/r/chapter-5?invite=${server.invites.annotator}`);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/r/chapter-5');
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^ap_session=[^;]+; HttpOnly; SameSite=Lax; Path=\//);
    const session = cookie.split(';')[0] ?? '';

    const me = await api('/api/rooms/chapter-5/me', { headers: { cookie: session } });
    expect(me.status).toBe(200);
    const identity = (await me.json()) as { userId: string; room: string; role: string; name: string };
    expect(identity).toMatchObject({ room: 'chapter-5', role: 'annotator' });
    expect(identity.userId).toMatch(/^u-/);

    // A cookie-authenticated change carries the page's Origin, as a browser sends it (CSRF check).
    const renamed = await api('/api/rooms/chapter-5/me', { method: 'PUT', headers: { cookie: session, origin: server.url, 'content-type': 'application/json' }, body: JSON.stringify({ name: '  Ada  ' }) });
    expect(await renamed.json()).toMatchObject({ name: 'Ada', userId: identity.userId });
    const socket = connectClient({ url: server.url, room: 'chapter-5', kind: 'annotations', token: session.slice('ap_session='.length) });
    await socket.synced();
    socket.destroy();
  });

  it('authenticates a WebSocket by its session cookie when no token is given', async () => {
    const response = await api(`/r/chapter-5?invite=${server.invites.viewer}`);
    const session = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/collab/chapter-5/text`, { headers: { cookie: session } });
    const first = await new Promise<Buffer | number>((resolve) => {
      ws.once('message', (data: Buffer) => resolve(data));
      ws.once('close', (code) => resolve(code));
    });
    expect(Buffer.isBuffer(first) && first[0]).toBe(MESSAGE_SYNC);
    ws.close();
  });

  it('refuses display names that are empty, too long or carry control characters', async () => {
    for (const name of ['   ', 'x'.repeat(61), 'evil\u202Eman', 'bell\u0007', 42]) {
      const response = await api('/api/rooms/chapter-5/me', {
        method: 'PUT',
        headers: { authorization: `Bearer ${server.invites.reviewer}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name }),
      });
      expect(response.status, JSON.stringify(name)).toBe(400);
    }
  });

  it('refuses bad invites at the browser entry and identity endpoints', async () => {
    expect((await api('/r/chapter-5?invite=nonsense')).status).toBe(401);
    const other = await api('/api/rooms', {
      method: 'POST',
      headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'elsewhere', text: chapterText }),
    });
    const { invites } = (await other.json()) as { invites: Record<string, string> };
    expect((await api(`/r/chapter-5?invite=${invites.owner}`)).status).toBe(403);
    expect((await api('/api/rooms/chapter-5/me')).status).toBe(401);
    expect((await api('/api/rooms/chapter-5/me', { headers: { authorization: `Bearer ${invites.owner}` } })).status).toBe(403);
  });

  it('creates sessions for programs from a Bearer invite, with a stable identity per invite otherwise', async () => {
    const response = await api('/api/rooms/chapter-5/sessions', { method: 'POST', headers: { authorization: `Bearer ${server.invites.reviewer}` } });
    expect(response.status).toBe(201);
    const session = (await response.json()) as { token: string; userId: string; role: string };
    expect(session.role).toBe('reviewer');
    const me = await api('/api/rooms/chapter-5/me', { headers: { authorization: `Bearer ${session.token}` } });
    expect(((await me.json()) as { userId: string }).userId).toBe(session.userId);

    const direct = async () => ((await (await api('/api/rooms/chapter-5/me', { headers: { authorization: `Bearer ${server.invites.viewer}` } })).json()) as { userId: string }).userId;
    expect(await direct()).toBe(await direct());
    expect((await api('/api/rooms/chapter-5/sessions', { method: 'POST', headers: { authorization: `Bearer ${session.token}` } })).status).toBe(401);
  });

  it('serves HTML with a strict CSP and nosniff, and the placeholder until the client is built', async () => {
    for (const page of ['/', '/r/chapter-5', '/r/chapter-5?invite=bad']) {
      const response = await api(page);
      expect(response.headers.get('content-security-policy'), page).toBe(CSP);
      expect(response.headers.get('x-content-type-options'), page).toBe('nosniff');
    }
    expect(await (await api('/r/chapter-5')).text()).toContain('not been built');
    expect((await api('/../package.json')).status).toBe(404);
    expect((await api('/%2e%2e/package.json')).status).toBe(404);
    expect((await api('/assets/../../package.json')).status).toBe(404);
  });

  it('serves hashed assets immutable and precompressed (brotli, gzip), the rest revalidated by ETag', async () => {
    const asset = '/assets/app-TESTHASH.js';
    const brotli = await api(asset, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(brotli.status).toBe(200);
    expect(brotli.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(brotli.headers.get('content-encoding')).toBe('br');
    expect(brotli.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(brotli.headers.get('vary')).toBe('Accept-Encoding');
    expect(brotli.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await brotli.text()).toContain('the bundle');
    expect((await api(asset, { headers: { 'accept-encoding': 'gzip' } })).headers.get('content-encoding')).toBe('gzip');
    const plain = await api(asset, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(Number(plain.headers.get('content-length'))).toBe('console.log("the bundle");\n'.length * 50);
    const worker = await api('/sw.js');
    expect(worker.headers.get('cache-control')).toBe('no-cache');
    expect(worker.headers.get('etag')).toBeTruthy();
    expect((await api('/assets/app-OTHER.js')).status).toBe(404);
  });

  it('serves the shell on every app page with an ETag: unchanged, it costs a 304; rebuilt, the new one is served', async () => {
    writeBuilt(path.join(server.config.staticDir, 'index.html'), '<!doctype html><title>Apparatus</title><script type="module" src="/assets/app-TESTHASH.js"></script>');
    for (const page of ['/', '/r/chapter-5']) {
      const first = await api(page, { headers: { 'accept-encoding': 'br' } });
      expect(first.status, page).toBe(200);
      expect(first.headers.get('content-security-policy'), page).toBe(CSP);
      expect(first.headers.get('cache-control'), page).toBe('no-cache');
      expect(first.headers.get('content-encoding'), page).toBe('br');
      expect(await first.text()).toContain('app-TESTHASH.js');
      const etag = first.headers.get('etag');
      expect(etag, page).toBeTruthy();
      const again = await api(page, { headers: { 'accept-encoding': 'br', 'if-none-match': etag! } });
      expect(again.status, page).toBe(304);
    }
    const etag = (await api('/', { headers: { 'accept-encoding': 'identity' } })).headers.get('etag')!;
    // A rebuild writes a new shell (another size and time): the old ETag no longer matches.
    await new Promise((resolve) => setTimeout(resolve, 10));
    writeBuilt(path.join(server.config.staticDir, 'index.html'), '<!doctype html><title>Apparatus</title><script type="module" src="/assets/app-NEWHASH.js"></script>');
    const rebuilt = await api('/', { headers: { 'accept-encoding': 'identity', 'if-none-match': etag } });
    expect(rebuilt.status).toBe(200);
    expect(await rebuilt.text()).toContain('app-NEWHASH.js');
  });
});
