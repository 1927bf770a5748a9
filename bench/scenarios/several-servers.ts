// several-servers: Apparatus over PostgreSQL and Redis (docs/several-servers.md).
//   1. durable appends: the store alone (one update per transaction; groups of 100; PostgreSQL
//      also with 8 connections at once) and end to end (updates flooded over one socket to a
//      server process until the MESSAGE_STORED ack covers them), SQLite (FULL) against PostgreSQL;
//   2. throughput from 1 to 3 processes: one flooding socket per process, all at once, until
//      every ack is in: stored and relayed updates per second in all;
//   3. fan-out: 50 clients (an annotation each every 2 s) and 200 (cursors at 2 Hz, an annotation
//      each every 20 s) spread round robin over 1 and over 3 processes: creation → every other client.
// PostgreSQL 15 and Redis 7 are throwaway instances (Debian's, as the tests use), PostgreSQL with
// its durable defaults (fsync on, synchronous_commit on). Nothing is pinned but the fan-out's load
// generator (core 0): on a 2-core machine the servers, PostgreSQL, Redis and the load share two
// cores. Writes bench/results/several-servers.json.
//   node --import tsx bench/scenarios/several-servers.ts [--quick] [--repetitions N] [--duration S]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { createCollectingLogger, defaultConfig, openStorage, replayStoredDoc } from '../../server/index.ts';
import type { Storage } from '../../server/index.ts';
import { startPostgres, startRedis } from '../../tests/helpers/engines.ts';
import type { PostgresInstance, RedisInstance } from '../../tests/helpers/engines.ts';
import { launchApparatus } from '../lib/bench-servers.ts';
import { unpinThisProcess } from '../lib/process-launcher.ts';
import type { ApparatusServer } from '../lib/bench-servers.ts';
import { sameBytes } from '../lib/convergence.ts';
import { driveCrowd } from '../lib/fanout-runner.ts';
import type { FanoutPlan, FanoutRun } from '../lib/fanout-runner.ts';
import { actorOf, annotationUpdates, floodUntilAcked } from '../lib/flood.ts';
import { loadAverage, PROJECT_ROOT } from '../lib/machine-info.ts';
import { beginScenario, writeResult } from '../lib/result-writer.ts';
import { createSessions } from '../lib/room-sessions.ts';
import { scenarioOptions } from '../lib/scenario-options.ts';
import { round, spreadOf } from '../lib/stats.ts';
import type { Spread } from '../lib/stats.ts';

const ROOM = 'chapter-5';
const options = scenarioOptions();
const run = beginScenario('several-servers', options.quick);
const repetitions = options.repetitions ?? (options.quick ? 1 : 3);
const durationMs = (options.durationS ?? (options.quick ? 15 : 30)) * 1000;
const floodSize = options.quick ? 6000 : 15_000;
/** A flood measures the store and the relay, not the per-connection rate limit (100 messages/s), nor the per-address ones. */
const UNLIMITED = { MAX_MESSAGES_PER_SECOND: '1000000', MAX_BYTES_PER_SECOND: String(1024 ** 3), MAX_SOCKETS_PER_ADDRESS: '100000', CONNECTIONS_PER_MINUTE: '100000' };

let postgres: PostgresInstance;
let redis: RedisInstance;
let databases = 0;
const newDatabase = () => postgres.createDatabase(`bench_${++databases}`);
const temporary = () => mkdtempSync(path.join(os.tmpdir(), 'apparatus-bench-'));

/** Starts `count` server processes (not pinned) on one database, one after another (the first makes the schema). */
async function startCluster(count: number, databaseUrl: string): Promise<{ servers: ApparatusServer[]; stop(): Promise<void> }> {
  const servers: ApparatusServer[] = [];
  const dirs: string[] = [];
  for (let i = 0; i < count; i++) {
    const dir = temporary();
    dirs.push(dir);
    servers.push(await launchApparatus(dir, { DATABASE_URL: databaseUrl, REDIS_URL: redis.url, ...UNLIMITED }, null));
  }
  return {
    servers,
    stop: async () => {
      await Promise.all(servers.map((server) => server.stop()));
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Updates per second of `count` updates taking `ms`. */
const rate = (count: number, ms: number) => round(count / (ms / 1000), 0);

// --- 1. durable appends ---------------------------------------------------------------------

/**
 * The store alone: sequential one-update transactions, and groups of 100, each durable when it
 * returns (SQLite: the main connection, synchronous = FULL, an fsync in every commit, as
 * bench/server-durability.ts measures it; PostgreSQL: every commit).
 */
async function storeAppends(storage: Storage, updates: readonly Uint8Array[]): Promise<{ single: number; grouped: number }> {
  await storage.stores.rooms.insert({ id: 'bench', title: 'Bench', createdAt: 0, inviteGeneration: 1 });
  const docName = 'bench/annotations';
  const singles = updates.slice(0, 1000);
  let started = performance.now();
  for (const update of singles) await storage.stores.updates.appendUpdates([{ docName, update }]);
  const single = rate(singles.length, performance.now() - started);
  started = performance.now();
  for (let i = 0; i < updates.length; i += 100) await storage.stores.updates.appendUpdates(updates.slice(i, i + 100).map((update) => ({ docName, update })));
  return { single, grouped: rate(updates.length, performance.now() - started) };
}

/** PostgreSQL with 8 connections appending at once, one update per transaction each (as 8 processes would). */
async function concurrentAppends(storage: Storage, updates: readonly Uint8Array[]): Promise<number> {
  const docName = 'bench/annotations';
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 8 }, async (_, writer) => {
      for (let i = writer; i < updates.length; i += 8) await storage.stores.updates.appendUpdates([{ docName, update: updates[i]! }]);
    }),
  );
  return rate(updates.length, performance.now() - started);
}

/** End to end: a flood over one socket to one server process, until the ack covers it all. */
async function endToEnd(env: Record<string, string>, count: number): Promise<number> {
  const dir = temporary();
  const server = await launchApparatus(dir, { ...env, ...UNLIMITED }, null);
  try {
    const updates = annotationUpdates(count, Math.min(2000, count), await actorOf(server.url, server.invites.owner));
    return rate(updates.length, await floodUntilAcked(server.url, server.invites.owner, updates));
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface AppendFigures {
  sqlite: { store_single_per_s: number; store_group_100_per_s: number; end_to_end_per_s: number };
  postgres: { store_single_per_s: number; store_group_100_per_s: number; store_8_connections_per_s: number; end_to_end_per_s: number };
}

async function measureAppends(): Promise<AppendFigures> {
  const updates = annotationUpdates(5000, 1000, { userId: 'u-0000000000000001', name: 'Reader 1' });
  const sqliteDir = temporary();
  const sqlite = await openStorage({ ...defaultConfig(), dataDir: sqliteDir, synchronous: 'FULL' }, createCollectingLogger());
  const sqliteStore = await storeAppends(sqlite, updates).finally(() => sqlite.close());
  rmSync(sqliteDir, { recursive: true, force: true });
  const pg = await openStorage({ ...defaultConfig(), databaseUrl: await newDatabase() }, createCollectingLogger());
  const pgStore = await storeAppends(pg, updates);
  const pgConcurrent = await concurrentAppends(pg, updates).finally(() => pg.close());
  const sqliteEnd = await endToEnd({}, floodSize);
  const pgEnd = await endToEnd({ DATABASE_URL: await newDatabase(), REDIS_URL: redis.url }, floodSize);
  const figures = {
    sqlite: { store_single_per_s: sqliteStore.single, store_group_100_per_s: sqliteStore.grouped, end_to_end_per_s: sqliteEnd },
    postgres: { store_single_per_s: pgStore.single, store_group_100_per_s: pgStore.grouped, store_8_connections_per_s: pgConcurrent, end_to_end_per_s: pgEnd },
  };
  console.log(`  appends: SQLite ${JSON.stringify(figures.sqlite)}; PostgreSQL ${JSON.stringify(figures.postgres)} (load ${loadAverage()})`);
  return figures;
}

// --- 2. throughput, 1 to 3 processes ----------------------------------------------------------

/** Creates a room through the admin API (every process shares the admin token); returns its owner invite. */
async function createRoom(server: ApparatusServer, id: string): Promise<string> {
  const text = readFileSync(path.join(PROJECT_ROOT, 'fixtures/chapter-5.txt'), 'utf8');
  const response = await fetch(`${server.url}/api/rooms`, { method: 'POST', headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ id, title: id, text }) });
  if (response.status !== 201) throw new Error(`creating room ${id}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { invites: { owner: string } }).invites.owner;
}

/**
 * `processes` servers, one flooding socket each, all at once, until every ack is in: updates
 * stored per second in all. `shared`: every socket writes the same room (every process applies
 * and relays every update); otherwise each its own room (no process holds another's).
 */
async function throughput(processes: number, shared: boolean): Promise<{ per_s: number; load: number; servers_cpu: number }> {
  const cluster = await startCluster(processes, await newDatabase());
  try {
    const rooms = cluster.servers.map((_, i) => (shared ? ROOM : `flood-${i}`));
    // One room after another: a user may have only 2 chapter imports running at once.
    const tokens: string[] = [];
    for (const [i, server] of cluster.servers.entries()) tokens.push(shared ? server.invites.owner : await createRoom(cluster.servers[0]!, rooms[i]!));
    const share = Math.floor(floodSize / processes);
    const floods = await Promise.all(cluster.servers.map(async (server, i) => annotationUpdates(share, Math.min(2000, share), await actorOf(server.url, tokens[i]!, rooms[i]), 10 + i)));
    // The servers' rooms loaded (each socket waits for its greeting), then measured from here.
    await Promise.all(cluster.servers.map((server) => server.probe({ reset: true })));
    const load = loadAverage();
    const started = performance.now();
    await Promise.all(cluster.servers.map((server, i) => floodUntilAcked(server.url, tokens[i]!, floods[i]!, rooms[i])));
    const elapsed = performance.now() - started;
    const probes = await Promise.all(cluster.servers.map((server) => server.probe()));
    // Cores the server processes kept busy (CPU time over wall time, summed): at most 2 here.
    return { per_s: rate(share * processes, elapsed), load, servers_cpu: round(probes.reduce((sum, probe) => sum + probe.cpuMs, 0) / elapsed, 2) };
  } finally {
    await cluster.stop();
  }
}

// --- 3. fan-out over 1 and 3 processes ---------------------------------------------------------

const FANOUT_PLANS: Record<'clients_50' | 'clients_200', Omit<FanoutPlan, 'durationMs' | 'repetitions'>> = {
  clients_50: { clients: 50, stockClients: 5, annotationIntervalMs: 2000, presenceIntervalMs: null, servers: ['apparatus'], sampledReplicas: 10, seed: 50 },
  clients_200: { clients: 200, stockClients: 5, annotationIntervalMs: 20_000, presenceIntervalMs: 500, servers: ['apparatus'], sampledReplicas: 10, seed: 200 },
};

/** Whether PostgreSQL holds exactly the state the load generator's final replica had. */
async function storeHolds(databaseUrl: string, stateVectorBase64: string): Promise<boolean> {
  const storage = await openStorage({ ...defaultConfig(), databaseUrl }, createCollectingLogger());
  try {
    const replayed = replayStoredDoc(await storage.stores.updates.loadDoc(`${ROOM}/annotations`));
    return replayed.ok && sameBytes(Y.encodeStateVector(replayed.value), Buffer.from(stateVectorBase64, 'base64'));
  } finally {
    await storage.close();
  }
}

async function fanoutOnce(plan: FanoutPlan, processes: number, repetition: number): Promise<FanoutRun> {
  const databaseUrl = await newDatabase();
  const cluster = await startCluster(processes, databaseUrl);
  try {
    const [first, ...others] = cluster.servers as [ApparatusServer, ...ApparatusServer[]];
    const identities = await createSessions(first.url, ROOM, first.invites.annotator, plan.clients);
    const result = await driveCrowd(plan, first, identities, repetition, cluster.servers.map((server) => server.wsBase), others);
    return { ...result, storeMatches: await storeHolds(databaseUrl, result.crowd.convergence.serverStateVector) };
  } finally {
    await cluster.stop();
  }
}

interface FanoutFigures {
  p50_ms: number;
  p99_ms: number;
  p99_spread: Spread;
  presence_p99_ms: number | null;
  lost: number;
  /** The worst event-loop delay p99 over the processes. */
  loop_delay_p99_ms: number;
  /** CPU time of all processes over wall time (cores busy). */
  servers_cpu: number;
  converged: boolean;
}

function figuresOf(runs: FanoutRun[]): FanoutFigures {
  const presence = runs.filter((r) => r.crowd.presenceLatency.n > 0).map((r) => r.crowd.presenceLatency.p99);
  const probes = (r: FanoutRun) => [r.probe, ...(r.otherProbes ?? [])];
  return {
    p50_ms: spreadOf(runs.map((r) => r.crowd.annotationLatency.p50)).median,
    p99_ms: spreadOf(runs.map((r) => r.crowd.annotationLatency.p99)).median,
    p99_spread: spreadOf(runs.map((r) => r.crowd.annotationLatency.p99)),
    presence_p99_ms: presence.length > 0 ? spreadOf(presence).median : null,
    lost: runs.reduce((sum, r) => sum + r.crowd.lostAnnotations + r.crowd.stalePresence, 0),
    loop_delay_p99_ms: spreadOf(runs.map((r) => Math.max(...probes(r).map((p) => p.loopDelayMs.p99)))).median,
    servers_cpu: round(spreadOf(runs.map((r) => probes(r).reduce((sum, p) => sum + p.cpuMs, 0) / Math.max(1, r.probe.wallMs))).median, 2),
    converged: runs.every((r) => r.crowd.convergence.converged && r.storeMatches === true && r.crowd.deniedCount === 0),
  };
}

// --- the run ---------------------------------------------------------------------------------

// Unpinned as the header says (bench/run.ts pinned this process to the load core, and the
// servers, PostgreSQL and Redis would inherit it: a first run measured 1 to 3 processes on one core).
unpinThisProcess();
[postgres, redis] = await Promise.all([startPostgres({ fsync: true }), startRedis()]);
try {
  console.log(`several-servers: PostgreSQL (fsync on) and Redis throwaway instances; ${repetitions} repetition(s); floods of ${floodSize} updates; fan-out runs of ${durationMs / 1000} s`);
  const appendRuns: AppendFigures[] = [];
  for (let i = 0; i < repetitions; i++) appendRuns.push(await measureAppends());

  const throughputRuns: Record<string, { per_s: number; load: number; servers_cpu: number }[]> = {};
  for (let i = 0; i < repetitions; i++) {
    for (const shared of [true, false]) {
      for (const processes of i % 2 === 0 ? [1, 2, 3] : [3, 2, 1]) {
        const measured = await throughput(processes, shared);
        (throughputRuns[`${shared ? 'one_room' : 'room_each'}_processes_${processes}`] ??= []).push(measured);
        console.log(`  throughput, ${processes} process(es), ${shared ? 'one room' : 'a room each'}: ${measured.per_s} updates/s stored; servers kept ${measured.servers_cpu} cores busy (load ${measured.load})`);
      }
    }
  }

  const fanout: Record<string, Record<string, FanoutFigures>> = {};
  const fanoutRuns: Record<string, FanoutRun[]> = {};
  for (const [name, base] of Object.entries(FANOUT_PLANS)) {
    fanout[name] = {};
    for (const processes of [1, 3]) {
      const runs: FanoutRun[] = [];
      for (let repetition = 0; repetition < repetitions; repetition++) {
        const measured = await fanoutOnce({ ...base, durationMs, repetitions }, processes, repetition);
        runs.push(measured);
        const { crowd } = measured;
        console.log(`  ${base.clients} clients over ${processes} process(es) #${repetition + 1}: p50 ${crowd.annotationLatency.p50} ms, p99 ${crowd.annotationLatency.p99} ms, presence p99 ${crowd.presenceLatency.p99} ms, lost ${crowd.lostAnnotations}+${crowd.stalePresence}, converged ${crowd.convergence.converged}, store matches ${measured.storeMatches} (load ${measured.loadAverage})`);
      }
      fanout[name]![`processes_${processes}`] = figuresOf(runs);
      fanoutRuns[`${name}_processes_${processes}`] = runs.map((r) => ({ ...r, crowd: { ...r.crowd, convergence: { ...r.crowd.convergence, serverStateVector: '(omitted)' } } }));
    }
  }

  const pick = <T>(values: T[], by: (value: T) => number) => spreadOf(values.map(by));
  const appends = {
    sqlite_end_to_end_per_s: pick(appendRuns, (r) => r.sqlite.end_to_end_per_s),
    postgres_end_to_end_per_s: pick(appendRuns, (r) => r.postgres.end_to_end_per_s),
    sqlite_store_single_per_s: pick(appendRuns, (r) => r.sqlite.store_single_per_s),
    postgres_store_single_per_s: pick(appendRuns, (r) => r.postgres.store_single_per_s),
    sqlite_store_group_100_per_s: pick(appendRuns, (r) => r.sqlite.store_group_100_per_s),
    postgres_store_group_100_per_s: pick(appendRuns, (r) => r.postgres.store_group_100_per_s),
    postgres_store_8_connections_per_s: pick(appendRuns, (r) => r.postgres.store_8_connections_per_s),
  };
  const scaling = Object.fromEntries(Object.entries(throughputRuns).map(([key, runs]) => [key, pick(runs, (r) => r.per_s)]));
  writeResult(run, repetitions, {
    apparatus: {
      postgres_updates_per_s: appends.postgres_end_to_end_per_s.median,
      sqlite_updates_per_s: appends.sqlite_end_to_end_per_s.median,
      fanout_50_p99_ms: { processes_1: fanout.clients_50?.processes_1?.p99_ms, processes_3: fanout.clients_50?.processes_3?.p99_ms },
      fanout_200_p99_ms: { processes_1: fanout.clients_200?.processes_1?.p99_ms, processes_3: fanout.clients_200?.processes_3?.p99_ms },
      throughput_per_s: Object.fromEntries(Object.entries(scaling).map(([k, v]) => [k, v.median])),
    },
    converged: Object.values(fanout).every((byProcesses) => Object.values(byProcesses).every((figures) => figures.converged)),
    converged_means: 'every fan-out run: sampled replicas equal the server’s, PostgreSQL holds exactly that state, nothing refused; every flood acknowledged in full',
    engines: { postgres: 'Debian 15, fsync on, synchronous_commit on', redis: 'Debian 7.0', pinning: 'fan-out load generator on core 0; servers, PostgreSQL and Redis not pinned' },
    appends,
    throughput: { updates_per_flood: floodSize, scaling, runs: throughputRuns },
    fanout,
    fanout_runs: fanoutRuns,
  });
} finally {
  await Promise.all([postgres.stop(), redis.stop()]);
}
