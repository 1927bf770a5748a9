import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { annotationsMap } from '../../schema/index.ts';
import { annotateAs, seedRoom } from '../helpers/access-builders.ts';
import { startTestServer } from '../helpers/test-server.ts';
import type { TestServer } from '../helpers/test-server.ts';
import { connectClient } from '../helpers/yws-client.ts';
import type { TestClient } from '../helpers/yws-client.ts';

// No size ceiling: a room whose state is larger than a peer's send-buffer limit reaches a fresh
// replica in pieces (server/collab/state-chunks.ts), instead of the peer being closed 1008
// "send buffer full" and never syncing. Here the limit is lowered to 128 KiB for a room of
// ~600 KB; the default (16 MiB) is ~40,000 annotations.
const ROOM = 'chapter-5';
const author = { userId: 'u-seed', name: 'Seeder' };

describe('a room larger than the send-buffer limit', () => {
  const servers: TestServer[] = [];
  const clients: TestClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    for (const server of servers.splice(0)) await server.stop();
  });

  it('syncs a fresh replica, and one that holds part of the room, in full', async () => {
    const server = await startTestServer({ sendBufferLimitBytes: 128 * 1024 });
    servers.push(server);
    const seed = (from: number) => seedRoom(server, ROOM, (annotations) => {
      for (let i = from; i < from + 1250; i++) annotateAs(annotations, author, { note: `note ${i} `.repeat(5) });
    });
    await seed(0);
    // A replica as a reader left the room then: it comes back for the rest.
    const earlier = Y.encodeStateAsUpdate(server.collab.registry.open(ROOM, 'annotations').ydoc);
    await seed(1250);
    const live = server.collab.registry.open(ROOM, 'annotations').ydoc;
    expect(Y.encodeStateAsUpdate(live).byteLength).toBeGreaterThan(4 * 128 * 1024);

    const fresh = connectClient({ url: server.url, room: ROOM, kind: 'annotations', token: server.invites.viewer });
    clients.push(fresh);
    await fresh.synced(20_000);
    expect(fresh.closes).toEqual([]);
    expect(annotationsMap(fresh.ydoc).size).toBe(2500);
    expect(Y.encodeStateVector(fresh.ydoc)).toEqual(Y.encodeStateVector(live));

    const partial = new Y.Doc();
    Y.applyUpdate(partial, earlier);
    expect(annotationsMap(partial).size).toBe(1250);
    const returning = connectClient({ url: server.url, room: ROOM, kind: 'annotations', token: server.invites.viewer, ydoc: partial });
    clients.push(returning);
    await returning.synced(20_000);
    expect(returning.closes).toEqual([]);
    expect(Y.encodeStateVector(returning.ydoc)).toEqual(Y.encodeStateVector(live));
  });

  it('sends a room loaded from one large snapshot in pieces too', async () => {
    const first = await startTestServer({ sendBufferLimitBytes: 128 * 1024 });
    servers.push(first);
    await seedRoom(first, ROOM, (annotations) => {
      for (let i = 0; i < 2500; i++) annotateAs(annotations, author, { note: `note ${i} `.repeat(5) });
    });
    await first.collab.registry.compact(first.collab.registry.open(ROOM, 'annotations'));
    const vector = Y.encodeStateVector(first.collab.registry.open(ROOM, 'annotations').ydoc);
    await first.stop({ keepData: true });
    servers.length = 0;
    // After a restart the room's whole state is its stored snapshot, kept for fresh replicas.
    const server = await startTestServer({ dataDir: first.dataDir, sendBufferLimitBytes: 128 * 1024 });
    servers.push(server);
    const fresh = connectClient({ url: server.url, room: ROOM, kind: 'annotations', token: server.invites.viewer });
    clients.push(fresh);
    await fresh.synced(20_000);
    expect(fresh.closes).toEqual([]);
    expect(Y.encodeStateVector(fresh.ydoc)).toEqual(vector);
    const again = connectClient({ url: server.url, room: ROOM, kind: 'annotations', token: server.invites.viewer });
    clients.push(again);
    await again.synced(20_000);
    expect(again.closes).toEqual([]);
  });
});
