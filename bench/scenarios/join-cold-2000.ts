// join-cold-2000: time from opening both documents to synced, for a room with 2,000 annotations
// that is not in memory: unloaded after the last reader left (IDLE_UNLOAD_MS=0) on a running
// server (the headline), and the first join after a restart (a fresh process, reported beside
// it); and the memory the loaded room takes above an empty server. The reference
// server has no disk: it is timed with the same room held in memory, as a floor.
// Writes bench/results/join-cold-2000.json.
//   node --import tsx bench/scenarios/join-cold-2000.ts [--quick] [--repetitions N]
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { annotationsMap } from '../../schema/annotations/layout.ts';
import { launchApparatus, launchReference } from '../lib/bench-servers.ts';
import type { ApparatusServer } from '../lib/bench-servers.ts';
import { sameBytes } from '../lib/convergence.ts';
import { RawDocumentPeer } from '../lib/raw-peers.ts';
import { beginScenario, writeResult } from '../lib/result-writer.ts';
import { joinRoom } from '../lib/room-join.ts';
import { anonymousIdentities, createSessions } from '../lib/room-sessions.ts';
import { readStoredRoom, seedAnnotations } from '../lib/room-seeding.ts';
import type { SeededAnnotations } from '../lib/room-seeding.ts';
import { chapterText } from '../lib/chapter-fixture.ts';
import type { ProbeReply } from '../lib/probe-messages.ts';
import { scenarioOptions } from '../lib/scenario-options.ts';
import { round, spreadOf, summarize } from '../lib/stats.ts';

const ROOM = 'chapter-5';
/** A second room with the same content, for the memory a room adds once the process's pools have grown. */
const SECOND_ROOM = 'bench-second';
const ANNOTATIONS = 2000;
const MB = 1024 * 1024;
const options = scenarioOptions();
const run = beginScenario('join-cold-2000', options.quick);
const processes = options.repetitions ?? (options.quick ? 3 : 5);
const joinsPerProcess = options.quick ? 8 : 12;

/** Waits until the server has unloaded every document (`/healthz` loadedDocs 0). */
async function whenUnloaded(url: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const health = (await (await fetch(`${url}/healthz`)).json()) as { loadedDocs: number };
    if (health.loadedDocs === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the room was not unloaded within 5 s');
}

/** One join: its time, and whether the reader's replica equals the seeded room. */
async function timedJoin(wsBase: string, token: string | null, seeded: SeededAnnotations): Promise<{ ms: number; converged: boolean; leave: () => void }> {
  const joined = await joinRoom(wsBase, ROOM, token);
  const converged = annotationsMap(joined.annotations).size === seeded.count && sameBytes(Y.encodeStateVector(joined.annotations), seeded.stateVector);
  return { ms: joined.ms, converged, leave: joined.leave };
}

/** Memory a loaded room adds (MB): live heap (JS heap and external buffers, after GC) and RSS, for the first room and for a second one. */
interface RoomMemory {
  heapMb: number;
  rssMb: number;
  secondRoomRssMb: number;
}

function heapBytes(probe: ProbeReply): number {
  return probe.memory.heapUsed + probe.memory.external;
}

/**
 * Memory of one loaded room above the empty server (after GC): the first room also grows the
 * process's allocator pools, so the RSS a second, identical room adds is measured as well.
 */
async function measureMemory(server: ApparatusServer, empty: ProbeReply, firstLoaded: ProbeReply, secondToken: string, seeded: SeededAnnotations): Promise<RoomMemory> {
  const second = await joinRoom(server.wsBase, SECOND_ROOM, secondToken);
  const bothLoaded = await server.probe({ gc: true });
  second.leave();
  if (annotationsMap(second.annotations).size !== seeded.count) throw new Error(`the second room has ${annotationsMap(second.annotations).size} annotations`);
  return {
    heapMb: (heapBytes(firstLoaded) - heapBytes(empty)) / MB,
    rssMb: (firstLoaded.memory.rss - empty.memory.rss) / MB,
    secondRoomRssMb: (bothLoaded.memory.rss - firstLoaded.memory.rss) / MB,
  };
}

/** One fresh server process: a first join (cold process), then joins of the unloaded room; memory after the first. */
async function measureProcess(dataDir: string, seeded: SeededAnnotations, secondInvite: string): Promise<{ times: number[]; converged: boolean; memory: RoomMemory }> {
  const server: ApparatusServer = await launchApparatus(dataDir, { IDLE_UNLOAD_MS: '0' });
  try {
    const [reader] = await createSessions(server.url, ROOM, server.invites.annotator, 1);
    const [secondReader] = await createSessions(server.url, SECOND_ROOM, secondInvite, 1);
    const empty = await server.probe({ gc: true, reset: true });
    const times: number[] = [];
    let converged = true;
    let memory: RoomMemory | null = null;
    for (let j = 0; j < joinsPerProcess; j++) {
      const join = await timedJoin(server.wsBase, reader!.token, seeded);
      times.push(join.ms);
      converged &&= join.converged;
      if (j === 0) memory = await measureMemory(server, empty, await server.probe({ gc: true }), secondReader!.token!, seeded);
      join.leave();
      await whenUnloaded(server.url);
    }
    return { times, converged, memory: memory! };
  } finally {
    await server.stop();
  }
}

/** Creates the second room (for the memory figure) through the API; returns its annotator invite. */
async function createSecondRoom(server: ApparatusServer): Promise<string> {
  const response = await fetch(`${server.url}/api/rooms`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ id: SECOND_ROOM, title: 'Second room', text: chapterText() }),
  });
  if (response.status !== 201) throw new Error(`creating ${SECOND_ROOM}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { invites: { annotator: string } }).invites.annotator;
}

/** The same room held in memory by the reference server (pushed by a client), joined repeatedly. */
async function measureReference(dataDir: string, seeded: SeededAnnotations, joins: number): Promise<{ times: number[]; converged: boolean }> {
  const server = await launchReference();
  try {
    const stored = await readStoredRoom(dataDir, ROOM);
    const [identity] = anonymousIdentities(1);
    for (const [kind, doc] of [['text', stored.text], ['annotations', stored.annotations]] as const) {
      const pusher = new RawDocumentPeer(`${server.wsBase}/${ROOM}/${kind}`, identity!);
      await pusher.synced();
      Y.applyUpdate(pusher.ydoc, Y.encodeStateAsUpdate(doc), 'bench-seed');
      await new Promise((resolve) => setTimeout(resolve, 200));
      pusher.close();
    }
    const times: number[] = [];
    let converged = true;
    for (let j = 0; j < joins; j++) {
      const join = await timedJoin(server.wsBase, null, seeded);
      times.push(join.ms);
      converged &&= join.converged;
      join.leave();
    }
    return { times, converged };
  } finally {
    await server.stop();
  }
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'apparatus-bench-'));
try {
  const first = await launchApparatus(dataDir);
  const secondInvite = await createSecondRoom(first);
  await first.stop();
  const seeded = await seedAnnotations(dataDir, ROOM, ANNOTATIONS);
  await seedAnnotations(dataDir, SECOND_ROOM, ANNOTATIONS);
  console.log(`join-cold-2000: ${seeded.count} annotations stored as a snapshot; ${processes} server processes × ${joinsPerProcess} cold joins`);
  const perProcess = [];
  for (let p = 0; p < processes; p++) {
    const measured = await measureProcess(dataDir, seeded, secondInvite);
    const { heapMb, rssMb, secondRoomRssMb } = measured.memory;
    console.log(`  process ${p + 1}: joins ${measured.times.map((t) => round(t, 1)).join(', ')} ms; room memory +${round(heapMb, 1)} MB heap, +${round(rssMb, 1)} MB RSS (a second room +${round(secondRoomRssMb, 1)} MB RSS)`);
    perProcess.push(measured);
  }
  // The headline is the common case, a room nobody is in on a server that has been running: every
  // join but the first of each process. The first one also pays the fresh process's warm-up
  // (module loading, JIT) and is reported beside it.
  const times = perProcess.flatMap((m) => m.times.slice(1));
  const firstJoins = perProcess.map((m) => m.times[0]!);
  const reference = await measureReference(dataDir, seeded, times.length);
  const apparatusSummary = summarize(times);
  const referenceSummary = summarize(reference.times);
  console.log(`  apparatus (room unloaded, server running) p50 ${apparatusSummary.p50} ms, p95 ${apparatusSummary.p95} ms; first join after a restart ${spreadOf(firstJoins).median} ms; reference (in memory) p50 ${referenceSummary.p50} ms, p95 ${referenceSummary.p95} ms`);
  writeResult(run, processes, {
    annotations: seeded.count,
    apparatus: {
      p50_ms: apparatusSummary.p50,
      p95_ms: apparatusSummary.p95,
      after_restart_ms: spreadOf(firstJoins),
      memory_mb: {
        heap: spreadOf(perProcess.map((m) => m.memory.heapMb)).median,
        rss: spreadOf(perProcess.map((m) => m.memory.rssMb)).median,
        rss_second_room: spreadOf(perProcess.map((m) => m.memory.secondRoomRssMb)).median,
      },
      joins: apparatusSummary,
    },
    reference: { p50_ms: referenceSummary.p50, p95_ms: referenceSummary.p95, note: 'room held in memory (the reference has no disk)', joins: referenceSummary },
    converged: perProcess.every((m) => m.converged) && reference.converged,
    joins_per_process: joinsPerProcess,
    runs: perProcess.map((m) => ({ times: m.times.map((t) => round(t)), heap_mb: round(m.memory.heapMb), rss_mb: round(m.memory.rssMb), rss_second_room_mb: round(m.memory.secondRoomRssMb) })),
  });
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
