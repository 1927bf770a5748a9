import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { annotationsMap } from '../../schema/index.ts';
import { defaultAuthorizeUpdate, openDatabase, UpdateStore } from '../../server/index.ts';
import { SqliteExecutor } from '../../server/persistence/sql/sqlite-executor.ts';
import { annotateAs, seedRoom } from '../helpers/access-builders.ts';
import { readStoredDoc, startTestServer } from '../helpers/test-server.ts';
import type { TestServer } from '../helpers/test-server.ts';
import { connectClient, waitFor } from '../helpers/yws-client.ts';
import type { TestClient } from '../helpers/yws-client.ts';

// Compaction takes a live room's state in pieces, one a turn, assembles and checks the snapshot in
// a worker, and folds a log only once it holds a quarter of the snapshot's size
// (server/collab/doc-registry.ts). Whatever arrives while the pieces are taken is kept: the store
// must replay to exactly the live state.
const ROOM = 'chapter-5';
const DOC = `${ROOM}/annotations`;
const author = { userId: 'u-seed', name: 'Seeder' };

describe('compaction of a large room', () => {
  const servers: TestServer[] = [];
  const clients: TestClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    for (const server of servers.splice(0)) await server.stop();
  });

  const compactions = (server: TestServer) => server.log.entries.filter((e) => e.event === 'store.compacted');

  /** A server whose room holds `count` annotations (~1.3 MB: more than one compaction piece) as one log entry. */
  async function largeRoom(count = 5000): Promise<{ server: TestServer; writer: TestClient }> {
    const server = await startTestServer({ authorizeUpdate: defaultAuthorizeUpdate, compactThreshold: 50 });
    servers.push(server);
    await seedRoom(server, ROOM, (annotations) => {
      for (let i = 0; i < count; i++) annotateAs(annotations, author, { note: `note ${i} `.repeat(8) });
    });
    const writer = connectClient({ url: server.url, room: ROOM, kind: 'annotations', token: server.invites.owner });
    clients.push(writer);
    await writer.synced();
    return { server, writer };
  }

  it('keeps every update that arrives while the pieces are taken, and the store replays to the live state', async () => {
    const { server, writer } = await largeRoom();
    let n = 0;
    // Writes keep coming, one small update a few milliseconds apart, through and after the compaction.
    const writing = setInterval(() => writer.ydoc.transact(() => writer.ydoc.getMap('annotations').set(`late-${n++}`, n), 'test'), 3);
    try {
      await waitFor(() => compactions(server).length > 0, 'a compaction', 30_000);
      await waitFor(() => n > (compactions(server).length > 0 ? 80 : 0), 'writes after it');
    } finally {
      clearInterval(writing);
    }
    await writer.stored(10_000);
    const [report] = compactions(server);
    expect(report!.fields).toMatchObject({ docName: DOC, offLoop: true });
    expect(report!.fields.pieces).toBeGreaterThan(1);
    const live = server.collab.registry.open(ROOM, 'annotations').ydoc;
    const vector = Y.encodeStateVector(live);
    await server.stop({ keepData: true });
    servers.length = 0;
    const stored = await readStoredDoc(server.dataDir, DOC);
    expect(Y.encodeStateVector(stored)).toEqual(vector);
    expect(annotationsMap(stored).size).toBe(5000 + n);
  });

  it('folds a log only once it holds a quarter of the snapshot’s size', async () => {
    const { server, writer } = await largeRoom();
    const doc = server.collab.registry.open(ROOM, 'annotations');
    // The seeded log (one entry of ~1.3 MB) is due at once: folded when the room loads.
    await waitFor(() => compactions(server).length > 0 && doc.logLength === 0, 'the compaction of the seeded log', 30_000);
    expect(doc.snapshotBytes).toBeGreaterThan(1_000_000);
    const before = compactions(server).length;
    const write = async (count: number, size: number) => {
      for (let i = 0; i < count; i++) writer.ydoc.transact(() => writer.ydoc.getMap('annotations').set(`w-${size}-${i}`, 'x'.repeat(size)), 'test');
      await writer.stored(10_000);
    };
    // Far over the entry threshold (50), far under a quarter of the snapshot: no compaction.
    await write(200, 100);
    expect(doc.logLength).toBeGreaterThanOrEqual(200);
    expect(compactions(server).length).toBe(before);
    // Past a quarter of the snapshot: folded.
    await write(20, Math.ceil(doc.snapshotBytes / 60));
    await waitFor(() => compactions(server).length > before, 'the compaction', 30_000);
    await waitFor(() => doc.logLength < 20, 'the log to be folded');
  });

  it('folds a room’s log on shutdown, so the next load reads one snapshot', async () => {
    const server = await startTestServer({ authorizeUpdate: defaultAuthorizeUpdate });
    servers.push(server);
    const writer = connectClient({ url: server.url, room: ROOM, kind: 'annotations', token: server.invites.owner });
    clients.push(writer);
    await writer.synced();
    for (let i = 0; i < 30; i++) writer.ydoc.transact(() => writer.ydoc.getMap('annotations').set(`n-${i}`, i), 'test');
    await writer.stored();
    const vector = Y.encodeStateVector(writer.ydoc);
    expect(compactions(server)).toEqual([]);
    writer.destroy();
    clients.length = 0;
    await server.stop({ keepData: true });
    servers.length = 0;
    const db = openDatabase(server.dataDir, 'NORMAL');
    try {
      const stored = await new UpdateStore(new SqliteExecutor(db)).loadDoc(DOC);
      expect(stored.updates).toEqual([]);
      expect(stored.snapshot).not.toBeNull();
    } finally {
      db.close();
    }
    expect(Y.encodeStateVector(await readStoredDoc(server.dataDir, DOC))).toEqual(vector);
  });
});
