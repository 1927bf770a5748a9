// The long hostile-client soak (docs/reliability.md S1–S3, A4, P1–P4): a server process under malformed
// frames, message floods (burst and sustained), awareness floods, thousands of idle sockets, a
// connection flood, a mass revocation, and the attacks of issue 14 (poisoned re-sends, borrowed
// client ids, nested JSON, heavy imports), while a probe in another room measures round trips;
// then a restart, after which every room must load. Prints figures (frames tried, offenders closed
// by code, floods held, server RSS before and after each phase, probe p50/p99) and writes
// bench/results/soak-hostile.json. Exits 1 if the server died, a phase did not hold, or a room
// did not load after the restart.
//
//   node --import tsx scripts/soak-hostile.ts [--frames 50000] [--floods 50] [--idle 2000] [--seed N]
import { readFileSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as Y from 'yjs';
import { stateVectorCovers } from '../schema/index.ts';
import * as encoding from 'lib0/encoding';
import { MESSAGE_AWARENESS } from '../schema/index.ts';
import { annotateAs, inviteUserId } from '../tests/helpers/access-builders.ts';
import { inviteActor, storedAll, updateUnder } from '../tests/helpers/hardening-fixtures.ts';
import { contentJsonUpdate, deeplyNestedJson, forwardReferenceUpdate } from '../tests/helpers/hostile-updates.ts';
import { awarenessMessage, message, RawClient, rawUpgrade, syncUpdateMessage, waitUntil } from '../tests/helpers/raw-client.ts';
import { createRoomViaApi, makeDataDir, spawnServer } from '../tests/helpers/test-server.ts';
import type { ServerProcess } from '../tests/helpers/test-server.ts';
import { mulberry32 as random } from '../tests/helpers/seeded-random.ts';

const { values } = parseArgs({
  options: {
    frames: { type: 'string', default: '50000' },
    floods: { type: 'string', default: '50' },
    idle: { type: 'string', default: '2000' },
    seed: { type: 'string', default: String(Date.now() % 1_000_000) },
  },
});
const FRAMES = Number(values.frames);
const FLOODS = Number(values.floods);
const IDLE = Number(values.idle);
const SEED = Number(values.seed);
const root = path.resolve(import.meta.dirname, '..');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A server process's resident set, in MiB, from /proc. */
function serverRssMiB(server: ServerProcess): number {
  const status = readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round((sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN) * 10) / 10;
}

/** One malformed frame of a kind picked by `n`: random bytes, truncated varints, empty, unknown types, bad UTF-8. */
function malformedFrame(n: number, next: () => number): { data: Uint8Array; text: boolean } {
  const bytes = (length: number) => Uint8Array.from({ length }, () => Math.floor(next() * 256));
  const kinds = [
    () => ({ data: bytes(1 + Math.floor(next() * 256)), text: false }),
    () => ({ data: new Uint8Array([0, 0x80 | Math.floor(next() * 127)]), text: false }),
    () => ({ data: new Uint8Array([]), text: false }),
    () => ({ data: new Uint8Array([4 + Math.floor(next() * 200), ...bytes(4)]), text: false }),
    () => ({ data: new Uint8Array([0, 2, 16, ...bytes(16)]), text: false }),
    () => ({ data: new Uint8Array([1, 8, 1, 7, 1, 4, 0xff, 0xfe, 0xc3, 0x28]), text: false }),
    () => ({ data: bytes(8), text: true }),
  ];
  return kinds[n % kinds.length]!();
}

/** Round trips in a quiet room until `stop` resolves: write a dismissal, wait for its stored ack. */
async function probe(server: ServerProcess, room: string, token: string, stop: Promise<unknown>): Promise<number[]> {
  const client = await RawClient.connect({ url: server.url, path: `/collab/${room}/annotations?token=${token}&acks=1` });
  await client.sync();
  const latencies: number[] = [];
  let running = true;
  void stop.finally(() => (running = false));
  for (let i = 0; running && client.open; i++) {
    const started = performance.now();
    client.change((doc) => doc.getMap('dismissed').set(`probe-${Date.now()}-${i}`, { by: inviteUserId(token), at: new Date().toISOString() }));
    await waitUntil(() => client.stored !== null && stateVectorCovers(client.stored, Y.encodeStateVector(client.doc)), 'a probe ack', 30_000);
    latencies.push(performance.now() - started);
    await sleep(50);
  }
  client.close();
  return latencies;
}

type Phase = { phase: string; rssBeforeMiB: number; rssAfterMiB: number; probeP50Ms: number; probeP99Ms: number } & Record<string, unknown>;

/** Runs one phase with the probe going, recording RSS and probe figures around it. */
async function phase(server: ServerProcess, quiet: string, name: string, run: () => Promise<Record<string, unknown>>): Promise<Phase> {
  const rssBeforeMiB = serverRssMiB(server);
  const work = run();
  const [figures, latencies] = await Promise.all([work, probe(server, 'quiet-room', quiet, work)]);
  const result = { phase: name, ...figures, rssBeforeMiB, rssAfterMiB: serverRssMiB(server), probeP50Ms: percentile(latencies, 50), probeP99Ms: percentile(latencies, 99) };
  console.log(JSON.stringify(result));
  return result;
}

async function malformedFrames(server: ServerProcess, token: string): Promise<Record<string, unknown>> {
  const next = random(SEED);
  const codes: Record<string, number> = {};
  let sent = 0;
  const worker = async () => {
    while (sent < FRAMES) {
      const frame = malformedFrame(sent++, next);
      const client = await RawClient.connect({ url: server.url, path: `/collab/chapter-5/annotations?token=${token}` });
      client.send(frame.data, { asText: frame.text });
      const outcome = await Promise.race([client.ended, sleep(1000).then(() => null)]);
      if (!outcome) client.close();
      const code = String(outcome?.code ?? 'survived (valid by chance)');
      codes[code] = (codes[code] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return { framesTried: FRAMES, closesByCode: codes, seed: SEED };
}

async function burstFloods(server: ServerProcess, token: string): Promise<Record<string, unknown>> {
  const empty = syncUpdateMessage(Y.encodeStateAsUpdate(new Y.Doc()));
  const outcomes = await Promise.all(
    Array.from({ length: FLOODS }, async () => {
      const flooder = await RawClient.connect({ url: server.url, path: `/collab/chapter-5/annotations?token=${token}` });
      for (let i = 0; i < 20_000 && flooder.open; i++) flooder.send(empty);
      return (await Promise.race([flooder.ended, sleep(30_000).then(() => null)]))?.code ?? 'still open';
    }),
  );
  return { burstFlooders: FLOODS, messagesEach: 20_000, closed1008: outcomes.filter((c) => c === 1008).length };
}

async function sustainedFloods(server: ServerProcess, token: string): Promise<Record<string, unknown>> {
  const outcomes = await Promise.all(
    Array.from({ length: 10 }, async () => {
      const flooder = await RawClient.connect({ url: server.url, path: `/collab/chapter-5/text?token=${token}` });
      const started = Date.now();
      for (let i = 0; flooder.open && Date.now() - started < 30_000; i++) {
        flooder.send(awarenessMessage([{ clientId: flooder.doc.clientID, clock: i + 1, state: { cursor: i } }]));
        if (i % 3 === 0) await sleep(10);
      }
      const outcome = flooder.open ? null : await flooder.ended;
      return { code: outcome?.code ?? 'still open', ms: Date.now() - started };
    }),
  );
  return { sustainedFlooders: 10, ratePerSecond: 300, closed1008: outcomes.filter((o) => o.code === 1008).length, closedAfterMs: outcomes.map((o) => o.ms) };
}

async function awarenessFloods(server: ServerProcess, tokens: { flood: string; watch: string }): Promise<Record<string, unknown>> {
  const observer = await RawClient.connect({ url: server.url, path: `/collab/chapter-5/text?token=${tokens.watch}` });
  await observer.sync();
  const huge = 'x'.repeat(64 * 1024);
  const flooders = await Promise.all(Array.from({ length: 20 }, () => RawClient.connect({ url: server.url, path: `/collab/chapter-5/text?token=${tokens.flood}` })));
  for (let tick = 1; tick <= 500; tick++) {
    for (const flooder of flooders) flooder.publishPresence({ blob: huge, tick }, tick);
    await sleep(10);
  }
  await sleep(500);
  const relayedHuge = observer.awareness.filter((entry) => JSON.stringify(entry.state ?? '').length > 8192).length;
  for (const flooder of flooders) flooder.close();
  await sleep(500);
  const ids = new Set(flooders.map((f) => f.doc.clientID));
  const left = observer.awareness.filter((e) => ids.has(e.clientId)).reduce((live, e) => (e.state === null ? live - 1 : live), 0);
  observer.close();
  return { awarenessFlooders: 20, statesSent: 20 * 500, stateBytes: 64 * 1024, hugeStatesRelayed: relayedHuge, statesLeftAfterDisconnect: Math.max(0, left) };
}

async function idleSockets(server: ServerProcess, token: string): Promise<Record<string, unknown>> {
  const idle: RawClient[] = [];
  for (let i = 0; i < IDLE; i += 100) {
    idle.push(...(await Promise.all(Array.from({ length: Math.min(100, IDLE - i) }, () => RawClient.connect({ url: server.url, path: `/collab/chapter-5/text?token=${token}` })))));
  }
  const open = idle.filter((c) => c.open).length;
  const rssHoldingMiB = serverRssMiB(server);
  await sleep(2000);
  for (const client of idle) client.close();
  await sleep(1000);
  return { idleSockets: IDLE, openAtOnce: open, rssHoldingMiB };
}

async function connectionFlood(): Promise<Record<string, unknown>> {
  const dataDir = makeDataDir();
  const limited = await spawnServer(dataDir);
  try {
    const results = await Promise.all(Array.from({ length: 2000 }, () => rawUpgrade(limited.url, `/collab/chapter-5/text?token=${limited.invites.viewer}`, {}, 200)));
    return { upgradesTried: 2000, refused429: results.filter((r) => r.status === 429).length, limitPerMinute: 300, serverAlive: (await fetch(`${limited.url}/healthz`)).status === 200 };
  } finally {
    limited.child.kill('SIGTERM');
    await limited.exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function massRevocation(server: ServerProcess): Promise<Record<string, unknown>> {
  const owner = { authorization: `Bearer ${server.invites.owner}`, 'content-type': 'application/json' };
  const created = (await (await fetch(`${server.url}/api/rooms/chapter-5/invites`, { method: 'POST', headers: owner, body: JSON.stringify({ role: 'annotator' }) })).json()) as { token: string; invite: { id: string } };
  const clients = await Promise.all(Array.from({ length: 200 }, () => RawClient.connect({ url: server.url, path: `/collab/chapter-5/annotations?token=${created.token}` })));
  const started = performance.now();
  await fetch(`${server.url}/api/rooms/chapter-5/invites/${created.invite.id}`, { method: 'DELETE', headers: owner });
  const outcomes = await Promise.all(clients.map((c) => c.ended));
  return { revokedSockets: clients.length, closed4401: outcomes.filter((o) => o.code === 4401).length, allClosedWithinMs: Math.round(performance.now() - started) };
}

/** A raw client of chapter-5's annotations, synced, acknowledging. */
async function annotationsClient(server: ServerProcess, token: string): Promise<RawClient> {
  const client = await RawClient.connect({ url: server.url, path: `/collab/chapter-5/annotations?token=${token}&acks=1` });
  await client.sync();
  return client;
}

/** Issue 14's attacks 1–4 over the wire, repeated: every one must be refused and none may cost the probe. */
async function issue14Attacks(server: ServerProcess): Promise<Record<string, unknown>> {
  const { annotator, reviewer, viewer, owner } = server.invites;
  // P1: poisoned re-sends of stored updates, each with a new annotation behind it.
  const poisoner = await annotationsClient(server, annotator);
  let poisonSent = 0;
  for (let i = 0; i < 100; i++) {
    const update = poisoner.change((doc) => annotateAs(doc, inviteActor(annotator, 'annotator'), { note: `poisoner ${i}` }));
    await waitUntil(() => storedAll(poisoner), 'the poisoner’s honest annotation', 30_000);
    const plus = updateUnder(poisoner.doc, poisoner.doc.clientID, (doc) => annotateAs(doc, inviteActor(annotator, 'annotator'), { note: 'smuggled' }));
    poisoner.send(syncUpdateMessage(forwardReferenceUpdate(update, { field: i % 2 === 0 ? 'origin' : 'parent', plus })));
    poisonSent++;
  }
  await poisoner.deniedAtLeast(poisonSent, 30_000);
  // P2: an annotator writing under the reviewer's client id.
  const victim = await annotationsClient(server, reviewer);
  victim.change((doc) => annotateAs(doc, inviteActor(reviewer, 'reviewer'), { note: 'the victim’s' }));
  await waitUntil(() => storedAll(victim), 'the victim’s annotation', 30_000);
  const squatter = await annotationsClient(server, annotator);
  for (let i = 0; i < 50; i++) {
    squatter.send(syncUpdateMessage(updateUnder(squatter.doc, victim.doc.clientID, (doc) => annotateAs(doc, inviteActor(annotator, 'annotator'), { note: `squatted ${i}` }))));
  }
  await squatter.deniedAtLeast(50, 30_000);
  // P3: viewers sending presence and updates nested two million levels deep.
  const nested = deeplyNestedJson(1_900_000);
  const viewers = await Promise.all(Array.from({ length: 8 }, () => annotationsClient(server, viewer)));
  for (let round = 0; round < 3; round++) {
    for (const client of viewers) {
      client.send(message(MESSAGE_AWARENESS, (outer) => {
        const inner = encoding.createEncoder();
        encoding.writeVarUint(inner, 1);
        encoding.writeVarUint(inner, client.doc.clientID);
        encoding.writeVarUint(inner, round + 1);
        encoding.writeVarString(inner, nested);
        encoding.writeVarUint8Array(outer, encoding.toUint8Array(inner));
      }));
      client.send(syncUpdateMessage(contentJsonUpdate(client.doc.clientID, 0, 'annotations', 'deep', nested)));
    }
    await sleep(1000);
  }
  await Promise.all(viewers.map((client) => client.deniedAtLeast(3, 60_000)));
  // P4: dry-run imports of 30,000 annotations quoting "the", twice at once by the same owner.
  const body = JSON.stringify(Array.from({ length: 30_000 }, (_, i) => ({ id: `urn:soak:${i}`, type: 'Annotation', bodyValue: 'x', target: { source: 'urn:x', selector: { type: 'TextQuoteSelector', exact: 'the' } } })));
  const statuses: number[] = [];
  for (let round = 0; round < 3; round++) {
    const answers = await Promise.all([0, 1, 2].map(() => fetch(`${server.url}/api/rooms/chapter-5/import?dryRun=1`, { method: 'POST', headers: { authorization: `Bearer ${owner}`, 'content-type': 'application/json' }, body })));
    statuses.push(...answers.map((answer) => answer.status));
  }
  for (const client of [poisoner, victim, squatter, ...viewers]) client.close();
  return {
    poisonedResends: poisonSent,
    poisonedRefused: poisoner.denied.filter((reason) => /does not apply/.test(reason)).length,
    squatAttempts: 50,
    squatsRefused: squatter.denied.filter((reason) => /writes for another user/.test(reason)).length,
    nestedFramesFromViewers: 8 * 3 * 2,
    viewersStillOpen: viewers.filter((client) => client.open).length,
    heavyImports: statuses.length,
    heavyImportsByStatus: Object.fromEntries([...new Set(statuses)].map((status) => [status, statuses.filter((s) => s === status).length])),
  };
}

/** After the soak: restarts the server on its data and opens every document of every room; returns what failed. */
async function restartAndLoadEveryRoom(dataDir: string, rooms: Record<string, string>): Promise<{ roomsLoaded: number; failed: string[]; healthAfterRestart: unknown }> {
  const server = await spawnServer(dataDir);
  const failed: string[] = [];
  let loaded = 0;
  try {
    for (const [room, token] of Object.entries({ ...rooms, 'chapter-5': server.invites.viewer })) {
      for (const kind of ['text', 'annotations']) {
        const reader = await RawClient.connect({ url: server.url, path: `/collab/${room}/${kind}?token=${token}` });
        try {
          await reader.sync(30_000);
          loaded++;
        } catch {
          failed.push(`${room}/${kind} (${reader.outcome?.code ?? 'no answer'})`);
        }
        reader.close();
      }
    }
    return { roomsLoaded: loaded, failed, healthAfterRestart: await (await fetch(`${server.url}/healthz`)).json() };
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
  }
}

async function main(): Promise<void> {
  console.log(`soak-hostile: ${FRAMES} malformed frames, ${FLOODS} burst floods, ${IDLE} idle sockets, seed ${SEED} (replay: --seed ${SEED})`);
  const dataDir = makeDataDir();
  const server = await spawnServer(dataDir, { CONNECTIONS_PER_MINUTE: '1000000', MAX_SOCKETS_PER_ADDRESS: '1000000', MAX_SOCKETS_PER_ROOM: '1000000' });
  const phases: Phase[] = [];
  let alive = false;
  let restart: Awaited<ReturnType<typeof restartAndLoadEveryRoom>> | null = null;
  try {
    const quietRoom = await createRoomViaApi(server, 'quiet-room');
  const quiet = quietRoom.annotator;
    const { annotator, viewer, reviewer } = server.invites;
    phases.push(await phase(server, quiet, 'S1 malformed frames', () => malformedFrames(server, annotator)));
    phases.push(await phase(server, quiet, 'S2 burst floods', () => burstFloods(server, annotator)));
    phases.push(await phase(server, quiet, 'S2 sustained floods', () => sustainedFloods(server, annotator)));
    phases.push(await phase(server, quiet, 'S3 awareness floods', () => awarenessFloods(server, { flood: annotator, watch: reviewer })));
    phases.push(await phase(server, quiet, 'S2 idle sockets', () => idleSockets(server, viewer)));
    phases.push(await phase(server, quiet, 'A4 mass revocation', () => massRevocation(server)));
    phases.push(await phase(server, quiet, 'P1–P4 attacks of issue 14', () => issue14Attacks(server)));
    const flood: Phase = { phase: 'S2 connection flood (default limits)', ...(await connectionFlood()), rssBeforeMiB: NaN, rssAfterMiB: NaN, probeP50Ms: NaN, probeP99Ms: NaN };
    console.log(JSON.stringify(flood));
    phases.push(flood);
    alive = server.child.exitCode === null && (await fetch(`${server.url}/healthz`)).status === 200;
    server.child.kill('SIGTERM');
    await server.exited;
    restart = await restartAndLoadEveryRoom(dataDir, { 'quiet-room': quietRoom.viewer });
    console.log(JSON.stringify({ phase: 'restart', ...restart }));
  } finally {
    if (server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
  const out = path.join(root, 'bench/results/soak-hostile.json');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ scenario: 'soak-hostile', date: new Date().toISOString(), seed: SEED, serverSurvived: alive, phases, restart }, null, 2) + '\n');
  const everyRoomLoaded = restart !== null && restart.failed.length === 0;
  console.log(`server survived: ${alive}; every room loaded after the restart: ${everyRoomLoaded}; wrote ${path.relative(root, out)}`);
  if (!alive || !everyRoomLoaded) process.exitCode = 1;
}

await main();
