// heavy-requests: P3 and P4 of RELIABILITY.md (issue 14). An Apparatus server process (pinned to
// the server core) is sent expensive requests, one kind at a time and repeated, while /healthz is
// timed every 20 ms and a live room's round trip (a dismissal written, until the server
// acknowledges it as stored) every 50 ms. The budget: both stay under 100 ms.
//
// Kinds: a dry-run import of 30,000 annotations quoting "the" (3.4 MB); a new room from a 720 KB
// chapter; a 2 MB body nested a million levels deep on POST /api/rooms; the export of a room of
// 5,000 annotations; four viewers' presence states nested two million levels deep (3.6 MB each).
// Figures per kind: /healthz and round-trip p50/p99/max, and how long the request took.
//
//   node --import tsx bench/scenarios/heavy-requests.ts [--quick] [--repetitions N]
//
// With HEAVY_BENCH_BEFORE=<directory of another checkout> (with node_modules), the same load is
// also run against that checkout's server first, and its figures are stored as `before`. The
// server is pinned to one core (worker threads included) unless HEAVY_BENCH_UNPINNED=1. Each kind
// also records the server's own event-loop delay (bench/lib/server-probe.ts), and `idle`, the
// probes alone, is the noise floor of the machine at the time.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { MESSAGE_AWARENESS, stateVectorCovers } from '../../schema/index.ts';
import { inviteUserId } from '../../tests/helpers/access-builders.ts';
import { deeplyNestedJson } from '../../tests/helpers/hostile-updates.ts';
import { message, RawClient, waitUntil } from '../../tests/helpers/raw-client.ts';
import { chapterText } from '../lib/chapter-fixture.ts';
import { prober } from '../lib/bench-servers.ts';
import { PROJECT_ROOT } from '../lib/machine-info.ts';
import { launchNode, SERVER_CORE, stopProcess, waitForOutput } from '../lib/process-launcher.ts';
import { beginScenario, writeResult } from '../lib/result-writer.ts';
import { scenarioOptions } from '../lib/scenario-options.ts';
import { median, round, summarize } from '../lib/stats.ts';
import type { Summary } from '../lib/stats.ts';

const options = scenarioOptions();
const run = beginScenario('heavy-requests', options.quick);
const repetitions = options.repetitions ?? (options.quick ? 2 : 5);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A server under load: its address, admin token and the default room's invites. */
interface Target {
  url: string;
  adminToken: string;
  invites: Record<'owner' | 'reviewer' | 'annotator' | 'viewer', string>;
  /** Whether the server process is still running. */
  alive(): boolean;
  /** The end of what the server printed. */
  lastOutput(): string;
  /** The server's own event-loop delay since the last call (server-probe.ts, preloaded). */
  loopDelay(): Promise<{ p99: number; max: number }>;
  stop(): Promise<void>;
}

/** Starts `server/main.ts` of `checkout` (this one by default) with a fresh DATA_DIR, pinned to the server core. */
async function startTarget(checkout: string | null): Promise<Target> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'heavy-bench-'));
  const launched = launchNode({
    // HEAVY_BENCH_UNPINNED=1: the server's threads may use every core (its worker the one the main thread is not on).
    core: process.env.HEAVY_BENCH_UNPINNED ? null : SERVER_CORE,
    // The probe by absolute path: the server may be another checkout's.
    args: ['--import', 'tsx', '--import', path.join(PROJECT_ROOT, 'bench/lib/server-probe.ts'), 'server/main.ts'],
    env: { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, ADMIN_TOKEN: '', IMPORT_MAX_ANNOTATIONS: '50000' },
    captureOutput: true,
    ipc: true,
    ...(checkout ? { cwd: checkout } : {}),
  });
  await waitForOutput(launched, /^\s+viewer\s+\S+\?invite=\S+$/m);
  const ask = prober(launched);
  const banner = launched.output();
  const invite = (role: string) => decodeURIComponent(new RegExp(`^\\s+${role}\\s+\\S+\\?invite=(\\S+)`, 'm').exec(banner)![1]!);
  return {
    url: /Apparatus listening on (http:\/\/\S+)/.exec(banner)![1]!,
    adminToken: /Admin token[^:]*: (\S+)/.exec(banner)![1]!,
    invites: { owner: invite('owner'), reviewer: invite('reviewer'), annotator: invite('annotator'), viewer: invite('viewer') },
    alive: () => launched.child.exitCode === null && launched.child.signalCode === null,
    lastOutput: () => launched.output().slice(-1500),
    loopDelay: async () => {
      const reply = await ask({ reset: true });
      return { p99: reply.loopDelayMs.p99, max: reply.loopDelayMs.max };
    },
    stop: async () => {
      await stopProcess(launched);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A W3C import of `count` annotations quoting `exact`. */
function quotingImport(count: number, exact: string): string {
  return JSON.stringify(Array.from({ length: count }, (_, i) => ({ id: `urn:heavy:${i}`, type: 'Annotation', bodyValue: `note ${i}`, target: { source: 'urn:x', selector: { type: 'TextQuoteSelector', exact } } })));
}

/** The heavy request kinds: each returns once its request was answered. */
function kinds(target: Target, exportOwner: string): Record<string, (repetition: number) => Promise<unknown>> {
  const json = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
  const dryRun = quotingImport(30_000, 'the');
  let chapter = chapterText();
  while (chapter.length < 720_000) chapter += `\n\n${chapterText()}`;
  const nestedBody = `{"id":"nested","text":${deeplyNestedJson(1_000_000)}}`;
  const presence = (clientId: number) =>
    message(MESSAGE_AWARENESS, (outer) => {
      const inner = encoding.createEncoder();
      encoding.writeVarUint(inner, 1);
      encoding.writeVarUint(inner, clientId);
      encoding.writeVarUint(inner, 1);
      encoding.writeVarString(inner, deeplyNestedJson(1_900_000));
      encoding.writeVarUint8Array(outer, encoding.toUint8Array(inner));
    });
  return {
    // The noise floor: nothing heavy, the probes alone, for as long as a dry-run import takes.
    idle: () => sleep(2500),
    'import-dry-run-30000': () => fetch(`${target.url}/api/rooms/chapter-5/import?dryRun=1`, { method: 'POST', headers: json(target.invites.owner), body: dryRun }).then((r) => r.text()),
    'chapter-720kb': (i) => fetch(`${target.url}/api/rooms`, { method: 'POST', headers: json(target.adminToken), body: JSON.stringify({ id: `long-${i}-${Date.now() % 1e6}`, text: chapter }) }).then((r) => r.text()),
    'nested-body-2mb': () => fetch(`${target.url}/api/rooms`, { method: 'POST', headers: json(target.adminToken), body: nestedBody }).then((r) => r.text()),
    'export-5000': () => fetch(`${target.url}/api/rooms/export-room/export?format=native`, { headers: { authorization: `Bearer ${exportOwner}` } }).then((r) => r.text()),
    'nested-presence-4x3.6mb': async () => {
      const viewers = await Promise.all(Array.from({ length: 4 }, () => RawClient.connect({ url: target.url, path: `/collab/chapter-5/text?token=${target.invites.viewer}` })));
      const before = viewers.map((v) => v.frames.length);
      for (const viewer of viewers) {
        viewer.send(presence(viewer.doc.clientID));
        viewer.queryAwareness();
      }
      // Answered (or the sender closed) only once the frame before it was handled.
      await waitUntil(() => viewers.every((v, i) => v.frames.length > before[i]! || !v.open), 'the viewers’ frames to be handled', 60_000);
      for (const viewer of viewers) viewer.close();
    },
  };
}

/**
 * Times /healthz and a live room's round trip until `stop` resolves. A /healthz that fails (the
 * server died or dropped the connection) counts in `failures`, with the time it took to fail.
 */
async function probe(target: Target, live: RawClient, stop: Promise<unknown>): Promise<{ health: number[]; live: number[]; failures: number }> {
  let running = true;
  void stop.finally(() => (running = false));
  const health: number[] = [];
  const rounds: number[] = [];
  let failures = 0;
  const by = inviteUserId(target.invites.annotator);
  const healthLoop = (async () => {
    while (running) {
      const started = performance.now();
      await fetch(`${target.url}/healthz`).then((r) => r.arrayBuffer(), () => failures++);
      health.push(performance.now() - started);
      await sleep(20);
    }
  })();
  const liveLoop = (async () => {
    for (let i = 0; running && live.open; i++) {
      const started = performance.now();
      live.change((doc) => doc.getMap('dismissed').set(`probe-${Date.now()}-${i}`, { by, at: new Date().toISOString() }));
      await waitUntil(() => !live.open || (live.stored !== null && stateVectorCovers(live.stored, Y.encodeStateVector(live.doc))), 'a live round trip', 120_000);
      if (live.open) rounds.push(performance.now() - started);
      await sleep(50);
    }
  })();
  await Promise.all([healthLoop, liveLoop]);
  return { health, live: rounds, failures };
}

interface KindFigures {
  health: Summary;
  live: Summary;
  /** The server's own event-loop delay beyond 10 ms (its view: blocked, or not scheduled). */
  loop_delay_p99_ms: number;
  loop_delay_max_ms: number;
  request_ms: number;
  /** /healthz requests that failed (connection refused or reset: the server died). */
  health_failures: number;
}

/** Runs every kind `repetitions` times against one server; returns the figures per kind and over all. */
async function measure(checkout: string | null): Promise<Record<string, unknown> & { health_p99_ms: number }> {
  const target = await startTarget(checkout);
  try {
    const exportOwner = await seedExportRoom(target);
    const live = await RawClient.connect({ url: target.url, path: `/collab/chapter-5/annotations?token=${target.invites.annotator}&acks=1` });
    await live.sync();
    const figures: Record<string, KindFigures> = {};
    const allHealth: number[] = [];
    const allLive: number[] = [];
    let allLoopMax = 0;
    let floor: { health: number; loop: number } | null = null;
    for (const [name, send] of Object.entries(kinds(target, exportOwner))) {
      const health: number[] = [];
      const rounds: number[] = [];
      const durations: number[] = [];
      let failures = 0;
      const loops: { p99: number; max: number }[] = [];
      for (let i = 0; i < repetitions; i++) {
        await target.loopDelay().catch(() => null);
        const started = performance.now();
        const request = send(i).then(
          () => durations.push(performance.now() - started),
          () => durations.push(Number.NaN),
        );
        const measured = await probe(target, live, request);
        health.push(...measured.health);
        rounds.push(...measured.live);
        failures += measured.failures;
        const loop = await target.loopDelay().catch(() => null);
        if (loop) loops.push(loop);
      }
      figures[name] = {
        health: summarize(health),
        live: summarize(rounds),
        loop_delay_p99_ms: Math.max(...loops.map((l) => l.p99), 0),
        loop_delay_max_ms: Math.max(...loops.map((l) => l.max), 0),
        request_ms: round(median(durations)),
        health_failures: failures,
      };
      if (name === 'idle') {
        floor = { health: figures[name]!.health.p99, loop: figures[name]!.loop_delay_max_ms };
        continue;
      }
      allHealth.push(...health);
      allLive.push(...rounds);
      allLoopMax = Math.max(allLoopMax, figures[name]!.loop_delay_max_ms);
      const failed = failures > 0 ? `, ${failures} /healthz failed (the server ${target.alive() ? 'dropped them' : 'died'})` : '';
      console.log(`${checkout ?? 'this checkout'} ${name}: /healthz p99 ${figures[name]!.health.p99} ms (max ${figures[name]!.health.max}), live round trip p99 ${figures[name]!.live.p99} ms (max ${figures[name]!.live.max}), server loop delay p99 ${figures[name]!.loop_delay_p99_ms} ms (max ${figures[name]!.loop_delay_max_ms}), request ${figures[name]!.request_ms} ms${failed}`);
      if (!target.alive()) break;
    }
    live.close();
    const health = summarize(allHealth);
    const rounds = summarize(allLive);
    const died = !target.alive();
    if (died) console.log(`${checkout ?? 'this checkout'}: the server died:\n${target.lastOutput()}`);
    return { kinds: figures, health_p99_ms: health.p99, health_max_ms: health.max, live_p99_ms: rounds.p99, live_max_ms: rounds.max, loop_delay_max_ms: allLoopMax, idle_health_p99_ms: floor?.health ?? null, server_died: died };
  } finally {
    await target.stop();
  }
}

/** Creates the room to export, with 5,000 annotations imported before anything is measured; returns its owner's invite. */
async function seedExportRoom(target: Target): Promise<string> {
  const created = await fetch(`${target.url}/api/rooms`, { method: 'POST', headers: { authorization: `Bearer ${target.adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ id: 'export-room', text: chapterText() }) });
  const { invites } = (await created.json()) as { invites: Target['invites'] };
  const body = quotingImport(5000, 'terminating the first five-year plan');
  const answer = await fetch(`${target.url}/api/rooms/export-room/import`, { method: 'POST', headers: { authorization: `Bearer ${invites.owner}`, 'content-type': 'application/json' }, body });
  if (answer.status !== 200) throw new Error(`seeding the export room: ${answer.status} ${(await answer.text()).slice(0, 200)}`);
  return invites.owner;
}

const beforeCheckout = process.env.HEAVY_BENCH_BEFORE ?? null;
const before = beforeCheckout ? await measure(beforeCheckout) : null;
const apparatus = await measure(null);
writeResult(run, repetitions, {
  apparatus,
  ...(before ? { before: { checkout: path.basename(beforeCheckout!), ...before } } : {}),
  converged: true,
  converged_means: 'every live round trip was acknowledged as stored',
});
