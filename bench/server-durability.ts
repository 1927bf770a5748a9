// Durability benchmark of the collaboration server. Run: node --import tsx bench/server-durability.ts
// Prints figures and writes bench/results/append-rate.json. Figures, not assertions.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { WebSocket } from 'ws';
import { compactDoc, createCollectingLogger, openDatabase, SqliteExecutor, startServer, UpdateStore } from '../server/index.ts';
import type { RunningServer, SynchronousLevel } from '../server/index.ts';
import { spawnServer } from '../tests/helpers/test-server.ts';
import { actorOf, annotationUpdates, floodUntilAcked } from './lib/flood.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const resultsFile = path.resolve(import.meta.dirname, 'results', 'append-rate.json');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const round = (x: number, digits = 0) => Number(x.toFixed(digits));

/** Phase 1: store-level appends, one transaction per update versus group commits of 100. */
async function measureStoreAppends(level: SynchronousLevel, updates: Uint8Array[]): Promise<{ single: number; grouped: number }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'apparatus-bench-'));
  const db = openDatabase(dir, level);
  // Appends go to the documents of an existing room only (a deleted room's would be refused).
  db.prepare("INSERT INTO rooms (id, title, created_at) VALUES ('bench', 'Bench', 0)").run();
  const store = new UpdateStore(new SqliteExecutor(db));
  const singles = updates.slice(0, level === 'FULL' ? 2000 : 10_000);
  let started = performance.now();
  for (const update of singles) await store.appendUpdates([{ docName: 'bench/annotations', update }]);
  const single = singles.length / ((performance.now() - started) / 1000);
  started = performance.now();
  for (let i = 0; i < updates.length; i += 100) {
    await store.appendUpdates(updates.slice(i, i + 100).map((update) => ({ docName: 'bench/annotations', update })));
  }
  const grouped = updates.length / ((performance.now() - started) / 1000);
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return { single: round(single), grouped: round(grouped) };
}

/**
 * Phase 2: end to end — the server runs as its own process (`server/main.ts`); a raw socket here
 * sends `updates` as fast as it can and waits for the MESSAGE_STORED ack covering all of them.
 */
async function measureEndToEnd(level: SynchronousLevel, count: number, created: number): Promise<number> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'apparatus-bench-'));
  // The flood measures the store, not the access layer's per-connection rate limit (100
  // messages/s by default), which would throttle it and then close it: raised for this server.
  const server = await spawnServer(dataDir, { SQLITE_SYNCHRONOUS: level, MAX_MESSAGES_PER_SECOND: '1000000', MAX_BYTES_PER_SECOND: String(1024 ** 3) });
  try {
    const updates = annotationUpdates(count, created, await actorOf(server.url, server.invites.owner));
    const ms = await floodUntilAcked(server.url, server.invites.owner, updates);
    return round(updates.length / (ms / 1000));
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}:\n${server.output().slice(-2000)}`);
  } finally {
    // Also when the flood fails: the spawned server must not outlive the benchmark.
    server.child.kill('SIGTERM');
    await server.exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Opens both documents of the default room over raw sockets; resolves when each has sent its first message. */
async function openRoom(server: RunningServer): Promise<{ ms: number; sockets: WebSocket[] }> {
  const started = performance.now();
  const sockets = ['text', 'annotations'].map(
    (kind) => new WebSocket(`${server.url.replace('http', 'ws')}/collab/chapter-5/${kind}?token=${server.defaultRoom?.invites.viewer}`),
  );
  await Promise.all(sockets.map((ws) => new Promise((resolve) => ws.once('message', resolve))));
  return { ms: performance.now() - started, sockets };
}

/** Starts an in-process server on `dataDir` that keeps idle documents loaded and never compacts on its own. */
function startQuiet(dataDir: string): Promise<RunningServer> {
  return startServer({ port: 0, dataDir, idleUnloadMs: 3_600_000, compactThreshold: 1_000_000, logger: createCollectingLogger() });
}

/** Median over 5 restarts of the time from opening both documents to their first messages. */
async function medianColdLoad(dataDir: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const server = await startQuiet(dataDir);
    const { ms, sockets } = await openRoom(server);
    times.push(ms);
    for (const ws of sockets) ws.close();
    await server.close();
  }
  return round(median(times), 1);
}

/** Heap held by the loaded room (both documents, awareness, bookkeeping), after full GCs; also times a live compaction. */
async function measureLoadedRoom(dataDir: string): Promise<{ roomMemoryMb: number; liveCompactionMs: number }> {
  const server = await startQuiet(dataDir);
  gc();
  const before = process.memoryUsage().heapUsed;
  const { sockets } = await openRoom(server);
  for (const ws of sockets) ws.close();
  await new Promise((resolve) => setTimeout(resolve, 200));
  gc();
  const roomMemoryMb = (process.memoryUsage().heapUsed - before) / 1024 / 1024;
  const live = [...server.collab.registry.docs()].find((doc) => doc.name === 'chapter-5/annotations');
  if (!live) throw new Error('annotations document not loaded');
  const started = performance.now();
  await server.collab.registry.compact(live);
  const liveCompactionMs = performance.now() - started;
  await server.close();
  return { roomMemoryMb: round(roomMemoryMb, 1), liveCompactionMs: round(liveCompactionMs, 1) };
}

/** Appends the annotations to the store's log again and times compaction by replay from the store. */
async function timeReplayCompaction(dataDir: string, annotations: Uint8Array[]): Promise<number> {
  const db = openDatabase(dataDir, 'NORMAL');
  const store = new UpdateStore(new SqliteExecutor(db));
  await store.appendUpdates(annotations.map((update) => ({ docName: 'chapter-5/annotations', update })));
  const started = performance.now();
  const result = await compactDoc(store, 'chapter-5/annotations');
  const ms = performance.now() - started;
  db.close();
  if (!result.ok) throw new Error(result.error);
  return round(ms, 1);
}

/**
 * Phase 3: cold load of the chapter room alone, then with 2,000 annotations as a log and as a
 * snapshot; memory of the loaded room; compaction cost, live and by replay.
 */
async function measureRoom(annotations: Uint8Array[]): Promise<Record<string, number>> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'apparatus-bench-'));
  const coldLoadChapterMs = await medianColdLoad(dataDir);
  const db = openDatabase(dataDir, 'NORMAL');
  await new UpdateStore(new SqliteExecutor(db)).appendUpdates(annotations.map((update) => ({ docName: 'chapter-5/annotations', update })));
  db.close();
  const coldLoadWithLogMs = await medianColdLoad(dataDir);
  const loaded = await measureLoadedRoom(dataDir);
  const replayCompactionMs = await timeReplayCompaction(dataDir, annotations);
  const coldLoadSnapshotMs = await medianColdLoad(dataDir);
  rmSync(dataDir, { recursive: true, force: true });
  return { coldLoadChapterMs, coldLoadWithLogMs, coldLoadSnapshotMs, ...loaded, replayCompactionMs };
}

async function main(): Promise<void> {
  const updates = annotationUpdates(20_000, 2000, { userId: 'u-0000000000000001', name: 'Reader 1' });
  const meanBytes = updates.reduce((sum, u) => sum + u.byteLength, 0) / updates.length;
  console.log(`updates: ${updates.length} (2,000 annotations created, then edits), mean ${round(meanBytes)} bytes`);
  const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, updateBytes: round(meanBytes) };
  for (const level of ['NORMAL', 'FULL'] as const) {
    const store = await measureStoreAppends(level, updates);
    const endToEnd = await measureEndToEnd(level, updates.length, 2000);
    results[level] = { storeSingleTransactionPerSec: store.single, storeGroupCommit100PerSec: store.grouped, endToEndAckedPerSec: endToEnd };
    console.log(`${level.padEnd(6)} store, 1 update/transaction: ${store.single}/s; store, 100/transaction: ${store.grouped}/s; end to end (socket → stored ack): ${endToEnd}/s`);
  }
  const room = await measureRoom(updates.slice(0, 2000));
  results.room = { annotations: 2000, ...room };
  console.log(`chapter room cold load ${room.coldLoadChapterMs} ms; with 2,000 annotations: ${room.coldLoadWithLogMs} ms from a 2,000-entry log, ${room.coldLoadSnapshotMs} ms from a snapshot; compaction ${room.liveCompactionMs} ms live, ${room.replayCompactionMs} ms by replay; memory ${room.roomMemoryMb} MB`);
  mkdirSync(path.dirname(resultsFile), { recursive: true });
  writeFileSync(resultsFile, JSON.stringify(results, null, 2) + '\n');
  console.log(`wrote ${path.relative(process.cwd(), resultsFile)}`);
}

await main();
