import Database from 'better-sqlite3';
import * as decoding from 'lib0/decoding';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { annotationsMap, COLLAB_CLOSE, MESSAGE_STORED, MESSAGE_SYNC } from '../../schema/index.ts';
import { compactDoc, DATABASE_FILE, openDatabase, snapshotIntact, SqliteExecutor, UpdateStore } from '../../server/index.ts';
import { annotateAs, inviteUserId, seedRoom } from '../helpers/access-builders.ts';
import { startTestServer } from '../helpers/test-server.ts';
import type { TestServer } from '../helpers/test-server.ts';
import { connectClient, openRawSocket, waitFor } from '../helpers/yws-client.ts';

// A cold room's annotation document stored as one intact snapshot is sent to a fresh replica as
// it is stored, while the server decodes it (RELIABILITY 4 holds: the whole stored state, or
// nothing); corrupt bytes are refused as before, with nothing sent.
const ROOM = 'chapter-5';
const DOC = `${ROOM}/annotations`;
/** Sync step 1 with an empty state vector: what a stock client with no copy sends first. */
const FRESH_STEP1 = new Uint8Array([MESSAGE_SYNC, 0, 1, 0]);
const author = { userId: 'u-seed', name: 'Seeder' };

/** A stopped server's data directory whose room holds `count` annotations, compacted into one snapshot. */
async function roomStoredAsSnapshot(count: number): Promise<string> {
  const seeding = await startTestServer();
  await seedRoom(seeding, ROOM, (annotations) => {
    for (let i = 0; i < count; i++) annotateAs(annotations, author, { note: `note ${i}` });
  });
  await seeding.stop({ keepData: true });
  const db = openDatabase(seeding.dataDir, 'NORMAL');
  try {
    const compacted = await compactDoc(new UpdateStore(new SqliteExecutor(db)), DOC);
    if (!compacted.ok) throw new Error(compacted.error);
  } finally {
    db.close();
  }
  return seeding.dataDir;
}

async function storedSnapshot(dataDir: string): Promise<Uint8Array> {
  const db = openDatabase(dataDir, 'NORMAL');
  try {
    return new Uint8Array((await new UpdateStore(new SqliteExecutor(db)).loadDoc(DOC)).snapshot!);
  } finally {
    db.close();
  }
}

/** A received frame read as a sync message: its sub-type and payload; null for other messages. */
function syncPart(frame: Uint8Array): { subtype: number; payload: Uint8Array } | null {
  const decoder = decoding.createDecoder(frame);
  if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return null;
  return { subtype: decoding.readVarUint(decoder), payload: decoding.readVarUint8Array(decoder) };
}

describe('a cold annotation room stored as one snapshot', () => {
  const servers: TestServer[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.stop();
  });

  it('sends a fresh replica the stored snapshot before the server has loaded it, then greets it and answers its step 1 with nothing more', async () => {
    const dataDir = await roomStoredAsSnapshot(30);
    const snapshot = await storedSnapshot(dataDir);
    const server = await startTestServer({ dataDir });
    servers.push(server);
    const raw = await openRawSocket(server.url, `/collab/${DOC}?token=${server.invites.viewer}&acks=1`);
    raw.ws.send(FRESH_STEP1);
    const sync = () => raw.received.map(syncPart).filter((part) => part !== null);
    await waitFor(() => sync().length >= 3, 'the stored state, the greeting and the answer');

    const [early, greeting, answer] = sync();
    // The stored state comes first: the greeting (the server's step 1) waits for the load.
    expect(early).toEqual({ subtype: 1, payload: snapshot });
    expect(greeting?.subtype).toBe(0);
    expect(answer?.subtype).toBe(1);
    const rest = Y.decodeUpdate(answer!.payload);
    expect(rest.structs).toHaveLength(0);
    const replica = new Y.Doc();
    Y.applyUpdate(replica, early!.payload);
    expect(annotationsMap(replica).size).toBe(30);
    await waitFor(() => raw.received.some((frame) => frame[0] === MESSAGE_STORED), 'the acknowledgement of what is stored');
    raw.ws.close();
  });

  it('syncs a stock client that then writes and is acknowledged', async () => {
    const server = await startTestServer({ dataDir: await roomStoredAsSnapshot(10) });
    servers.push(server);
    const client = connectClient({ url: server.url, room: ROOM, kind: 'annotations', token: server.invites.annotator });
    try {
      await client.synced();
      expect(annotationsMap(client.ydoc).size).toBe(10);
      const userId = inviteUserId(server.invites.annotator);
      annotateAs(client.ydoc, { userId, name: `Annotator ${userId.slice(-4)}` });
      await client.stored();
      expect(client.deniedReasons).toEqual([]);
    } finally {
      client.destroy();
    }
  });

  it('refuses the room with 1011, sending nothing, when the snapshot no longer matches its digest', async () => {
    const dataDir = await roomStoredAsSnapshot(5);
    const db = new Database(path.join(dataDir, DATABASE_FILE));
    db.prepare("UPDATE doc_snapshots SET snapshot = x'ffffffff0102' WHERE doc = ?").run(DOC);
    db.close();
    const server = await startTestServer({ dataDir });
    servers.push(server);
    const raw = await openRawSocket(server.url, `/collab/${DOC}?token=${server.invites.viewer}`);
    raw.ws.send(FRESH_STEP1);
    expect((await raw.closed).code).toBe(COLLAB_CLOSE.loadFailed);
    expect(raw.received).toEqual([]);
  });

  it('answers from the loaded document, as before, when updates were logged after the snapshot', async () => {
    const dataDir = await roomStoredAsSnapshot(5);
    // Stopped as a crash would leave it: the update stays in the log after the snapshot.
    const seeding = await startTestServer({ dataDir, foldLogsOnShutdown: false });
    await seedRoom(seeding, ROOM, (annotations) => void annotateAs(annotations, author, { note: 'logged after the snapshot' }));
    await seeding.stop({ keepData: true });
    const server = await startTestServer({ dataDir });
    servers.push(server);
    const raw = await openRawSocket(server.url, `/collab/${DOC}?token=${server.invites.viewer}`);
    raw.ws.send(FRESH_STEP1);
    await waitFor(() => raw.received.filter((frame) => syncPart(frame) !== null).length >= 2, 'the greeting and the answer');
    const [greeting, answer] = raw.received.map(syncPart).filter((part) => part !== null);
    expect(greeting?.subtype).toBe(0);
    const replica = new Y.Doc();
    Y.applyUpdate(replica, answer!.payload);
    expect(annotationsMap(replica).size).toBe(6);
    raw.ws.close();
  });
});

describe('an annotation room leaving memory', () => {
  it('has its log folded into its snapshot, so that the next fresh replica is sent the stored state before the load', async () => {
    const server = await startTestServer({ idleUnloadMs: 0 });
    try {
      const writer = connectClient({ url: server.url, room: ROOM, kind: 'annotations', token: server.invites.annotator });
      await writer.synced();
      const userId = inviteUserId(server.invites.annotator);
      annotateAs(writer.ydoc, { userId, name: `Annotator ${userId.slice(-4)}` }, { note: 'logged, then folded' });
      await writer.stored();
      writer.destroy();
      await waitFor(() => server.log.entries.some((e) => e.event === 'store.compacted' && e.fields.docName === DOC), 'the log to be folded on unload');
      const db = openDatabase(server.dataDir, 'NORMAL');
      try {
        expect((await new UpdateStore(new SqliteExecutor(db)).loadDoc(DOC)).updates).toHaveLength(0);
      } finally {
        db.close();
      }

      const raw = await openRawSocket(server.url, `/collab/${DOC}?token=${server.invites.viewer}`);
      raw.ws.send(FRESH_STEP1);
      await waitFor(() => raw.received.some((frame) => syncPart(frame) !== null), 'the first sync message');
      const first = raw.received.map(syncPart).find((part) => part !== null)!;
      expect(first.subtype).toBe(1);
      const replica = new Y.Doc();
      Y.applyUpdate(replica, first.payload);
      expect([...annotationsMap(replica).values()].map((entry) => entry.get('note'))).toEqual(['logged, then folded']);
      raw.ws.close();
    } finally {
      await server.stop();
    }
  });
});

describe('snapshot digests', () => {
  it('records the digest of every snapshot written and tells changed bytes, or a missing digest, from intact ones', async () => {
    const dataDir = await roomStoredAsSnapshot(3);
    const db = openDatabase(dataDir, 'NORMAL');
    try {
      const store = new UpdateStore(new SqliteExecutor(db));
      expect(snapshotIntact(await store.loadDoc(DOC))).toBe(true);
      expect(snapshotIntact(await store.loadDoc(`${ROOM}/text`))).toBe(true);
      db.prepare("UPDATE doc_snapshots SET snapshot = snapshot || x'00' WHERE doc = ?").run(DOC);
      expect(snapshotIntact(await store.loadDoc(DOC))).toBe(false);
      db.prepare('UPDATE doc_snapshots SET snapshot_sha256 = NULL WHERE doc = ?').run(`${ROOM}/text`);
      expect(snapshotIntact(await store.loadDoc(`${ROOM}/text`))).toBe(false);
    } finally {
      db.close();
    }
  });
});
