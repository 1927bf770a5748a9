import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/index.ts';
import { startTestServer } from '../helpers/test-server.ts';
import type { TestServer } from '../helpers/test-server.ts';

// Issue 14, attack 7 (A5 of RELIABILITY.md and the headers of every response): the session
// cookie is Secure whenever the browser came over https (PUBLIC_URL, or TRUST_PROXY and
// X-Forwarded-Proto); a refused WebSocket upgrade carries Referrer-Policy; a request naming a
// host this server does not answer to (DNS rebinding) is refused, upgrade or not.

/** Sends a request with any Host header (fetch will not), returning status, headers and body. */
function raw(url: string, path: string, headers: Record<string, string>, upgrade = false): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  const { hostname, port } = new URL(url);
  const upgradeHeaders = upgrade ? { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': randomBytes(16).toString('base64') } : {};
  return new Promise((resolve, reject) => {
    const request = httpRequest({ hostname, port, path, headers: { ...upgradeHeaders, ...headers } });
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    request.on('upgrade', (response, socket) => {
      socket.destroy();
      resolve({ status: response.statusCode ?? 101, headers: response.headers, body: '' });
    });
    request.on('error', reject);
    request.end();
  });
}

describe('web details (issue 14, attack 7)', () => {
  let plain: TestServer;
  let public_: TestServer;
  let proxied: TestServer;

  beforeAll(async () => {
    plain = await startTestServer();
    public_ = await startTestServer({ publicUrl: 'https://apparatus.example.org' });
    proxied = await startTestServer({ trustProxy: true });
  });
  afterAll(async () => {
    await Promise.all([plain.stop(), public_.stop(), proxied.stop()]);
  });

  const sessionCookieOf = async (server: TestServer, headers: Record<string, string> = {}) => {
    const response = await raw(server.url, `/r/chapter-5?invite=${encodeURIComponent(server.invites.annotator)}`, { Host: new URL(server.url).host, ...headers });
    expect(response.status).toBe(303);
    return String(response.headers['set-cookie']);
  };

  it('makes the session cookie Secure behind an https PUBLIC_URL, or a trusted proxy that says https, and only then', async () => {
    expect(await sessionCookieOf(plain)).not.toMatch(/Secure/);
    expect(await sessionCookieOf(plain, { 'X-Forwarded-Proto': 'https' })).not.toMatch(/Secure/);
    expect(await sessionCookieOf(public_)).toMatch(/; HttpOnly; Secure; SameSite=Lax;/);
    expect(await sessionCookieOf(proxied, { 'X-Forwarded-Proto': 'https' })).toMatch(/; Secure;/);
    expect(await sessionCookieOf(proxied, { 'X-Forwarded-Proto': 'http' })).not.toMatch(/Secure/);
  });

  it('A5: refuses a WebSocket upgrade from a foreign origin with Referrer-Policy: no-referrer (its URL holds a token)', async () => {
    const refused = await raw(plain.url, `/collab/chapter-5/annotations?token=${plain.invites.owner}`, { Origin: 'http://evil.example' }, true);
    expect(refused.status).toBe(403);
    expect(refused.headers['referrer-policy']).toBe('no-referrer');
    expect(refused.headers['x-content-type-options']).toBe('nosniff');
  });

  it('A5: refuses DNS rebinding: an upgrade and a request whose Host and Origin both name another site', async () => {
    const host = `attacker.example:${new URL(plain.url).port}`;
    const upgrade = await raw(plain.url, `/collab/chapter-5/annotations?token=${plain.invites.owner}`, { Host: host, Origin: `http://${host}` }, true);
    expect(upgrade.status).toBe(403);
    expect(upgrade.body).toMatch(/does not answer to/);
    const page = await raw(plain.url, `/api/rooms/chapter-5/me`, { Host: host, Authorization: `Bearer ${plain.invites.owner}` });
    expect(page.status).toBe(421);
    // Loopback names and IP addresses are this server's; so is PUBLIC_URL's host.
    expect((await raw(plain.url, '/healthz', { Host: `localhost:${new URL(plain.url).port}` })).status).toBe(200);
    expect((await raw(plain.url, '/healthz', { Host: new URL(plain.url).host })).status).toBe(200);
    const named = await raw(public_.url, `/collab/chapter-5/annotations?token=${public_.invites.owner}`, { Host: 'apparatus.example.org', Origin: 'https://apparatus.example.org' }, true);
    expect(named.status).toBe(101);
    expect((await raw(public_.url, '/healthz', { Host: 'other.example.org' })).status).toBe(421);
  });

  it('reads PUBLIC_URL and TRUST_PROXY from the environment, refusing what they cannot mean', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://apparatus.example.org/', TRUST_PROXY: '1' })).toMatchObject({ ok: true, value: { publicUrl: 'https://apparatus.example.org', trustProxy: true } });
    expect(loadConfig({})).toMatchObject({ ok: true, value: { publicUrl: null, trustProxy: false } });
    expect(loadConfig({ PUBLIC_URL: 'ftp://apparatus.example.org' })).toMatchObject({ ok: false, error: expect.stringMatching(/^PUBLIC_URL/) });
    expect(loadConfig({ TRUST_PROXY: 'maybe' })).toMatchObject({ ok: false, error: expect.stringMatching(/^TRUST_PROXY/) });
  });
});
