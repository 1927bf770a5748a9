import type { RoomInvites } from './bench-servers.ts';
import { chapterText } from './chapter-fixture.ts';
/** Who a benchmark client is: its session token (null for the reference server) and its user. */
export interface BenchIdentity {
  token: string | null;
  userId: string;
  name: string;
}

/** Sends a request, waiting and retrying while the server answers 429 (a rate limit), up to 10 times. */
async function fetchPatiently(url: string, init: RequestInit): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(url, init);
    if (response.status !== 429 || attempt >= 10) return response;
    const retryAfterS = Number(response.headers.get('retry-after') ?? '1');
    await new Promise((resolve) => setTimeout(resolve, Math.max(0.1, retryAfterS) * 1000));
  }
}

/** Exchanges an invite for a session (`POST /api/rooms/<room>/sessions`) and names its user (`PUT …/me`). */
async function createSession(url: string, room: string, invite: string, name: string): Promise<BenchIdentity> {
  const created = await fetchPatiently(`${url}/api/rooms/${room}/sessions`, { method: 'POST', headers: { authorization: `Bearer ${invite}` } });
  if (created.status !== 201) throw new Error(`creating a session in ${room}: ${created.status} ${await created.text()}`);
  const { token, userId } = (await created.json()) as { token: string; userId: string };
  const renamed = await fetchPatiently(`${url}/api/rooms/${room}/me`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ name }),
  });
  if (renamed.status !== 200) throw new Error(`naming ${userId}: ${renamed.status} ${await renamed.text()}`);
  return { token, userId, name };
}

/**
 * Creates `count` real sessions from one invite (each a distinct user, as when a class opens the
 * same link), named `Reader 1…count`, a few at a time.
 */
export async function createSessions(url: string, room: string, invite: string, count: number): Promise<BenchIdentity[]> {
  const identities: BenchIdentity[] = [];
  for (let i = 0; i < count; i += 10) {
    const batch = Array.from({ length: Math.min(10, count - i) }, (_, k) => createSession(url, room, invite, `Reader ${i + k + 1}`));
    identities.push(...(await Promise.all(batch)));
  }
  return identities;
}

/** Identities for the reference server, which has no accounts: the same shape, no token. */
export function anonymousIdentities(count: number): BenchIdentity[] {
  return Array.from({ length: count }, (_, i) => ({ token: null, userId: `u-${(i + 1).toString(16).padStart(16, '0')}`, name: `Reader ${i + 1}` }));
}

/** Creates a room of the fixture chapter on an Apparatus server through the admin API; returns its invites. */
export async function createBenchRoom(server: { url: string; adminToken: string }, id: string, title = 'Benchmark room'): Promise<RoomInvites> {
  const created = await fetch(`${server.url}/api/rooms`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ id, title, text: chapterText() }),
  });
  if (created.status !== 201) throw new Error(`creating ${id}: ${created.status} ${await created.text()}`);
  return ((await created.json()) as { invites: RoomInvites }).invites;
}
