import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLAB_CLOSE } from '../../schema/index.ts';
import { DATABASE_FILE, loadConfig } from '../../server/index.ts';
import { RawClient, rawUpgrade, waitUntil } from '../helpers/raw-client.ts';
import { createRoomViaApi, startTestServer } from '../helpers/test-server.ts';
import type { RoleTokens, TestServer } from '../helpers/test-server.ts';

// A4, A5 and W3 of docs/reliability.md, and the owner's invite API: canonical rooms only, tokens
// that end close their sockets, foreign origins refused on sockets and state changes.

const EVIL = 'http://evil.example';

describe('upgrades, invites and origins', () => {
  let server: TestServer;
  let other: RoleTokens;
  const clients: RawClient[] = [];
  const api = (route: string, init: RequestInit = {}) => fetch(`${server.url}${route}`, init);
  const json = (body: unknown) => ({ 'content-type': 'application/json', body: JSON.stringify(body) });
  const asOwner = (route: string, init: RequestInit = {}, headers: Record<string, string> = {}) =>
    api(route, { ...init, headers: { authorization: `Bearer ${server.invites.owner}`, ...headers, ...(init.headers as Record<string, string>) } });
  const createInvite = async (body: Record<string, unknown>) => {
    const response = await asOwner('/api/rooms/chapter-5/invites', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(response.status).toBe(201);
    return (await response.json()) as { invite: { id: string; role: string; state: string; expiresAt: string | null }; token: string; url: string };
  };
  const connect = async (token: string, room = 'chapter-5') => {
    const client = await RawClient.connect({ url: server.url, path: `/collab/${room}/annotations?token=${encodeURIComponent(token)}` });
    clients.push(client);
    return client;
  };
  const browserSession = async (invite: string) => {
    const response = await api(`/r/chapter-5?invite=${encodeURIComponent(invite)}`, { redirect: 'manual' });
    return (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  };

  beforeAll(async () => {
    server = await startTestServer({ credentialCheckMs: 200 });
    other = await createRoomViaApi(server, 'other-room');
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await server.stop();
  });

  it('A4: refuses another room’s token and every non-canonical path at upgrade, sending no byte of the room', async () => {
    const foreign = await rawUpgrade(server.url, `/collab/chapter-5/annotations?token=${other.owner}`);
    expect(foreign).toEqual({ status: 101, closeCode: COLLAB_CLOSE.forbidden, dataFrames: [] });
    const tricks = [
      '/collab/other-room/../chapter-5/annotations',
      '/collab/./chapter-5/annotations',
      '/collab/%63hapter-5/annotations',
      '/collab/chapter%2D5/annotations',
      '/collab/Chapter-5/annotations',
      '/collab/CHAPTER-5/ANNOTATIONS',
      '/collab/chapter-5/annotations/',
      '/collab//chapter-5/annotations',
      '/collab/chapter-5//annotations',
      '/collab/chapter-5%2Fannotations',
      '/collab/chapter-5/annotations%00',
      '/collab/chapter-5\\annotations',
    ];
    for (const trick of tricks) {
      const result = await rawUpgrade(server.url, `${trick}?token=${server.invites.owner}`);
      expect(result, trick).toEqual({ status: 101, closeCode: COLLAB_CLOSE.notFound, dataFrames: [] });
    }
    const canonical = await rawUpgrade(server.url, `/collab/chapter-5/annotations?token=${server.invites.owner}`, {}, 300);
    expect(canonical.dataFrames.length).toBeGreaterThan(0);
  });

  it('A4: closes sockets of a revoked invite and of its sessions within 5 s, and refuses it afterwards', async () => {
    const { invite, token } = await createInvite({ role: 'annotator', label: 'to be revoked' });
    const session = ((await (await api('/api/rooms/chapter-5/sessions', { method: 'POST', headers: { authorization: `Bearer ${token}` } })).json()) as { token: string }).token;
    const direct = await connect(token);
    const viaSession = await connect(session);
    await Promise.all([direct.sync(), viaSession.sync()]);
    const revokedAt = Date.now();
    const revoked = await asOwner(`/api/rooms/chapter-5/invites/${invite.id}`, { method: 'DELETE', headers: { origin: server.url } });
    expect(revoked.status).toBe(200);
    expect(((await revoked.json()) as { closedConnections: number }).closedConnections).toBe(2);
    const outcomes = await Promise.all([direct.ended, viaSession.ended]);
    expect(Date.now() - revokedAt).toBeLessThan(5000);
    expect(outcomes.map((o) => o.code)).toEqual([COLLAB_CLOSE.unauthorized, COLLAB_CLOSE.unauthorized]);
    for (const credential of [token, session]) {
      expect(await rawUpgrade(server.url, `/collab/chapter-5/annotations?token=${credential}`)).toEqual({ status: 101, closeCode: COLLAB_CLOSE.unauthorized, dataFrames: [] });
    }
    expect((await api('/api/rooms/chapter-5/me', { headers: { authorization: `Bearer ${session}` } })).status).toBe(401);
  });

  it('A4: closes the socket of an invite that expires while it is open, within 5 s', async () => {
    const { token, invite } = await createInvite({ role: 'viewer', expiresInSeconds: 1 });
    expect(invite.expiresAt).not.toBeNull();
    const client = await connect(token);
    await client.sync();
    const outcome = await client.ended;
    expect(outcome.code).toBe(COLLAB_CLOSE.unauthorized);
    expect(Date.now()).toBeLessThan(Date.parse(invite.expiresAt!) + 5000);
    expect(outcome.reason).toBe('invite expired');
  });

  it('A4: closes a browser session’s socket when the session expires', async () => {
    const short = await startTestServer({ sessionTtlMs: 800, credentialCheckMs: 100 });
    try {
      const response = await fetch(`${short.url}/r/chapter-5?invite=${short.invites.reviewer}`, { redirect: 'manual' });
      const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const client = await RawClient.connect({ url: short.url, path: '/collab/chapter-5/text', headers: { cookie, origin: short.url } });
      clients.push(client);
      await client.sync();
      const outcome = await client.ended;
      expect(outcome).toMatchObject({ code: COLLAB_CLOSE.unauthorized, reason: 'session expired' });
    } finally {
      await short.stop();
    }
  });

  it('A5: refuses a cross-site WebSocket carrying a valid session cookie, and accepts the same from the server’s own page', async () => {
    const cookie = await browserSession(server.invites.owner);
    const hijack = await rawUpgrade(server.url, '/collab/chapter-5/annotations', { cookie, origin: EVIL });
    expect(hijack).toEqual({ status: 403, closeCode: null, dataFrames: [] });
    expect((await rawUpgrade(server.url, '/collab/chapter-5/annotations', { cookie, origin: 'null' })).status).toBe(403);
    const own = await RawClient.connect({ url: server.url, path: '/collab/chapter-5/annotations', headers: { cookie, origin: server.url } });
    clients.push(own);
    await own.sync();
    expect(own.open).toBe(true);
  });

  it('A5: with ALLOWED_ORIGINS, allows exactly the listed origins', async () => {
    const listed = await startTestServer({ allowedOrigins: ['https://apparatus.example.org'] });
    try {
      const headers = (origin: string) => ({ origin });
      const path = `/collab/chapter-5/text?token=${listed.invites.viewer}`;
      expect((await rawUpgrade(listed.url, path, headers('https://apparatus.example.org'), 300)).status).toBe(101);
      expect((await rawUpgrade(listed.url, path, headers(listed.url))).status).toBe(403);
      expect((await rawUpgrade(listed.url, path, headers('https://apparatus.example.org.evil.example'))).status).toBe(403);
      // Imports follow the same list: the listed page (behind a proxy that rewrites Host) may import, others may not.
      const exported = await (await fetch(`${listed.url}/api/rooms/chapter-5/export?format=native`, { headers: { authorization: `Bearer ${listed.invites.owner}` } })).text();
      const importFrom = (origin: string) =>
        fetch(`${listed.url}/api/rooms/chapter-5/import?dryRun=1`, {
          method: 'POST',
          headers: { origin, authorization: `Bearer ${listed.invites.owner}`, 'content-type': 'application/json' },
          body: exported,
        });
      expect((await importFrom('https://apparatus.example.org')).status).toBe(200);
      expect((await importFrom(listed.url)).status).toBe(403);
    } finally {
      await listed.stop();
    }
  });

  it('W3: refuses cross-site import, invite and identity changes (403) and changes nothing', async () => {
    const cookie = await browserSession(server.invites.owner);
    const exported = await (await asOwner('/api/rooms/chapter-5/export?format=native')).text();
    const before = ((await (await asOwner('/api/rooms/chapter-5/invites')).json()) as { invites: unknown[] }).invites;
    const attempts: [string, RequestInit][] = [
      ['/api/rooms/chapter-5/import', { method: 'POST', headers: { cookie, origin: EVIL, 'content-type': 'application/json' }, body: exported }],
      ['/api/rooms/chapter-5/invites', { method: 'POST', headers: { cookie, origin: EVIL, 'content-type': 'application/json' }, body: JSON.stringify({ role: 'owner' }) }],
      [`/api/rooms/chapter-5/invites/${'0'.repeat(24)}`, { method: 'DELETE', headers: { cookie, origin: EVIL } }],
      ['/api/rooms/chapter-5/me', { method: 'PUT', headers: { cookie, origin: EVIL, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Pwned' }) }],
      // A cookie without any Origin: only a browser sends the cookie, and a browser would send an Origin.
      ['/api/rooms/chapter-5/invites', { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ role: 'owner' }) }],
      ['/api/rooms', { method: 'POST', headers: { origin: EVIL, authorization: `Bearer ${server.adminToken}`, ...{ 'content-type': 'application/json' } }, body: JSON.stringify({ id: 'evil', text: 'x' }) }],
    ];
    for (const [route, init] of attempts) {
      const response = await api(route, init);
      expect(response.status, `${init.method} ${route}`).toBe(403);
      expect(((await response.json()) as { error: string }).error).toMatch(/cross-site|Origin/);
    }
    expect(((await (await asOwner('/api/rooms/chapter-5/invites')).json()) as { invites: unknown[] }).invites).toEqual(before);
    expect(((await (await api('/api/rooms/chapter-5/me', { headers: { cookie } })).json()) as { name: string }).name).not.toBe('Pwned');
    // The same page on the server's own origin, and a program with a Bearer token and no Origin, may.
    expect((await api('/api/rooms/chapter-5/me', { method: 'PUT', headers: { cookie, origin: server.url, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Olga' }) })).status).toBe(200);
    expect((await asOwner('/api/rooms/chapter-5/invites', { method: 'POST', ...json({ role: 'viewer' }), headers: { 'content-type': 'application/json' } })).status).toBe(201);
  });

  it('lets the owner create, list and revoke invites, storing only hashes; others get 403', async () => {
    const created = await createInvite({ role: 'reviewer', label: 'Peer reviewer', expiresInSeconds: 3600 });
    expect(created.url).toBe(`${server.url}/r/chapter-5?invite=${encodeURIComponent(created.token)}`);
    expect(created.invite).toMatchObject({ role: 'reviewer', state: 'active' });
    expect((await api(`/r/chapter-5?invite=${encodeURIComponent(created.token)}`, { redirect: 'manual' })).status).toBe(303);
    const listing = (await (await asOwner('/api/rooms/chapter-5/invites')).json()) as { invites: { id: string; yours: boolean; label: string | null }[] };
    expect(listing.invites.find((i) => i.id === created.invite.id)?.label).toBe('Peer reviewer');
    expect(listing.invites.filter((i) => i.yours)).toHaveLength(1);
    expect(JSON.stringify(listing)).not.toContain(created.token);
    const database = readFileSync(path.join(server.dataDir, DATABASE_FILE));
    expect(database.includes(Buffer.from(created.token))).toBe(false);

    for (const role of ['reviewer', 'annotator', 'viewer'] as const) {
      const response = await api('/api/rooms/chapter-5/invites', { headers: { authorization: `Bearer ${server.invites[role]}` } });
      expect(response.status, role).toBe(403);
    }
    expect((await api('/api/rooms/chapter-5/invites')).status).toBe(401);
    const bad = [{ role: 'admin' }, { role: 'viewer', expiresInSeconds: -5 }, { role: 'viewer', expiresAt: '2001-01-01T00:00:00Z' }, { role: 'viewer', label: 'x\u202Ey' }];
    for (const body of bad) expect((await asOwner('/api/rooms/chapter-5/invites', { method: 'POST', ...json(body), headers: { 'content-type': 'application/json' } })).status, JSON.stringify(body)).toBe(400);
    const mine = listing.invites.find((i) => i.yours)!;
    expect((await asOwner(`/api/rooms/chapter-5/invites/${mine.id}`, { method: 'DELETE' })).status).toBe(409);
    expect((await asOwner(`/api/rooms/chapter-5/invites/${'f'.repeat(24)}`, { method: 'DELETE' })).status).toBe(404);
    expect((await asOwner(`/api/rooms/chapter-5/invites/${created.invite.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await api(`/r/chapter-5?invite=${encodeURIComponent(created.token)}`, { redirect: 'manual' })).status).toBe(401);
  });

  it('sets browser sessions as HttpOnly, SameSite=Lax cookies', async () => {
    const response = await api(`/r/chapter-5?invite=${server.invites.viewer}`, { redirect: 'manual' });
    expect(response.headers.get('set-cookie')).toMatch(/^ap_session=[^;]+; HttpOnly; SameSite=Lax; Path=\/; Max-Age=\d+$/);
  });

  it('refuses more upgrades per minute per address than allowed (429), and too many open sockets (1013)', async () => {
    const limited = await startTestServer({ connectionsPerMinute: 5, maxSocketsPerAddress: 2 });
    try {
      const path = `/collab/chapter-5/text?token=${limited.invites.viewer}`;
      const first = await RawClient.connect({ url: limited.url, path });
      const second = await RawClient.connect({ url: limited.url, path });
      const third = await RawClient.connect({ url: limited.url, path });
      clients.push(first, second, third);
      expect((await third.ended).code).toBe(1013);
      await waitUntil(() => limited.collab.connections().size === 2, 'two open sockets');
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await rawUpgrade(limited.url, path, {}, 200)).status);
      expect(statuses).toEqual([101, 101, 429, 429]);
    } finally {
      await limited.stop();
    }
  });

  it('reads the origin allow-list and the limits from the environment, naming a bad value', () => {
    const config = loadConfig({ ALLOWED_ORIGINS: 'https://apparatus.example.org, http://localhost:8080', MAX_MESSAGES_PER_SECOND: '50', CONNECTIONS_PER_MINUTE: '60' });
    expect(config.ok && config.value).toMatchObject({ allowedOrigins: ['https://apparatus.example.org', 'http://localhost:8080'], messagesPerSecond: 50, connectionsPerMinute: 60 });
    const defaults = loadConfig({});
    expect(defaults.ok && defaults.value).toMatchObject({ allowedOrigins: null, messagesPerSecond: 100, maxSocketsPerAddress: 256, awarenessMaxBytes: 4096 });
    expect(loadConfig({ ALLOWED_ORIGINS: 'https://a.example/path' })).toMatchObject({ ok: false, error: expect.stringContaining('ALLOWED_ORIGINS') });
    expect(loadConfig({ MAX_SOCKETS_PER_ROOM: '0' })).toMatchObject({ ok: false, error: expect.stringContaining('MAX_SOCKETS_PER_ROOM') });
  });

  it('reads the import limits once, with the other limits, and refuses bad values instead of ignoring them', () => {
    expect(loadConfig({ IMPORT_MAX_BYTES: '2048', IMPORT_MAX_ANNOTATIONS: '25' })).toMatchObject({ ok: true, value: { importMaxBytes: 2048, importMaxAnnotations: 25 } });
    expect(loadConfig({})).toMatchObject({ ok: true, value: { importMaxBytes: 10 * 1024 * 1024, importMaxAnnotations: 50_000 } });
    for (const bad of ['0', '-5', '1.5', 'many']) {
      expect(loadConfig({ IMPORT_MAX_ANNOTATIONS: bad }), bad).toMatchObject({ ok: false, error: expect.stringContaining('IMPORT_MAX_ANNOTATIONS') });
    }
    expect(loadConfig({ IMPORT_MAX_BYTES: 'ten' })).toMatchObject({ ok: false, error: expect.stringContaining('IMPORT_MAX_BYTES') });
  });
});
