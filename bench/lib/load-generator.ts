// The load generator: a child process (spawned with IPC by a fanout scenario, pinned to the load
// core) that plays every client of one run against one server and reports what it measured.
// Protocol: `prepare` (connect and sync every client) → `ready`; `start` (the measured run,
// drain, measure, compare replicas) → `result`. `clock` answers with a shared-clock reading.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import * as Y from 'yjs';
import { importChapter } from '../../schema/chapter/importer.ts';
import type { Anchor } from '../../schema/annotations/model.ts';
import { encodeChapterSeed } from '../../server/rooms/chapter-seed.ts';
import { mulberry32 } from '../../tests/helpers/convergence-fuzz.ts';
import { anchorPool } from './annotation-stamps.ts';
import { compareReplicas } from './convergence.ts';
import { drainCrowd, joinCrowd, leaveCrowd, runCrowd } from './crowd.ts';
import type { Crowd } from './crowd.ts';
import type { CoordinatorMessage, CrowdConfig, CrowdResult, LoadGeneratorMessage } from './crowd-plan.ts';
import { PROJECT_ROOT } from './machine-info.ts';
import { documentUrl, RawDocumentPeer } from './raw-peers.ts';
import { round } from './stats.ts';
import { sharedClockMs } from './shared-clock.ts';

interface Prepared {
  config: CrowdConfig;
  crowd: Crowd;
  anchors: Anchor[];
  random: () => number;
}

let prepared: Prepared | null = null;

function reply(message: LoadGeneratorMessage): void {
  process.send?.(message);
}

/** The fixture chapter as the server seeds it (the reference server starts with nothing). */
function chapterSeed(): Uint8Array {
  const imported = importChapter(readFileSync(path.join(PROJECT_ROOT, 'fixtures/chapter-5.txt'), 'utf8'));
  if (!imported.ok) throw new Error(imported.error);
  return encodeChapterSeed(imported.doc);
}

/** A fresh replica of one of the room's documents, synced from the server over a raw socket. */
async function syncedReplica(config: CrowdConfig, kind: 'text' | 'annotations'): Promise<RawDocumentPeer> {
  const peer = new RawDocumentPeer(documentUrl(config.wsBase, config.room, kind, config.identities[0]!, false), config.identities[0]!);
  await peer.synced();
  return peer;
}

/** Reads the chapter (seeding it first on the reference server) and chooses the anchors clients will annotate. */
async function prepare(config: CrowdConfig): Promise<void> {
  const random = mulberry32(config.seed);
  const text = await syncedReplica(config, 'text');
  if (config.seedText) Y.applyUpdate(text.ydoc, chapterSeed(), 'bench-seed');
  const anchors = anchorPool(text.ydoc, 400, random);
  // The seed reached the server before this close frame: one socket, in order.
  text.close();
  const crowd = await joinCrowd(config, random);
  prepared = { config, crowd, anchors, random };
  reply({ type: 'ready', clients: config.identities.length });
}

/** Counts (client, annotation) pairs that never arrived and (client, other client) pairs whose last cursor never did. */
function countLosses(crowd: Crowd): { lostAnnotations: number; stalePresence: number } {
  let lostAnnotations = 0;
  const holdings = [...crowd.raw.map((peer) => peer.measure(crowd.latency.annotations)), ...crowd.stock.map((peer) => peer.ids())];
  for (const ids of holdings) for (const id of crowd.createdIds) if (!ids.has(id)) lostAnnotations++;
  let stalePresence = 0;
  for (const peer of crowd.presence) {
    for (const [clientId, finalClock] of crowd.ledger.finalClock) {
      if (clientId !== peer.clientId && peer.lastClockSeen.get(clientId) !== finalClock) stalePresence++;
    }
  }
  return { lostAnnotations, stalePresence };
}

/** The measured run, then the drain, the losses, and the comparison of sampled replicas with the server's. */
async function start(): Promise<CrowdResult> {
  if (!prepared) throw new Error('start before prepare');
  const { config, crowd, anchors, random } = prepared;
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const gcPauses = { maxMs: 0, totalMs: 0 };
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcPauses.maxMs = Math.max(gcPauses.maxMs, entry.duration);
      gcPauses.totalMs += entry.duration;
    }
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  await runCrowd(crowd, config, anchors, random);
  const acks = config.acks && config.serverKind === 'apparatus';
  const drainMs = await drainCrowd(crowd, acks);
  const cpu = process.cpuUsage(cpuBefore);
  const cpuShare = round((cpu.user + cpu.system) / 1000 / (performance.now() - wallBefore), 3);
  loop.disable();
  gcObserver.disconnect();
  const loopDelayMaxMs = round(Math.max(0, loop.max / 1e6 - 10));
  const rssMiB = round(process.memoryUsage().rss / 2 ** 20, 1);
  const losses = countLosses(crowd);
  const sampled = crowd.raw.slice(0, config.sampledReplicas);
  for (const peer of sampled) peer.applyReceived();
  const server = await syncedReplica(config, 'annotations');
  const convergence = compareReplicas(server.ydoc, [...sampled.map((p) => p.ydoc), ...crowd.stock.map((p) => p.ydoc)], crowd.createdIds);
  server.close();
  const denied = [...crowd.raw, ...crowd.stock, ...crowd.presence].flatMap((peer) => peer.deniedReasons);
  const writers = [...crowd.raw, ...crowd.stock];
  return {
    annotationLatency: crowd.latency.annotations.summary(),
    stockLatency: crowd.latency.stock.summary(),
    presenceLatency: crowd.latency.presence.summary(),
    created: crowd.createdIds.size,
    ...losses,
    presenceSent: crowd.ledger.sentAt.size,
    deniedCount: denied.length,
    deniedReasons: [...new Set(denied)].slice(0, 5),
    unacknowledged: acks ? writers.filter((peer) => !peer.acknowledged()).length : 0,
    convergence,
    loadGenerator: { cpuShare, loopDelayP99Ms: round(Math.max(0, loop.percentile(99) / 1e6 - 10)), loopDelayMaxMs, gcPauseMaxMs: round(gcPauses.maxMs), gcPauseTotalMs: round(gcPauses.totalMs), rssMiB, drainMs },
  };
}

async function handle(message: CoordinatorMessage): Promise<void> {
  if (message.type === 'clock') return reply({ type: 'clock', ms: sharedClockMs() });
  if (message.type === 'prepare') return prepare(message.config);
  const result = await start();
  reply({ type: 'result', result });
  if (prepared) leaveCrowd(prepared.crowd);
  setTimeout(() => process.exit(0), 200);
}

// The coordinator is gone: nobody will read the result.
process.on('disconnect', () => process.exit(1));

process.on('message', (message: CoordinatorMessage) => {
  handle(message).catch((error: unknown) => {
    reply({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    setTimeout(() => process.exit(1), 200);
  });
});
