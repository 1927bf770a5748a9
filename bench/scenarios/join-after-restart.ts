// join-after-restart: the first join of a room after the server restarted, as a user meets it,
// at 2,000 and 20,000 annotations. The room is grown through the server by a client (batches,
// then single-annotation updates, so the store holds what live use leaves: snapshots from
// automatic compactions and a log after the last one); before each restart the client adds
// another 200 single-annotation updates; the server is stopped with SIGTERM (its own shutdown),
// started again, and a reader joins with two stock providers (chapter and annotations), timed
// from creating them to both synced. Also per restart: the bytes the store holds for the
// annotation document per annotation (snapshot, compressed, and log) after the stop, and the
// bytes the joining annotation socket read per annotation until synced (permessage-deflate). The
// reference server has no disk: the same room held in its memory is joined as a floor. Writes
// bench/results/join-after-restart.json.
//   node --import tsx bench/scenarios/join-after-restart.ts [--quick] [--repetitions N]
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
import { anonymousIdentities, createBenchRoom, createSessions } from '../lib/room-sessions.ts';
import type { BenchIdentity } from '../lib/room-sessions.ts';
import { RoomWriter } from '../lib/room-writer.ts';
import { scenarioOptions } from '../lib/scenario-options.ts';
import { storedBytes } from '../lib/stored-bytes.ts';
import { round, spreadOf, summarize } from '../lib/stats.ts';

const ROOM = 'restart';
const SIZES = [2000, 20000];
/** Single-annotation updates at the end of the growth and before each restart: the log live use leaves. */
const TAIL = 200;
const options = scenarioOptions();
const run = beginScenario('join-after-restart', options.quick);
const restarts = options.repetitions ?? (options.quick ? 3 : 7);

/** Adds `count` annotations one update each, waiting for each to be relayed before the next. */
async function singleUpdates(room: RoomWriter, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await room.growTo(room.created + 1, { batch: 1, inFlight: 1 });
}

/** Joins a room with a writer and a watcher (both synced). */
async function writerFor(server: ApparatusServer, identity: BenchIdentity): Promise<RoomWriter> {
  return new RoomWriter(await joinRoom(server.wsBase, ROOM, identity.token, 120_000), await joinRoom(server.wsBase, ROOM, identity.token, 120_000), identity);
}

function leave(room: RoomWriter): void {
  room.writer.leave();
  room.watcher.leave();
}

/** One size: grow the room, then `restarts` times add a tail, SIGTERM, start, and time the first join. */
async function measureSize(size: number) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'apparatus-restart-'));
  let server = await launchApparatus(dataDir);
  try {
    const invites = await createBenchRoom(server, ROOM, 'Restart');
    const [identity] = await createSessions(server.url, ROOM, invites.annotator, 1);
    let room = await writerFor(server, identity!);
    const growMs = await room.growTo(size - TAIL);
    await singleUpdates(room, TAIL);
    const joins: number[] = [];
    const wirePerAnnotation: number[] = [];
    const storePerAnnotation: number[] = [];
    let converged = true;
    let finalState: { text: Uint8Array; annotations: Uint8Array } | null = null;
    for (let r = 0; r < restarts; r++) {
      if (r > 0) {
        room = await writerFor(server, identity!);
        await singleUpdates(room, TAIL);
      }
      const expected = { count: room.created, vector: Y.encodeStateVector(room.watcher.annotations) };
      leave(room);
      await server.stop();
      storePerAnnotation.push(storedBytes(dataDir, `${ROOM}/annotations`) / expected.count);
      server = await launchApparatus(dataDir);
      const joined = await joinRoom(server.wsBase, ROOM, identity!.token, 120_000);
      joins.push(joined.ms);
      wirePerAnnotation.push(joined.wireBytes.annotations / expected.count);
      converged &&= annotationsMap(joined.annotations).size === expected.count && sameBytes(Y.encodeStateVector(joined.annotations), expected.vector);
      finalState = { text: Y.encodeStateAsUpdate(joined.text), annotations: Y.encodeStateAsUpdate(joined.annotations) };
      console.log(`  ${size}: restart ${r + 1}: first join ${round(joined.ms, 1)} ms (${annotationsMap(joined.annotations).size} annotations; stored ${round(storePerAnnotation.at(-1)!, 1)} B, read ${round(wirePerAnnotation.at(-1)!, 1)} B per annotation)`);
      joined.leave();
    }
    return { growMs, joins, wirePerAnnotation, storePerAnnotation, converged, finalState: finalState!, count: size + (restarts - 1) * TAIL };
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The same room held in memory by the reference server (pushed by a client), joined `joins` times. */
async function measureReference(state: { text: Uint8Array; annotations: Uint8Array }, joins: number): Promise<number[]> {
  const server = await launchReference();
  try {
    const [identity] = anonymousIdentities(1);
    for (const [kind, update] of [['text', state.text], ['annotations', state.annotations]] as const) {
      const pusher = new RawDocumentPeer(`${server.wsBase}/${ROOM}/${kind}`, identity!);
      await pusher.synced();
      Y.applyUpdate(pusher.ydoc, update, 'bench-seed');
      await new Promise((resolve) => setTimeout(resolve, 500));
      pusher.close();
    }
    const times: number[] = [];
    for (let j = 0; j < joins; j++) {
      const joined = await joinRoom(server.wsBase, ROOM, null, 120_000);
      times.push(joined.ms);
      joined.leave();
    }
    return times;
  } finally {
    await server.stop();
  }
}

const sizes: Record<string, unknown> = {};
const apparatus: Record<string, number> = {};
const reference: Record<string, number> = {};
let converged = true;
for (const size of SIZES) {
  const measured = await measureSize(size);
  const referenceJoins = await measureReference(measured.finalState, restarts);
  const joins = spreadOf(measured.joins.map((t) => round(t, 1)));
  const floor = spreadOf(referenceJoins.map((t) => round(t, 1)));
  console.log(`  ${size}: first join after a restart median ${joins.median} ms (${joins.min}–${joins.max}); reference (in memory) median ${floor.median} ms`);
  apparatus[`ms_${size}`] = joins.median;
  apparatus[`wire_bytes_per_annotation_${size}`] = round(spreadOf(measured.wirePerAnnotation).median, 1);
  apparatus[`store_bytes_per_annotation_${size}`] = round(spreadOf(measured.storePerAnnotation).median, 1);
  reference[`ms_${size}`] = floor.median;
  converged &&= measured.converged;
  sizes[size] = { grow_s: round(measured.growMs / 1000, 1), annotations_at_last_join: measured.count, first_join_ms: joins, joins: summarize(measured.joins), reference_ms: floor };
}
writeResult(run, restarts, { tail_updates: TAIL, apparatus, reference, sizes, converged });
