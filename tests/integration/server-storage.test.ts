import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { stateVectorCovers } from '../../schema/index.ts';
import { DATABASE_FILE, defaultAuthorizeUpdate } from '../../server/index.ts';
import { readStoredDoc, startTestServer } from '../helpers/test-server.ts';
import type { TestServer } from '../helpers/test-server.ts';
import { connectClient, waitFor } from '../helpers/yws-client.ts';
import type { TestClient } from '../helpers/yws-client.ts';


async function storeState(server: TestServer): Promise<string> {
  return ((await (await fetch(`${server.url}/healthz`)).json()) as { store: string }).store;
}

describe('storage', () => {
  const servers: TestServer[] = [];
  const clients: TestClient[] = [];
  const connect = (server: TestServer, token: string) => {
    const c = connectClient({ url: server.url, room: 'chapter-5', kind: 'annotations', token });
    clients.push(c);
    return c;
  };
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    for (const s of servers.splice(0)) await s.stop();
  });

  it('D3: keeps collaborating but stops acknowledging while the store fails, then stores and acknowledges everything', async () => {
    let failing = false;
    // Free-form entries: this tests storage, so only the role check runs (layout checks: access-*.test.ts).
    const server = await startTestServer({
      authorizeUpdate: defaultAuthorizeUpdate,
      storeRetryMs: 50,
      storeRetryMaxMs: 200,
      hooks: {
        beforeCommit: () => {
          if (failing) throw new Error('SQLITE_FULL: database or disk is full');
        },
      },
    });
    servers.push(server);
    const alice = connect(server, server.invites.annotator);
    const bob = connect(server, server.invites.reviewer);
    await Promise.all([alice.synced(), bob.synced()]);
    alice.ydoc.transact(() => alice.ydoc.getMap('annotations').set('before', 1), 'test');
    await alice.stored();

    failing = true;
    const ackBeforeFault = alice.storedStateVector;
    for (let i = 0; i < 5; i++) alice.ydoc.transact(() => alice.ydoc.getMap('annotations').set(`during-${i}`, i), 'test');
    bob.ydoc.transact(() => bob.ydoc.getMap('annotations').set('bob-during', true), 'test');
    await waitFor(() => bob.ydoc.getMap('annotations').has('during-4') && alice.ydoc.getMap('annotations').has('bob-during'), 'edits to flow while the store fails');
    // Two failed commits of those edits (the first try and a retry); an acknowledgement, had
    // either sent one, was written to alice before bob's marker below is relayed to her.
    const failures = () => server.log.entries.filter((e) => e.event === 'store.append-failed').length;
    await waitFor(() => failures() >= 2, 'two failed commits');
    bob.provider.awareness.setLocalStateField('marker', 'after the failed commits');
    await waitFor(() => alice.provider.awareness.getStates().get(bob.ydoc.clientID)?.marker === 'after the failed commits', 'bob’s marker to reach alice');
    expect(alice.storedStateVector).toEqual(ackBeforeFault);
    expect(stateVectorCovers(alice.storedStateVector ?? new Uint8Array([0]), Y.encodeStateVector(alice.ydoc))).toBe(false);
    expect(await storeState(server)).toBe('failing');
    expect(server.log.entries.some((e) => e.event === 'store.append-failed')).toBe(true);

    failing = false;
    await Promise.all([alice.stored(), bob.stored()]);
    expect(await storeState(server)).toBe('ok');
    await server.stop({ keepData: true });
    const stored = (await readStoredDoc(server.dataDir, 'chapter-5/annotations')).getMap('annotations');
    expect([...stored.keys()].sort()).toEqual(['before', 'bob-during', 'during-0', 'during-1', 'during-2', 'during-3', 'during-4']);
  });

  it('folds a long log into a checked snapshot without losing an update', async () => {
    const server = await startTestServer({ authorizeUpdate: defaultAuthorizeUpdate, compactThreshold: 50, idleUnloadMs: 0 });
    servers.push(server);
    const writer = connect(server, server.invites.owner);
    await writer.synced();
    for (let i = 0; i < 120; i++) writer.ydoc.transact(() => writer.ydoc.getMap('annotations').set(`n-${i}`, i), 'test');
    await writer.stored();
    await waitFor(() => server.log.entries.some((e) => e.event === 'store.compacted'), 'a compaction');

    const db = new Database(path.join(server.dataDir, DATABASE_FILE), { readonly: true });
    const logRows = (db.prepare("SELECT count(*) AS n FROM doc_updates WHERE doc = 'chapter-5/annotations'").get() as { n: number }).n;
    const snapshots = (db.prepare("SELECT count(*) AS n FROM doc_snapshots WHERE doc = 'chapter-5/annotations'").get() as { n: number }).n;
    db.close();
    expect(logRows).toBeLessThan(50);
    expect(snapshots).toBe(1);

    writer.destroy();
    await waitFor(() => [...server.collab.registry.docs()].length === 0, 'the room to unload');
    const reader = connect(server, server.invites.viewer);
    await reader.synced();
    expect(reader.ydoc.getMap('annotations').size).toBe(120);
    await server.stop({ keepData: true });
    expect((await readStoredDoc(server.dataDir, 'chapter-5/annotations')).getMap('annotations').size).toBe(120);
  });
});
