// room-growth: one room grows to 50,000 annotations on Apparatus and on the reference server, in
// the same run, step by step (1k, then every 5k). At each step both servers first receive the
// annotations that take the room to that size (batches of 50 per update, as an import or a busy
// seminar would), then a window of steady writes: one annotation per update at a fixed rate from
// one client, relayed to another. Per step and server: CPU per update and the event loop's delay
// (p99, max) from the probe, creation → other client latency, memory; for Apparatus also the bytes
// stored per annotation (snapshot and log, as the store holds them: snapshots compressed) and the
// compactions it logged (how many, how long each took from start to write). At the end a fresh
// client joins the grown room on each server (time, and bytes its socket read per annotation). The servers run on the server core, one measured at a time (order
// alternating per step); the clients on the load core. Writes bench/results/room-growth.json.
//   node --import tsx bench/scenarios/room-growth.ts [--quick] [--duration S]
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { annotationsMap } from '../../schema/annotations/layout.ts';
import { stampOf } from '../lib/annotation-stamps.ts';
import { launchApparatus, launchReference } from '../lib/bench-servers.ts';
import type { BenchServer } from '../lib/bench-servers.ts';
import { beginScenario, writeResult } from '../lib/result-writer.ts';
import { joinRoom } from '../lib/room-join.ts';
import { RoomWriter, until } from '../lib/room-writer.ts';
import { createBenchRoom, createSessions } from '../lib/room-sessions.ts';
import type { BenchIdentity } from '../lib/room-sessions.ts';
import { scenarioOptions } from '../lib/scenario-options.ts';
import { sharedClockMs } from '../lib/shared-clock.ts';
import { storedBytes } from '../lib/stored-bytes.ts';
import { round, summarize } from '../lib/stats.ts';

const options = scenarioOptions();
const run = beginScenario('room-growth', options.quick);
const STEPS = options.quick ? [1000, 5000, 10000, 20000] : [1000, 5000, 10000, 15000, 20000, 25000, 30000, 35000, 40000, 45000, 50000];
const WINDOW_S = options.durationS ?? (options.quick ? 6 : 15);
/** Steady writes: one annotation per update at this rate, from one client. */
const RATE_PER_S = 50;
/** Growth: annotations per update, and updates in flight before waiting for the relay. */
const BATCH = 50;
const IN_FLIGHT = 4;
const ROOM = 'growth';

/** One server in the run: its process and the client growing and watching its room. */
interface Subject {
  server: BenchServer;
  room: RoomWriter;
  /** Latency of each stamped annotation as the watcher receives it. */
  latencies: number[];
}

/** Records the relay latency of every stamped annotation the watcher receives. */
function watchLatencies(room: RoomWriter, latencies: number[]): void {
  const map = annotationsMap(room.watcher.annotations);
  map.observe((event) => {
    const now = sharedClockMs();
    for (const [key, change] of event.changes.keys) {
      if (change.action !== 'add') continue;
      const stamp = stampOf(map.get(key)?.get('note'));
      if (stamp !== null) latencies.push(now - stamp);
    }
  });
}

/** The steady-write window: RATE_PER_S single-annotation updates a second for WINDOW_S seconds. */
async function steadyWrites(subject: Subject) {
  const { room, server } = subject;
  await new Promise((resolve) => setTimeout(resolve, 1000));
  await server.probe({ gc: true, reset: true });
  const latencyStart = subject.latencies.length;
  const total = RATE_PER_S * WINDOW_S;
  const target = room.created + total;
  const started = sharedClockMs();
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / RATE_PER_S;
    const wait = due - sharedClockMs();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    room.createOne(sharedClockMs());
  }
  await until(() => room.seen() >= target, 120_000, `${server.kind} relaying the steady writes`);
  const probe = await server.probe({ gc: true });
  const latencies = subject.latencies.slice(latencyStart);
  return {
    updates: total,
    cpu_ms_per_update: round(probe.cpuMs / total, 3),
    loop_delay_ms: { p99: probe.loopDelayMs.p99, max: probe.loopDelayMs.max },
    latency_ms: summarize(latencies),
    rss_mib: round(probe.memory.rss / 2 ** 20, 1),
    heap_mib: round((probe.memory.heapUsed + probe.memory.external) / 2 ** 20, 1),
  };
}

async function subjectFor(server: BenchServer, identity: BenchIdentity): Promise<Subject> {
  const writer = await joinRoom(server.wsBase, ROOM, identity.token, 120_000);
  const watcher = await joinRoom(server.wsBase, ROOM, identity.token, 120_000);
  const subject = { server, room: new RoomWriter(writer, watcher, identity), latencies: [] };
  watchLatencies(subject.room, subject.latencies);
  return subject;
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'apparatus-growth-'));
// The growth batches exceed one connection's default byte budget (1 MiB/s): raised for the writer, as fanout raises per-address limits.
const apparatus = await launchApparatus(dataDir, { MAX_BYTES_PER_SECOND: String(64 * 2 ** 20), MAX_MESSAGES_PER_SECOND: '10000' });
const reference = await launchReference();
let logRead = 0;
/** The compactions the Apparatus server logged since the last call: how many, and how long each took from start to write (ms). */
function compactionsSinceLastCall(): { count: number; ms_median: number | null; ms_max: number | null } {
  const output = apparatus.process.output();
  const fresh = output.slice(logRead);
  logRead = output.length;
  const ms = fresh
    .split('\n')
    .filter((line) => line.includes(' store.compacted '))
    .map((line) => Number(/(?:^| )ms=(\d+)/.exec(line)?.[1]))
    .filter((value) => Number.isFinite(value))
    .sort((a, b) => a - b);
  return { count: ms.length, ms_median: ms.length > 0 ? ms[Math.floor(ms.length / 2)]! : null, ms_max: ms.length > 0 ? ms[ms.length - 1]! : null };
}
try {
  const invites = await createBenchRoom(apparatus, ROOM, 'Growth');
  const [identity] = await createSessions(apparatus.url, ROOM, invites.annotator, 1);
  // The reference has no chapter: the writer seeds it once, as the first client would.
  const seedDoc = new Y.Doc();
  const seeder = await joinRoom(apparatus.wsBase, ROOM, identity!.token);
  Y.applyUpdate(seedDoc, Y.encodeStateAsUpdate(seeder.text));
  seeder.leave();
  const referenceSeed = await joinRoom(reference.wsBase, ROOM, null);
  Y.applyUpdate(referenceSeed.text, Y.encodeStateAsUpdate(seedDoc));
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const subjects = [await subjectFor(apparatus, identity!), await subjectFor(reference, { token: null, userId: identity!.userId, name: identity!.name })];
  referenceSeed.leave();
  const steps = [];
  for (const [index, size] of STEPS.entries()) {
    const order = index % 2 === 0 ? subjects : [...subjects].reverse();
    const step: Record<string, unknown> = { annotations: size };
    for (const subject of order) {
      const growMs = await subject.room.growTo(size, { batch: BATCH, inFlight: IN_FLIGHT });
      const window = await steadyWrites(subject);
      const compactions = subject.server.kind === 'apparatus' ? compactionsSinceLastCall() : null;
      const extra = compactions ? { store_bytes_per_annotation: Math.round(storedBytes(dataDir, `${ROOM}/annotations`) / subject.room.created), compactions } : {};
      step[subject.server.kind] = { grow_s: round(growMs / 1000, 1), ...window, ...extra };
      console.log(`  ${String(size).padStart(6)} ${subject.server.kind.padEnd(9)} cpu/update ${window.cpu_ms_per_update} ms, loop p99 ${window.loop_delay_ms.p99} max ${window.loop_delay_ms.max} ms, latency p99 ${window.latency_ms.p99} ms, rss ${window.rss_mib} MiB${compactions ? `, store ${'store_bytes_per_annotation' in extra ? extra.store_bytes_per_annotation : ''} B/annotation, ${compactions.count} compactions (max ${compactions.ms_max} ms)` : ''}`);
    }
    steps.push(step);
  }
  // A fresh client joins the grown room on each server (no size ceiling: the state comes in pieces).
  const freshJoin: Record<string, { ms: number; annotations: number; wire_bytes_per_annotation: number }> = {};
  for (const subject of subjects) {
    const fresh = await joinRoom(subject.server.wsBase, ROOM, subject.server.kind === 'apparatus' ? identity!.token : null, 120_000);
    const count = annotationsMap(fresh.annotations).size;
    freshJoin[subject.server.kind] = { ms: round(fresh.ms, 1), annotations: count, wire_bytes_per_annotation: Math.round(fresh.wireBytes.annotations / count) };
    fresh.leave();
    console.log(`  fresh join ${subject.server.kind}: ${freshJoin[subject.server.kind]!.ms} ms, ${count} annotations, ${freshJoin[subject.server.kind]!.wire_bytes_per_annotation} B/annotation read from its socket`);
  }
  const measured = subjects[0]!.room;
  const state = Y.encodeStateAsUpdate(measured.watcher.annotations);
  const last = steps[steps.length - 1] as Record<string, { cpu_ms_per_update: number; loop_delay_ms: { max: number } }>;
  const first = steps[0] as typeof last;
  writeResult(run, 1, {
    rate_per_s: RATE_PER_S,
    window_s: WINDOW_S,
    apparatus: {
      annotations: STEPS[STEPS.length - 1],
      cpu_ms_per_update_first: first.apparatus!.cpu_ms_per_update,
      cpu_ms_per_update_last: last.apparatus!.cpu_ms_per_update,
      loop_max_ms_worst: Math.max(...steps.map((s) => (s as typeof last).apparatus!.loop_delay_ms.max)),
      state_bytes_per_annotation: Math.round(state.length / measured.created),
      store_bytes_per_annotation: Math.round(storedBytes(dataDir, `${ROOM}/annotations`) / measured.created),
      fresh_join: freshJoin.apparatus,
      compaction_ms_max: Math.max(0, ...steps.map((s) => (s as { apparatus: { compactions: { ms_max: number | null } } }).apparatus.compactions.ms_max ?? 0)),
    },
    reference: {
      cpu_ms_per_update_first: first.reference!.cpu_ms_per_update,
      cpu_ms_per_update_last: last.reference!.cpu_ms_per_update,
      loop_max_ms_worst: Math.max(...steps.map((s) => (s as typeof last).reference!.loop_delay_ms.max)),
      fresh_join: freshJoin.reference,
    },
    steps,
    converged: subjects.every(({ room, server }) => room.seen() === room.created && freshJoin[server.kind]!.annotations === room.created),
  });
  for (const { room } of subjects) {
    room.writer.leave();
    room.watcher.leave();
  }
} finally {
  await apparatus.stop();
  await reference.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
