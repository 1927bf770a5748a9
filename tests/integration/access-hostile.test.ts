import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { stateVectorCovers } from '../../schema/index.ts';
import { defaultAuthorizeUpdate } from '../../server/index.ts';
import { inviteUserId } from '../helpers/access-builders.ts';
import { awarenessMessage, RawClient, rawUpgrade, syncUpdateMessage, waitUntil } from '../helpers/raw-client.ts';
import { readFileSync, rmSync } from 'node:fs';
import { createRoomViaApi, makeDataDir, spawnServer, startTestServer } from '../helpers/test-server.ts';
import type { RoleTokens, ServerProcess, TestServer } from '../helpers/test-server.ts';
import { mulberry32 as random } from '../helpers/seeded-random.ts';

// S1 and S2 of docs/reliability.md: malformed frames and floods cost only the offender its
// connection; other rooms keep working; memory stays bounded. Long soaks: scripts/soak-hostile.ts.

const MiB = 1024 * 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const rssMiB = () => Math.round(process.memoryUsage().rss / MiB);
/** A server process's resident set in MiB (from /proc). */
const processRssMiB = (server: ServerProcess) => Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);

/** The kinds of malformed frame S1 sends, each a function of the generator. */
const MALFORMED: Record<string, (next: () => number) => Uint8Array | { text: Uint8Array }> = {
  'random bytes': (next) => Uint8Array.from({ length: 1 + Math.floor(next() * 64) }, () => Math.floor(next() * 256)),
  'truncated varint': (next) => [new Uint8Array([0x80]), new Uint8Array([0, 0x81]), new Uint8Array([0, 2, 0xff, 0xff]), new Uint8Array([1, 0xc0])][Math.floor(next() * 4)]!,
  empty: () => new Uint8Array([]),
  'unknown message type': (next) => new Uint8Array([4 + Math.floor(next() * 90), 0, 1]),
  'unknown sync step': (next) => new Uint8Array([0, 3 + Math.floor(next() * 100), 0]),
  'garbage update': (next) => new Uint8Array([0, 2, 8, ...Array.from({ length: 8 }, () => Math.floor(next() * 256))]),
  'invalid UTF-8 awareness': () => new Uint8Array([1, 8, 1, 7, 1, 4, 0xff, 0xfe, 0xc3, 0x28]),
  'invalid UTF-8 text frame': () => ({ text: new Uint8Array([0xff, 0xfe, 0xc3, 0x28]) }),
  'text frame': () => ({ text: new TextEncoder().encode('{"type":"sync"}') }),
  'trailing bytes': () => new Uint8Array([0, 0, 1, 0, 99, 99]),
};

/** Percentile of a list of numbers. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/**
 * Measures round trips in a room while `during` runs: every 20 ms a dismissal is written by a
 * raw client and timed until the server acknowledges it as stored.
 */
async function measureRoundTrips(server: { url: string }, room: string, token: string, during: Promise<unknown>): Promise<number[]> {
  const client = await RawClient.connect({ url: server.url, path: `/collab/${room}/annotations?token=${token}&acks=1` });
  await client.sync();
  const by = inviteUserId(token);
  const latencies: number[] = [];
  let running = true;
  void during.finally(() => (running = false));
  for (let i = 0; running; i++) {
    const started = performance.now();
    client.change((doc) => doc.getMap('dismissed').set(`probe-${Date.now()}-${i}`, { by, at: new Date().toISOString() }));
    await waitUntil(() => client.stored !== null && stateVectorCovers(client.stored, Y.encodeStateVector(client.doc)), 'the probe to be stored', 10_000);
    latencies.push(performance.now() - started);
    await sleep(20);
  }
  expect(client.denied).toEqual([]);
  client.close();
  return latencies;
}

describe('hostile clients', () => {
  let server: TestServer;
  let quiet: RoleTokens;

  beforeAll(async () => {
    server = await startTestServer({ connectionsPerMinute: 1_000_000, maxSocketsPerAddress: 100_000, maxSocketsPerRoom: 100_000, maxPayloadBytes: 256 * 1024 });
    quiet = await createRoomViaApi(server, 'quiet-room');
  });
  afterAll(async () => {
    await server.stop();
  });

  // A fixed seed, so that every run sends the same frames; ACCESS_FUZZ_SEED=<n> explores others.
  const s1Seed = Number(process.env.ACCESS_FUZZ_SEED ?? 1);
  // The other room's latency under the barrage is a figure, measured by scripts/soak-hostile.ts
  // (bench/results/soak-hostile.json), not asserted here: this checks that it keeps being served.
  it(`S1: survives 10,000 malformed frames, closing only each offender, while another room keeps being served; after a restart every room loads (P1) (seed ${s1Seed})`, async () => {
    const seed = s1Seed;
    const next = random(seed);
    const total = Number(process.env.ACCESS_FUZZ_FRAMES ?? 10_000);
    const kinds = Object.keys(MALFORMED);
    // Its own process: the server's event loop is not the one sending the barrage.
    const dataDir = makeDataDir();
    const target = await spawnServer(dataDir, { CONNECTIONS_PER_MINUTE: '1000000', MAX_SOCKETS_PER_ADDRESS: '1000000' });
    try {
      const quietRoom = await createRoomViaApi(target, 'quiet-room');
      const bystander = await RawClient.connect({ url: target.url, path: `/collab/chapter-5/annotations?token=${target.invites.reviewer}` });
      await bystander.sync();
      const rssBefore = processRssMiB(target);
      const codes = new Map<number, number>();
      const rssByQuarter: number[] = [];
      let sent = 0;
      const worker = async () => {
        while (sent < total) {
          if (sent % (total / 4) === 0 && sent > 0) rssByQuarter.push(processRssMiB(target));
          const frame = MALFORMED[kinds[sent++ % kinds.length]!]!(next);
          const client = await RawClient.connect({ url: target.url, path: `/collab/chapter-5/annotations?token=${target.invites.annotator}` });
          if (frame instanceof Uint8Array) client.send(frame);
          else client.send(frame.text, { asText: true });
          const outcome = await Promise.race([client.ended, sleep(1000).then(() => null)]);
          // A few random byte strings happen to be valid messages (a query, an ignored auth message).
          const code = outcome?.code ?? 0;
          if (!outcome) client.close();
          codes.set(code, (codes.get(code) ?? 0) + 1);
        }
      };
      const barrage = Promise.all(Array.from({ length: 4 }, worker));
      const latencies = await measureRoundTrips(target, 'quiet-room', quietRoom.annotator, barrage);
      await barrage;
      const rssAfter = processRssMiB(target);
      const p99 = percentile(latencies, 99);
      console.log(`S1: ${total} frames, closes by code ${JSON.stringify(Object.fromEntries(codes))}, other room p50 ${percentile(latencies, 50).toFixed(1)} ms p99 ${p99.toFixed(1)} ms over ${latencies.length} probes, server RSS ${rssBefore} → ${rssByQuarter.join(' → ')} → ${rssAfter} MiB`);
      expect([...codes.keys()].every((code) => [0, 1002, 1003, 1007].includes(code))).toBe(true);
      expect(codes.get(0) ?? 0).toBeLessThan(total * 0.02);
      expect(bystander.open).toBe(true);
      expect(latencies.length).toBeGreaterThan(0);
      // Bounded: RSS wanders by ±20 MiB as V8 grows and shrinks its heap (40,000 frames plateau at
      // 130–150 MiB, scripts/soak-hostile.ts); a leak of 10 KiB per offender would add 100 MiB here.
      expect(rssAfter - rssBefore).toBeLessThan(100);
      expect((await fetch(`${target.url}/healthz`)).status).toBe(200);
      bystander.close();
      const probes = latencies.length;
      target.child.kill('SIGTERM');
      await target.exited;

      // Whatever the barrage left in the store loads again: every document of every room, nothing quarantined.
      const restarted = await spawnServer(dataDir);
      try {
        for (const [room, token] of [['chapter-5', restarted.invites.viewer], ['quiet-room', quietRoom.viewer]] as const) {
          for (const kind of ['text', 'annotations']) {
            const reader = await RawClient.connect({ url: restarted.url, path: `/collab/${room}/${kind}?token=${token}` });
            await reader.sync();
            if (room === 'quiet-room' && kind === 'annotations') expect(reader.doc.getMap('dismissed').size).toBe(probes);
            reader.close();
          }
        }
        const health = (await (await fetch(`${restarted.url}/healthz`)).json()) as { store: string; quarantinedEntries: number };
        expect(health).toMatchObject({ store: 'ok', quarantinedEntries: 0 });
        expect(restarted.output()).not.toMatch(/doc\.load-failed|store\.entry-quarantined|store\.damaged/);
      } finally {
        restarted.child.kill('SIGTERM');
        await restarted.exited;
      }
    } finally {
      if (target.child.exitCode === null && target.child.signalCode === null) {
        target.child.kill('SIGTERM');
        await target.exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 240_000);

  it('S2: closes a message over maxPayload with 1009 and a burst flood with 1008; others are untouched', async () => {
    const bystander = await RawClient.connect({ url: server.url, path: `/collab/chapter-5/text?token=${server.invites.viewer}` });
    await bystander.sync();
    const big = await RawClient.connect({ url: server.url, path: `/collab/chapter-5/text?token=${server.invites.owner}` });
    big.send(new Uint8Array(300 * 1024));
    expect((await big.ended).code).toBe(1009);
    const flooder = await RawClient.connect({ url: server.url, path: `/collab/chapter-5/annotations?token=${server.invites.annotator}` });
    const empty = syncUpdateMessage(Y.encodeStateAsUpdate(new Y.Doc()));
    for (let i = 0; i < 20_000 && flooder.open; i++) flooder.send(empty);
    expect(await flooder.ended).toMatchObject({ code: 1008, reason: 'message flood' });
    expect(bystander.open).toBe(true);
    bystander.close();
  });

  it('S2: throttles a sustained flood, then closes it with 1008', async () => {
    const strict = await startTestServer({ messagesPerSecond: 50, floodThrottleLimit: 5 });
    try {
      const flooder = await RawClient.connect({ url: strict.url, path: `/collab/chapter-5/annotations?token=${strict.invites.annotator}` });
      const started = Date.now();
      while (flooder.open && Date.now() - started < 10_000) {
        flooder.send(awarenessMessage([{ clientId: flooder.doc.clientID, clock: Date.now(), state: { cursor: 1 } }]));
        await sleep(5);
      }
      expect((await flooder.ended).code).toBe(1008);
      expect(strict.log.entries.some((e) => e.event === 'collab.flood-closed')).toBe(true);
    } finally {
      await strict.stop();
    }
  });

  it('S2: holds 1,000 idle sockets with bounded memory and keeps serving', async () => {
    const rssBefore = rssMiB();
    const idle: RawClient[] = [];
    for (let i = 0; i < 1000; i += 50) {
      idle.push(...(await Promise.all(Array.from({ length: 50 }, () => RawClient.connect({ url: server.url, path: `/collab/chapter-5/text?token=${server.invites.viewer}` })))));
    }
    await waitUntil(() => server.collab.connections().size >= 1000, '1,000 open sockets');
    const rssHolding = rssMiB();
    const latencies = await measureRoundTrips(server, 'quiet-room', quiet.reviewer, sleep(500));
    for (const client of idle) client.terminate();
    await waitUntil(() => server.collab.connections().size === 0, 'the idle sockets to close', 30_000);
    console.log(`S2 idle: RSS ${rssBefore} → ${rssHolding} MiB with 1,000 sockets (server and clients in one process); p99 ${percentile(latencies, 99).toFixed(1)} ms`);
    expect(rssHolding - rssBefore).toBeLessThan(200);
    expect(latencies.length).toBeGreaterThan(0);
  }, 60_000);

  it('S2: refuses a connection flood from one address with 429 beyond the per-minute limit', async () => {
    const limited = await startTestServer({ connectionsPerMinute: 100 });
    try {
      const statuses = await Promise.all(Array.from({ length: 300 }, () => rawUpgrade(limited.url, `/collab/chapter-5/text?token=${limited.invites.viewer}`, {}, 100)));
      const refused = statuses.filter((s) => s.status === 429).length;
      console.log(`S2 connection flood: ${refused} of 300 upgrades refused with 429`);
      expect(refused).toBe(200);
      expect((await fetch(`${limited.url}/healthz`)).status).toBe(200);
    } finally {
      await limited.stop();
    }
  });

  it('S2: closes a client that stops reading once its send buffer passes the limit', async () => {
    // Role-only check: large free-form values are the quickest way to fill a send buffer.
    const relay = await startTestServer({ authorizeUpdate: defaultAuthorizeUpdate, sendBufferLimitBytes: 1 * MiB, maxPayloadBytes: 4 * MiB, bytesPerSecond: 64 * MiB });
    try {
      const sleeper = await RawClient.connect({ url: relay.url, path: `/collab/chapter-5/annotations?token=${relay.invites.viewer}` });
      await sleeper.sync();
      (sleeper.ws as unknown as { _socket: { pause(): void } })._socket.pause();
      const writer = await RawClient.connect({ url: relay.url, path: `/collab/chapter-5/annotations?token=${relay.invites.owner}` });
      await writer.sync();
      const rssBefore = rssMiB();
      for (let i = 0; i < 40 && relay.collab.connections().size > 1; i++) {
        writer.change((doc) => doc.getMap('blobs').set(`b${i}`, 'x'.repeat(MiB)));
        await sleep(20);
      }
      await waitUntil(() => relay.collab.connections().size === 1, 'the sleeper to be closed', 10_000);
      console.log(`S2 non-reader: closed; RSS ${rssBefore} → ${rssMiB()} MiB`);
      expect(writer.open).toBe(true);
    } finally {
      await relay.stop();
    }
  }, 30_000);
});
