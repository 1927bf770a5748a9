import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { openDatabase } from '../../server/persistence/database.ts';
import { replayStoredDoc } from '../../server/persistence/doc-replay.ts';
import { SqliteExecutor } from '../../server/persistence/sql/sqlite-executor.ts';
import { UpdateStore } from '../../server/persistence/update-store.ts';
import { launchApparatus, launchReference } from './bench-servers.ts';
import type { BenchServer, ServerKind } from './bench-servers.ts';
import { sameBytes } from './convergence.ts';
import type { CrowdConfig, CrowdResult, LoadGeneratorMessage } from './crowd-plan.ts';
import { ipcRequest } from './ipc-requests.ts';
import { loadAverage } from './machine-info.ts';
import { launchNode, LOAD_CORE, stopProcess } from './process-launcher.ts';
import type { ProbeReply } from './probe-messages.ts';
import { anonymousIdentities, createSessions } from './room-sessions.ts';
import { clockAgreementMs } from './shared-clock.ts';
import { round, spreadOf } from './stats.ts';
import type { Spread } from './stats.ts';

/** The room every fanout run uses (Apparatus's default room; any name on the reference). */
const ROOM = 'chapter-5';

/**
 * Every crowd client connects from 127.0.0.1, where a real class comes from many addresses (or
 * one NAT, whose operator raises these the same way): the per-address socket and upgrade limits
 * are raised for the benchmark; every other limit keeps its default.
 */
const CROWD_FROM_ONE_ADDRESS = { MAX_SOCKETS_PER_ADDRESS: '100000', CONNECTIONS_PER_MINUTE: '100000' };

/** One fanout scenario: how many clients do what, for how long, against which servers. */
export interface FanoutPlan {
  clients: number;
  /** Of the clients, how many are stock y-websocket providers (the rest speak the raw protocol). */
  stockClients: number;
  annotationIntervalMs: number;
  presenceIntervalMs: number | null;
  durationMs: number;
  repetitions: number;
  servers: ServerKind[];
  sampledReplicas: number;
  seed: number;
}

/** What one run against one server measured. */
export interface FanoutRun {
  server: ServerKind;
  repetition: number;
  crowd: CrowdResult;
  /** The server's probe over the measured window (event loop, CPU, memory). */
  probe: ProbeReply;
  /** With several servers, the probes of the others over the same window. */
  otherProbes?: ProbeReply[];
  /** Worst disagreement (ms) between the coordinator's and the load generator's shared clock. */
  clockCheckMs: number;
  loadAverage: number;
  /** Apparatus: whether the store, read after shutdown, holds exactly what the clients converged on. */
  storeMatches: boolean | null;
}

/** Whether the store in `dataDir` replays to the state vector the load generator's server replica had. */
async function storeHolds(dataDir: string, stateVectorBase64: string): Promise<boolean> {
  const db = openDatabase(dataDir, 'NORMAL');
  try {
    const replayed = replayStoredDoc(await new UpdateStore(new SqliteExecutor(db)).loadDoc(`${ROOM}/annotations`));
    if (!replayed.ok) return false;
    return sameBytes(Y.encodeStateVector(replayed.value), Buffer.from(stateVectorBase64, 'base64'));
  } finally {
    db.close();
  }
}

function crowdConfig(plan: FanoutPlan, server: BenchServer, identities: CrowdConfig['identities'], repetition: number, wsBases?: string[]): CrowdConfig {
  return {
    serverKind: server.kind,
    wsBase: server.wsBase,
    ...(wsBases ? { wsBases } : {}),
    room: ROOM,
    identities,
    stockClients: plan.stockClients,
    annotationIntervalMs: plan.annotationIntervalMs,
    presenceIntervalMs: plan.presenceIntervalMs,
    durationMs: plan.durationMs,
    seedText: server.kind === 'reference',
    acks: server.kind === 'apparatus',
    sampledReplicas: plan.sampledReplicas,
    seed: plan.seed + repetition,
  };
}

/**
 * Plays the crowd against a running server with a fresh load-generator process; returns what it
 * measured. With `wsBases`, the clients are spread round robin over several servers sharing the
 * room (the probe is `server`'s).
 */
export async function driveCrowd(
  plan: FanoutPlan,
  server: BenchServer,
  identities: CrowdConfig['identities'],
  repetition: number,
  wsBases?: string[],
  others: readonly BenchServer[] = [],
): Promise<Omit<FanoutRun, 'storeMatches'>> {
  const generator = launchNode({ core: LOAD_CORE, args: ['--import', 'tsx', 'bench/lib/load-generator.ts'], ipc: true });
  try {
    const clockCheckMs = await clockAgreementMs(async () => (await ipcRequest<Extract<LoadGeneratorMessage, { type: 'clock' }>>(generator.child, { type: 'clock' }, 'clock', 10_000)).ms);
    await ipcRequest(generator.child, { type: 'prepare', config: crowdConfig(plan, server, identities, repetition, wsBases) }, 'ready', 120_000);
    await Promise.all([server, ...others].map((each) => each.probe({ reset: true, gc: true })));
    const loadAtStart = loadAverage();
    const { result } = await ipcRequest<Extract<LoadGeneratorMessage, { type: 'result' }>>(generator.child, { type: 'start' }, 'result', plan.durationMs + 180_000);
    const probe = await server.probe();
    const otherProbes = await Promise.all(others.map((each) => each.probe()));
    return { server: server.kind, repetition, crowd: result, probe, ...(others.length > 0 ? { otherProbes } : {}), clockCheckMs, loadAverage: loadAtStart };
  } finally {
    await stopProcess(generator, 'SIGTERM', 2000);
  }
}

/** One run: a fresh server process of `kind` (pinned), real sessions on Apparatus, a fresh load generator. */
async function runOnce(plan: FanoutPlan, kind: ServerKind, repetition: number): Promise<FanoutRun> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'apparatus-bench-'));
  const apparatus = kind === 'apparatus' ? await launchApparatus(dataDir, CROWD_FROM_ONE_ADDRESS) : null;
  const server: BenchServer = apparatus ?? (await launchReference());
  try {
    // Apparatus clients are real sessions of annotators (one invite, one user each), as in a class.
    const identities = apparatus ? await createSessions(apparatus.url, ROOM, apparatus.invites.annotator, plan.clients) : anonymousIdentities(plan.clients);
    const run = await driveCrowd(plan, server, identities, repetition);
    await server.stop();
    const storeMatches = kind === 'apparatus' ? await storeHolds(dataDir, run.crowd.convergence.serverStateVector) : null;
    return { ...run, storeMatches };
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Prints one run's headline figures as it finishes. */
function report(run: FanoutRun): void {
  const { crowd, probe } = run;
  const presence = crowd.presenceLatency.n > 0 ? `, presence p99 ${crowd.presenceLatency.p99} ms` : '';
  console.log(
    `  ${run.server.padEnd(9)} #${run.repetition + 1}: annotation p50 ${crowd.annotationLatency.p50} ms, p99 ${crowd.annotationLatency.p99} ms (n=${crowd.annotationLatency.n})${presence}; ` +
      `lost ${crowd.lostAnnotations}+${crowd.stalePresence}; converged ${crowd.convergence.converged}; server loop p99 ${probe.loopDelayMs.p99} ms, ` +
      `cpu ${round(probe.cpuMs / probe.wallMs, 2)}; load generator cpu ${crowd.loadGenerator.cpuShare}, loop p99 ${crowd.loadGenerator.loopDelayP99Ms} ms, max ${crowd.loadGenerator.loopDelayMaxMs} ms, GC pause max ${crowd.loadGenerator.gcPauseMaxMs} ms, RSS ${crowd.loadGenerator.rssMiB} MiB; load ${run.loadAverage}`,
  );
}

/**
 * Runs the plan: each repetition runs every server once, alternating which goes first so
 * neither always meets a warmer or busier machine. Every run starts fresh processes.
 */
export async function runFanout(plan: FanoutPlan): Promise<FanoutRun[]> {
  const runs: FanoutRun[] = [];
  for (let repetition = 0; repetition < plan.repetitions; repetition++) {
    const order = repetition % 2 === 0 ? plan.servers : [...plan.servers].reverse();
    for (const kind of order) {
      const run = await runOnce(plan, kind, repetition);
      report(run);
      runs.push(run);
    }
  }
  return runs;
}

/** The figures of one server over its repetitions: medians of per-run percentiles, with their spread. */
export interface FanoutFigures {
  p50_ms: number;
  p99_ms: number;
  p50_spread: Spread;
  p99_spread: Spread;
  presence_p99_ms: number | null;
  lost: number;
  loop_delay_p99_ms: number;
  server_cpu_share: number;
  converged: boolean;
}

/** Aggregates the runs of one server. */
export function fanoutFigures(runs: FanoutRun[], kind: ServerKind): FanoutFigures {
  const mine = runs.filter((run) => run.server === kind);
  const p50 = spreadOf(mine.map((run) => run.crowd.annotationLatency.p50));
  const p99 = spreadOf(mine.map((run) => run.crowd.annotationLatency.p99));
  const presence = mine.filter((run) => run.crowd.presenceLatency.n > 0).map((run) => run.crowd.presenceLatency.p99);
  return {
    p50_ms: p50.median,
    p99_ms: p99.median,
    p50_spread: p50,
    p99_spread: p99,
    presence_p99_ms: presence.length > 0 ? spreadOf(presence).median : null,
    lost: mine.reduce((sum, run) => sum + run.crowd.lostAnnotations + run.crowd.stalePresence, 0),
    loop_delay_p99_ms: spreadOf(mine.map((run) => run.probe.loopDelayMs.p99)).median,
    server_cpu_share: spreadOf(mine.map((run) => run.probe.cpuMs / Math.max(1, run.probe.wallMs))).median,
    converged: mine.every((run) => run.crowd.convergence.converged && run.storeMatches !== false && run.crowd.deniedCount === 0),
  };
}
