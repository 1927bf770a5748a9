import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { COLLAB_CLOSE, listAnnotations, ROUND_CHANGED_CLOSE, roundLayerName } from '../../schema/index.ts';
import { verifyStoredDoc } from '../../server/persistence/store-integrity.ts';
import { createCollectingLogger, defaultConfig, loadConfig, openStorage } from '../../server/index.ts';
import { annotateAs, seedRoom } from '../helpers/access-builders.ts';
import { BrowserClient, PASSWORD, setUpAdministrator } from '../helpers/browser-client.ts';
import { annotationIds, callApi, namedSession, RoundReader, startRound } from '../helpers/round-readers.ts';
import { joinAsStudent, ownChangesStored, startServersOn } from '../helpers/cluster-fixtures.ts';
import { enginesMissing, startPostgres, startRedis } from '../helpers/engines.ts';
import type { PostgresInstance, RedisInstance } from '../helpers/engines.ts';
import { createRoomViaApi, startTestServer } from '../helpers/test-server.ts';
import type { TestServer } from '../helpers/test-server.ts';
import { connectClient, waitFor } from '../helpers/yws-client.ts';
import type { TestClient } from '../helpers/yws-client.ts';

// Several server processes over one PostgreSQL and one Redis (docs/several-servers.md), each a
// whole server in this process. What real processes behind a load balancer add (kill -9, a
// proxy's failover, 60 clients) is in several-servers-processes.test.ts.

const missing = enginesMissing();
const DOC = 'chapter-5/annotations';
let postgres: PostgresInstance;
let redis: RedisInstance;

describe('the settings of several servers', () => {
  it('reads DATABASE_URL, PG_POOL_SIZE and REDIS_URL, and refuses a relay without a shared store', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://app@db.example:5432/apparatus', REDIS_URL: 'redis://cache.example:6379', PG_POOL_SIZE: '20' })).toMatchObject({
      ok: true,
      value: { databaseUrl: 'postgres://app@db.example:5432/apparatus', redisUrl: 'redis://cache.example:6379', pgPoolSize: 20 },
    });
    expect(loadConfig({})).toMatchObject({ ok: true, value: { databaseUrl: null, redisUrl: null } });
    expect(loadConfig({ DATABASE_URL: 'mysql://db.example/apparatus' })).toMatchObject({ ok: false, error: expect.stringMatching(/^DATABASE_URL must start with postgres:\/\//) });
    expect(loadConfig({ REDIS_URL: 'not a url', DATABASE_URL: 'postgres://db.example/a' })).toMatchObject({ ok: false, error: expect.stringMatching(/^REDIS_URL is not a URL/) });
    expect(loadConfig({ REDIS_URL: 'redis://cache.example' })).toMatchObject({ ok: false, error: expect.stringMatching(/^REDIS_URL needs DATABASE_URL/) });
  });
});

describe.skipIf(missing !== null)(`several servers over PostgreSQL and Redis${missing ? ` (skipped: ${missing})` : ''}`, () => {
  const servers: TestServer[] = [];
  const clients: TestClient[] = [];
  const readers: RoundReader[] = [];
  beforeAll(async () => {
    [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  }, 60_000);
  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    for (const reader of readers.splice(0)) reader.leave();
    await Promise.all(servers.splice(0).map((server) => server.stop()));
  });
  afterAll(async () => {
    await Promise.all([postgres?.stop(), redis?.stop()]);
  });

  const start = async (count: number, options?: Parameters<typeof startServersOn>[3]) => {
    const started = await startServersOn(postgres, redis, count, options);
    servers.push(...started);
    return started;
  };
  const connect = (server: TestServer, token: string, room = 'chapter-5') => {
    const client = connectClient({ url: server.url, room, kind: 'annotations', token });
    clients.push(client);
    return client;
  };
  const notes = (client: TestClient) => new Set(listAnnotations(client.ydoc).map((annotation) => annotation.note));

  /** What PostgreSQL holds of a document, read by a connection of its own. */
  const storedDoc = async (server: TestServer, docName = DOC) => {
    const storage = await openStorage({ ...defaultConfig(), databaseUrl: server.config.databaseUrl }, createCollectingLogger());
    try {
      return await storage.stores.updates.loadDoc(docName);
    } finally {
      await storage.close();
    }
  };

  it('relays what one stores, and its peers’ presence, to the clients of another; each acknowledges only what is stored', async () => {
    const [a, b] = await start(2);
    const ada = await joinAsStudent(a!, 0);
    const bob = await joinAsStudent(b!, 1);
    const onA = connect(a!, ada.token);
    const onB = connect(b!, bob.token);
    await Promise.all([onA.synced(), onB.synced()]);
    annotateAs(onA.ydoc, ada, { note: 'written through A' });
    await waitFor(() => notes(onB).has('written through A'), 'B’s client to see what was written through A');
    annotateAs(onB.ydoc, bob, { note: 'written through B' });
    await waitFor(() => notes(onA).has('written through B'), 'A’s client to see what was written through B');
    await waitFor(() => ownChangesStored(onA) && ownChangesStored(onB), 'both to be acknowledged');
    const stored = await storedDoc(a!);
    expect(verifyStoredDoc(DOC, stored).damage).toEqual([]);
    expect(stored.updates.length).toBeGreaterThanOrEqual(2);

    onA.provider.awareness.setLocalStateField('cursor', { at: 42 });
    await waitFor(() => (onB.provider.awareness.getStates().get(onA.ydoc.clientID) as { cursor?: { at: number } } | undefined)?.cursor?.at === 42, 'A’s presence on B');
    onA.destroy();
    await waitFor(() => !onB.provider.awareness.getStates().has(onA.ydoc.clientID), 'A’s presence to leave B when its client leaves', 10_000);
  });

  it('commits an update in PostgreSQL before any server relays it', async () => {
    let release: (() => void) | null = null;
    const held = new Promise<void>((resolve) => (release = resolve));
    let holding = false;
    const [a, b] = await start(2, (i) => (i === 0 ? { hooks: { beforeCommit: () => (holding ? held : undefined) } } : {}));
    const ada = await joinAsStudent(a!, 0);
    const bob = await joinAsStudent(b!, 1);
    const writer = connect(a!, ada.token);
    const sameServer = connect(a!, bob.token);
    const otherServer = connect(b!, bob.token);
    await Promise.all([writer.synced(), sameServer.synced(), otherServer.synced()]);
    const before = (await storedDoc(a!)).head ?? 0;
    holding = true;
    annotateAs(writer.ydoc, ada, { note: 'held at the store' });
    await waitFor(() => a!.collab.queue.pendingCount > 0, 'the update to wait for its commit');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(notes(sameServer).has('held at the store')).toBe(false);
    expect(notes(otherServer).has('held at the store')).toBe(false);
    expect((await storedDoc(a!)).head ?? 0).toBe(before);
    holding = false;
    release!();
    await waitFor(() => notes(otherServer).has('held at the store') && notes(sameServer).has('held at the store'), 'the update everywhere once stored');
    expect((await storedDoc(a!)).head ?? 0).toBeGreaterThan(before);
  });

  it('reads from PostgreSQL what it missed: an entry skipped by the relay (a gap of seqs), and entries never relayed at all', async () => {
    let drop: (seq: number) => boolean = () => false;
    const [a, b] = await start(2, (i) =>
      i === 1 ? { hooks: { dropRelayed: (message) => message.kind === 'stored' && message.entries !== null && message.entries.some((entry) => drop(entry.seq)) } } : {},
    );
    const ada = await joinAsStudent(a!, 0);
    const bob = await joinAsStudent(b!, 1);
    const onA = connect(a!, ada.token);
    const onB = connect(b!, bob.token);
    await Promise.all([onA.synced(), onB.synced()]);
    // One entry lost in the middle: the next one shows the gap.
    const first = (await storedDoc(a!)).head ?? 0;
    drop = (seq) => seq === first + 2;
    for (let i = 0; i < 4; i++) {
      annotateAs(onA.ydoc, ada, { note: `gap ${i}` });
      await waitFor(() => ownChangesStored(onA), `entry ${i} to be stored`);
    }
    await waitFor(() => [0, 1, 2, 3].every((i) => notes(onB).has(`gap ${i}`)), 'B to fill the gap from the store');
    expect(b!.log.entries.some((entry) => entry.event === 'cluster.gap')).toBe(true);
    // The last entries lost, and nothing after them: the head records show B behind.
    drop = () => true;
    annotateAs(onA.ydoc, ada, { note: 'never relayed' });
    await waitFor(() => notes(onB).has('never relayed'), 'B to read what was never relayed', 5000);
    expect(b!.log.entries.some((entry) => entry.event === 'cluster.behind')).toBe(true);
  });

  it('keeps one gapless log when three servers append to one document at once, and every client converges', async () => {
    const started = await start(3);
    const students = await Promise.all(Array.from({ length: 9 }, (_, n) => joinAsStudent(started[n % 3]!, n)));
    const crowd = students.map((student, n) => connect(started[n % 3]!, student.token));
    await Promise.all(crowd.map((client) => client.synced(10_000)));
    await Promise.all(
      crowd.map(async (client, n) => {
        for (let k = 0; k < 15; k++) {
          annotateAs(client.ydoc, students[n]!, { note: `student ${n} note ${k}` });
          if (k % 3 === 2) await new Promise((resolve) => setTimeout(resolve, 5));
        }
      }),
    );
    await waitFor(() => crowd.every((client) => client.ydoc.getMap('annotations').size === 9 * 15), 'every client to hold every annotation', 20_000);
    await waitFor(() => crowd.every(ownChangesStored), 'every client’s own changes acknowledged', 20_000);
    const vectors = crowd.map((client) => Buffer.from(Y.encodeStateVector(client.ydoc)).toString('base64'));
    expect(new Set(vectors).size).toBe(1);
    const stored = await storedDoc(started[0]!);
    expect(verifyStoredDoc(DOC, stored).damage).toEqual([]);
    expect(stored.seqs).toEqual(Array.from({ length: stored.seqs.length }, (_, i) => i + stored.snapshotThroughSeq + 1));
  });

  it('folds the shared log one server at a time and loses nothing', async () => {
    const started = await start(2, () => ({ compactThreshold: 10 }));
    const students = await Promise.all([0, 1, 2, 3].map((n) => joinAsStudent(started[n % 2]!, n)));
    const crowd = students.map((student, n) => connect(started[n % 2]!, student.token));
    await Promise.all(crowd.map((client) => client.synced()));
    for (let round = 0; round < 12; round++) {
      crowd.forEach((client, n) => annotateAs(client.ydoc, students[n]!, { note: `round ${round} by ${n}` }));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await waitFor(() => crowd.every(ownChangesStored), 'everything acknowledged', 20_000);
    await waitFor(() => started.some((server) => server.log.entries.some((entry) => entry.event === 'store.compacted')), 'a compaction');
    const stored = await storedDoc(started[0]!);
    expect(stored.snapshotThroughSeq).toBeGreaterThan(0);
    expect(verifyStoredDoc(DOC, stored).damage).toEqual([]);
    expect(started.flatMap((server) => server.log.entries.filter((entry) => entry.event === 'store.compaction-failed'))).toEqual([]);
    // A server started now loads all 48 from what the two left.
    const late = await startTestServer({ databaseUrl: started[0]!.config.databaseUrl, redisUrl: redis.url });
    servers.push(late);
    const reader = connect(late, students[0]!.token);
    await reader.synced();
    expect(reader.ydoc.getMap('annotations').size).toBe(48);
  });

  it('closes, on every server within a second, the sockets of an invite revoked through one of them', async () => {
    const [a, b] = await start(2);
    const created = await fetch(`${a!.url}/api/rooms/chapter-5/invites`, {
      method: 'POST',
      headers: { authorization: `Bearer ${a!.invites.owner}`, 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'reviewer', label: 'to revoke' }),
    });
    const { token, invite } = (await created.json()) as { token: string; invite: { id: string } };
    const onB = connect(b!, token);
    await onB.synced();
    const revoked = await fetch(`${a!.url}/api/rooms/chapter-5/invites/${invite.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${a!.invites.owner}` } });
    expect(revoked.status).toBe(200);
    const at = Date.now();
    const closed = await onB.closed(3000);
    expect(closed.code).toBe(COLLAB_CLOSE.unauthorized);
    expect(Date.now() - at).toBeLessThan(1000);
  });

  it('closes a member’s socket on another server within a second when the owner changes their role, even with the relay’s news lost', async () => {
    const [a, b] = await start(2, (i) => (i === 1 ? { hooks: { dropRelayed: (message) => message.kind === 'access-changed' } } : { signInAttemptsPerAddress: 10_000 }));
    const lecturer = await setUpAdministrator(a!);
    const seminar = (await lecturer.json<{ seminar: { id: string } }>('POST', '/api/seminars', { title: 'Across servers' }, 201)).seminar.id;
    const room = (await lecturer.json<{ chapter: { id: string } }>('POST', `/api/seminars/${seminar}/chapters?name=chapter.txt`, new TextEncoder().encode('Chapter 1\n\nA first paragraph of the chapter.\n'), 201)).chapter.id;
    const link = await lecturer.json<{ token: string }>('POST', `/api/seminars/${seminar}/invites`, { role: 'annotator' }, 201);
    const student = new BrowserClient(b!.url);
    const joined = await student.json<{ userId: string }>('POST', `/api/join/${link.token}`, { as: 'guest', name: 'Sam' });
    const onB = connect(b!, student.session!, room);
    await onB.synced();
    await lecturer.json('PUT', `/api/seminars/${seminar}/members/${joined.userId}`, { role: 'viewer' });
    const at = Date.now();
    const closed = await onB.closed(3000);
    expect(closed.code).toBe(COLLAB_CLOSE.forbidden);
    // The sweep of every server, each second, against the shared store: at most one interval and a lookup.
    expect(Date.now() - at).toBeLessThan(1500);
  });

  it('locks out an address on every server after its failed sign-ins on any of them', async () => {
    const [a, b] = await start(2, () => ({ signInFailuresPerAccount: 3, signInAttemptsPerAddress: 10_000 }));
    await setUpAdministrator(a!);
    for (const [n, server] of [a, b, a].entries()) {
      const refused = await new BrowserClient(server!.url).request('POST', '/api/auth/sign-in', { email: 'lecturer@example.org', password: `wrong ${n}` });
      expect(refused.status).toBe(401);
    }
    const locked = await new BrowserClient(b!.url).request('POST', '/api/auth/sign-in', { email: 'lecturer@example.org', password: PASSWORD });
    expect(locked.status).toBe(429);
  });

  it('takes a room deleted through one server out of the others, which store nothing more for it', async () => {
    const [a, b] = await start(2, () => ({ signInAttemptsPerAddress: 10_000 }));
    const admin = await setUpAdministrator(a!);
    const invites = await createRoomViaApi(a!, 'doomed');
    const reviewer = connect(b!, invites.reviewer, 'doomed');
    await reviewer.synced();
    await admin.json('DELETE', '/api/chapters/doomed');
    const closed = await reviewer.closed(3000);
    expect(closed.code).toBe(COLLAB_CLOSE.forbidden);
    expect([...b!.collab.registry.docs()].some((doc) => doc.room === 'doomed')).toBe(false);
    const client = new pg.Client({ connectionString: a!.config.databaseUrl! });
    await client.connect();
    try {
      expect((await client.query("SELECT count(*)::int AS n FROM doc_heads WHERE doc LIKE 'doomed/%'")).rows[0].n).toBe(0);
    } finally {
      await client.end();
    }
  });

  it('runs a blind round across servers: started through one, its layers written through another and relayed, revealed with what every server stored', async () => {
    // The relay's news of the round is lost on B: it learns of the round from PostgreSQL (read every second).
    const [a, b] = await start(2, (i) => (i === 1 ? { hooks: { dropRelayed: (message) => message.kind === 'access-changed' } } : {}));
    const invites = await createRoomViaApi(a!, 'round-room');
    const owner = await namedSession(a!.url, 'round-room', invites.owner, 'Dr Lee');
    const [ada, boris] = await Promise.all(['Ada', 'Boris'].map((name) => namedSession(b!.url, 'round-room', invites.annotator, name)));
    const adaShared = await RoundReader.shared(b!.url, 'round-room', ada!);
    readers.push(adaShared);
    const round = await startRound(a!.url, 'round-room', owner.token);
    const at = Date.now();
    expect((await adaShared.layer.closed(3000)).code).toBe(ROUND_CHANGED_CLOSE);
    expect(Date.now() - at).toBeLessThan(1500);
    const adaLayer = await RoundReader.join(b!.url, 'round-room', round.id, ada!);
    const borisLayer = await RoundReader.join(a!.url, 'round-room', round.id, boris!);
    readers.push(adaLayer, borisLayer);
    const adaClaim = adaLayer.tag('more than 90,000 court rulings were vacated', 'contested');
    const borisClaim = borisLayer.tag('So they decided to first alter their economic and social policies', 'sourced');
    await Promise.all([adaLayer.saved(), borisLayer.saved()]);
    // The owner watches Ada's layer through A: what B stored reaches A.
    const adaSeenOnA = connectClient({ url: a!.url, room: 'round-room', kind: 'annotations', docPath: roundLayerName('round-room', round.id, ada!.userId), token: owner.token });
    clients.push(adaSeenOnA);
    await adaSeenOnA.synced();
    expect(annotationIds(adaSeenOnA.ydoc)).toEqual([adaClaim]);
    const revealed = await callApi(a!.url, `/api/rooms/round-room/rounds/${round.id}/reveal`, owner.token, 'POST');
    expect(revealed.body).toMatchObject({ round: { state: 'revealed', revealed: 2 }, merged: 2 });
    expect((await adaLayer.layer.closed(3000)).code).toBe(ROUND_CHANGED_CLOSE);
    const shared = connect(b!, owner.token, 'round-room');
    await waitFor(() => annotationIds(shared.ydoc).length === 2, 'the revealed annotations on B');
    expect(annotationIds(shared.ydoc)).toEqual([adaClaim, borisClaim].sort());
    // The layer is closed in PostgreSQL too: no server stores anything more in it.
    const late = new Y.Doc();
    late.getMap('annotations').set('late', 1);
    const storage = await openStorage({ ...defaultConfig(), databaseUrl: a!.config.databaseUrl }, createCollectingLogger());
    try {
      await expect(storage.stores.updates.appendUpdates([{ docName: roundLayerName('round-room', round.id, ada!.userId), update: Y.encodeStateAsUpdate(late) }])).rejects.toMatchObject({ kind: 'round-closed' });
    } finally {
      await storage.close();
    }
  });

  it('sends a room larger than one piece, stored through one server, in pieces to a fresh replica of another, while it is written', async () => {
    const [a, b] = await start(2, () => ({ sendBufferLimitBytes: 128 * 1024 }));
    await seedRoom(a!, 'chapter-5', (annotations) => {
      for (let i = 0; i < 2500; i++) annotateAs(annotations, { userId: 'u-seed', name: 'Seeder' }, { note: `note ${i} `.repeat(5) });
    });
    const live = a!.collab.registry.open('chapter-5', 'annotations').ydoc;
    expect(Y.encodeStateAsUpdate(live).byteLength).toBeGreaterThan(4 * 128 * 1024);
    const ada = await joinAsStudent(a!, 0);
    const writer = connect(a!, ada.token);
    await writer.synced(20_000);
    const fresh = connect(b!, b!.invites.viewer);
    annotateAs(writer.ydoc, ada, { note: 'written while the pieces go out' });
    await fresh.synced(20_000);
    expect(fresh.closes).toEqual([]);
    await waitFor(() => notes(fresh).has('written while the pieces go out'), 'the write during the join on B');
    await waitFor(() => ownChangesStored(writer), 'the write to be acknowledged');
    expect(Y.encodeStateVector(fresh.ydoc)).toEqual(Y.encodeStateVector(live));
    expect(listAnnotations(fresh.ydoc)).toHaveLength(2501);
  });
});
