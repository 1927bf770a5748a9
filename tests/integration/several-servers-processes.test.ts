import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { listAnnotations, stateVectorCovers } from '../../schema/index.ts';
import { createCollectingLogger, defaultConfig, openStorage, replayStoredDoc } from '../../server/index.ts';
import { annotateAs } from '../helpers/access-builders.ts';
import { joinAsStudent, ownChangesStored } from '../helpers/cluster-fixtures.ts';
import type { Student } from '../helpers/cluster-fixtures.ts';
import { enginesMissing, freePort, startLoadBalancer, startPostgres, startRedis } from '../helpers/engines.ts';
import type { LoadBalancer, PostgresInstance, RedisInstance } from '../helpers/engines.ts';
import { makeDataDir, spawnServer } from '../helpers/test-server.ts';
import type { ServerProcess } from '../helpers/test-server.ts';
import { connectClient, waitFor } from '../helpers/yws-client.ts';
import type { TestClient } from '../helpers/yws-client.ts';

// docs/several-servers.md at full size, with real processes: three Apparatus servers, one
// PostgreSQL, one Redis and HAProxy in front (round-robin, WebSocket upgrade, no sticky
// sessions). Sixty stock y-websocket clients spread over the servers annotate one room; one
// server is killed with SIGKILL in the middle; its clients reconnect through the proxy to the
// others and go on. Nothing acknowledged is lost, every client converges, and the W3C export
// reads the same from every server.

const missing = enginesMissing();
const CLIENTS = 60;
const PER_CLIENT = 8;
const ROOM = 'chapter-5';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The W3C export of the room as one server builds it, without the time it was made. */
async function w3cExport(baseUrl: string, token: string): Promise<unknown> {
  const response = await fetch(`${baseUrl}/api/rooms/${ROOM}/export?format=w3c`, { headers: { authorization: `Bearer ${token}` } });
  if (response.status !== 200) throw new Error(`export from ${baseUrl}: ${response.status} ${await response.text()}`);
  return JSON.parse(await response.text(), (key, value: unknown) => (key === 'generated' ? undefined : value));
}

describe.skipIf(missing !== null)(`three server processes behind HAProxy${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let postgres: PostgresInstance | null = null;
  let redis: RedisInstance | null = null;
  let proxy: LoadBalancer | null = null;
  const processes: ServerProcess[] = [];
  const clients: TestClient[] = [];
  const dataDirs: string[] = [];
  afterAll(async () => {
    for (const client of clients) client.destroy();
    for (const server of processes) if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGTERM');
    await Promise.all(processes.map((server) => server.exited));
    await proxy?.stop();
    await Promise.all([postgres?.stop(), redis?.stop()]);
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('60 clients converge, kill -9 of one server loses nothing acknowledged, its clients go on through the others, and every server exports the same', { timeout: 180_000 }, async () => {
    [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
    const databaseUrl = await postgres.createDatabase('seminar');
    const proxyPort = await freePort();
    const publicUrl = `http://127.0.0.1:${proxyPort}`;
    // All three start at once: one makes the schema and the room, the others wait for it or find it.
    const env = { DATABASE_URL: databaseUrl, REDIS_URL: redis.url, PUBLIC_URL: publicUrl, PG_POOL_SIZE: '6', CONNECTIONS_PER_MINUTE: '10000' };
    const started = await Promise.all([0, 1, 2].map(() => {
      const dir = makeDataDir();
      dataDirs.push(dir);
      return spawnServer(dir, env);
    }));
    processes.push(...started);
    expect(new Set(started.map((server) => server.invites.annotator)).size).toBe(1);
    proxy = await startLoadBalancer(started.map((server) => new URL(server.url).host), proxyPort);
    const through = { url: proxy.url, invites: started[0]!.invites };

    const students: Student[] = [];
    for (let n = 0; n < CLIENTS; n++) students.push(await joinAsStudent(through, n));
    const seminar = students.map((student) => connectClient({ url: proxy!.url, room: ROOM, kind: 'annotations', token: student.token }));
    clients.push(...seminar);
    await Promise.all(seminar.map((client) => client.synced(30_000)));
    // The stock clients negotiated permessage-deflate through HAProxy (a room's state is sent compressed).
    expect(seminar.map((client) => (client.provider.ws as unknown as { extensions: string } | null)?.extensions)).toEqual(seminar.map(() => 'permessage-deflate'));
    const perServer = await Promise.all(started.map(async (server) => ((await (await fetch(`${server.url}/healthz`)).json()) as { connections: number }).connections));
    // Round robin: every server has clients of the room.
    expect(perServer.every((count) => count >= 10)).toBe(true);

    // Everyone writes; after half, one server is killed. Its clients notice and reconnect.
    const dropped = new Set<TestClient>();
    let ackedAtKill: Uint8Array[] = [];
    const victim = started[1]!;
    const writing = Promise.all(
      seminar.map(async (client, n) => {
        for (let k = 0; k < PER_CLIENT; k++) {
          annotateAs(client.ydoc, students[n]!, { note: `student ${n} note ${k}` });
          await sleep(60 + (n % 7) * 10);
        }
      }),
    );
    await sleep(250);
    for (const client of seminar) client.provider.on('status', ({ status }: { status: string }) => status === 'disconnected' && dropped.add(client));
    ackedAtKill = seminar.map((client) => client.storedStateVector ?? new Uint8Array([0]));
    victim.child.kill('SIGKILL');
    await victim.exited;
    await writing;

    await waitFor(() => seminar.every((client) => client.ydoc.getMap('annotations').size === CLIENTS * PER_CLIENT), 'every client to hold every annotation', 60_000);
    await waitFor(() => seminar.every(ownChangesStored), 'every client’s own changes acknowledged', 60_000);
    expect(dropped.size).toBeGreaterThanOrEqual(10);
    const vectors = new Set(seminar.map((client) => Buffer.from(Y.encodeStateVector(client.ydoc)).toString('base64')));
    expect(vectors.size).toBe(1);

    // Nothing acknowledged is lost: PostgreSQL, read now, holds every state acknowledged at the kill, and everything.
    const storage = await openStorage({ ...defaultConfig(), databaseUrl }, createCollectingLogger());
    try {
      const replayed = replayStoredDoc(await storage.stores.updates.loadDoc(`${ROOM}/annotations`));
      if (!replayed.ok) throw new Error(replayed.error);
      const stored = Y.encodeStateVector(replayed.value);
      for (const acked of ackedAtKill) expect(stateVectorCovers(stored, acked)).toBe(true);
      expect(listAnnotations(replayed.value)).toHaveLength(CLIENTS * PER_CLIENT);
    } finally {
      await storage.close();
    }

    // The killed server comes back; every server, and the proxy, export the same.
    const dir = makeDataDir();
    dataDirs.push(dir);
    const restarted = await spawnServer(dir, env);
    processes.push(restarted);
    const token = started[0]!.invites.owner;
    const exports = await Promise.all([...[started[0]!, started[2]!, restarted].map((server) => w3cExport(server.url, token)), w3cExport(proxy.url, token)]);
    expect((exports[0] as { items?: unknown[] }).items ?? (exports[0] as unknown[])).toBeDefined();
    for (const other of exports.slice(1)) expect(other).toEqual(exports[0]);
    expect(JSON.stringify(exports[0])).toContain('student 59 note 7');
  });
});
