import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { yXmlFragmentToProseMirrorRootNode } from 'y-prosemirror';
import type * as Y from 'yjs';
import { chapterFromJSON, chapterSchema, COLLAB_CLOSE, importChapter, projectChapter } from '../../schema/index.ts';
import { DATABASE_FILE, defaultAuthorizeUpdate } from '../../server/index.ts';
import { chapterText, createRoomViaApi, startTestServer } from '../helpers/test-server.ts';
import type { TestServer } from '../helpers/test-server.ts';
import { connectClient, openRawSocket, waitFor } from '../helpers/yws-client.ts';
import type { TestClient } from '../helpers/yws-client.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function importedChapter() {
  const imported = importChapter(chapterText);
  if (!imported.ok) throw new Error(imported.error);
  return chapterFromJSON(imported.doc);
}

function projectedText(ydoc: Y.Doc): string {
  return projectChapter(yXmlFragmentToProseMirrorRootNode(ydoc.getXmlFragment('prosemirror'), chapterSchema)).text;
}

/** The stored rows of one document, as raw bytes, for "nothing was written" checks. */
function storedRows(dataDir: string, docName: string): string {
  const db = new Database(path.join(dataDir, DATABASE_FILE));
  try {
    const snapshot = db.prepare('SELECT hex(snapshot) AS s FROM doc_snapshots WHERE doc = ?').get(docName) as { s: string } | undefined;
    const updates = db.prepare('SELECT id, hex(update_bytes) AS u FROM doc_updates WHERE doc = ? ORDER BY id').all(docName);
    return JSON.stringify({ snapshot: snapshot?.s ?? null, updates });
  } finally {
    db.close();
  }
}

describe('loading and unloading rooms', () => {
  const servers: TestServer[] = [];
  const clients: TestClient[] = [];
  const track = (c: TestClient) => (clients.push(c), c);
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    for (const s of servers.splice(0)) await s.stop();
  });

  it('R1: three clients joining a cold room during a slow load each see the chapter exactly once', async () => {
    let loadReleasedAt = Number.POSITIVE_INFINITY;
    const server = await startTestServer({
      hooks: {
        beforeLoad: async () => {
          await sleep(500);
          loadReleasedAt = Date.now();
        },
      },
    });
    servers.push(server);
    const syncedAt: number[] = [];
    const trio = [server.invites.owner, server.invites.annotator, server.invites.viewer].map((token) => {
      const c = track(connectClient({ url: server.url, room: 'chapter-5', kind: 'text', token }));
      c.provider.on('sync', (synced) => synced && syncedAt.push(Date.now()));
      return c;
    });
    await Promise.all(trio.map((c) => c.synced()));

    const expected = importedChapter();
    for (const c of trio) {
      expect(c.ydoc.getXmlFragment('prosemirror').length).toBe(expected.childCount);
      expect(projectedText(c.ydoc)).toBe(projectChapter(expected).text);
    }
    expect(syncedAt).toHaveLength(3);
    for (const t of syncedAt) expect(t).toBeGreaterThanOrEqual(loadReleasedAt);
    expect(server.log.entries.filter((e) => e.event === 'doc.loaded' && e.fields.doc === 'chapter-5/text')).toHaveLength(1);
  });

  it('R2: keeps a room loaded while the last client’s save is slow, so a newcomer sees every change', async () => {
    let slow = false;
    // Free-form entries: this tests loading and saving, so only the role check runs (layout checks: access-*.test.ts).
    const server = await startTestServer({ authorizeUpdate: defaultAuthorizeUpdate, idleUnloadMs: 0, hooks: { beforeCommit: async () => { if (slow) await sleep(800); } } });
    servers.push(server);
    const leaver = connectClient({ url: server.url, room: 'chapter-5', kind: 'annotations', token: server.invites.annotator });
    await leaver.synced();
    slow = true;
    leaver.ydoc.transact(() => leaver.ydoc.getMap('annotations').set('last-words', 'saved slowly'), 'test');
    await waitFor(() => server.collab.queue.pendingCount > 0, 'the server to receive the change');
    leaver.destroy();
    await waitFor(() => server.collab.connections().size === 0, 'the server to see the last client leave');

    const newcomer = track(connectClient({ url: server.url, room: 'chapter-5', kind: 'annotations', token: server.invites.reviewer }));
    await newcomer.synced();
    await waitFor(() => newcomer.ydoc.getMap('annotations').get('last-words') === 'saved slowly', 'the newcomer to see the slow change', 3000);

    // Once nothing is pending and nobody is connected the room unloads; a reload has the change too.
    slow = false;
    newcomer.destroy();
    await waitFor(() => [...server.collab.registry.docs()].length === 0, 'the idle room to unload');
    const late = track(connectClient({ url: server.url, room: 'chapter-5', kind: 'annotations', token: server.invites.viewer }));
    await late.synced();
    expect(late.ydoc.getMap('annotations').get('last-words')).toBe('saved slowly');
  });

  it('D4: refuses a room whose stored state is corrupt with 1011, writes nothing, and serves other rooms', async () => {
    const first = await startTestServer();
    const healthy = await createRoomViaApi(first, 'healthy-room');
    await first.stop({ keepData: true });
    const db = new Database(path.join(first.dataDir, DATABASE_FILE));
    db.prepare("UPDATE doc_snapshots SET snapshot = x'ffffffff0102' WHERE doc = 'chapter-5/text'").run();
    db.close();
    const before = storedRows(first.dataDir, 'chapter-5/text');

    const server = await startTestServer({ dataDir: first.dataDir });
    servers.push(server);
    const raw = await openRawSocket(server.url, `/collab/chapter-5/text?token=${server.invites.owner}`);
    expect((await raw.closed).code).toBe(COLLAB_CLOSE.loadFailed);
    expect(raw.received).toEqual([]);
    const refused = track(connectClient({ url: server.url, room: 'chapter-5', kind: 'text', token: server.invites.owner }));
    expect((await refused.closed()).code).toBe(1011);

    const other = track(connectClient({ url: server.url, room: 'healthy-room', kind: 'text', token: healthy.viewer }));
    await other.synced();
    expect(projectedText(other.ydoc)).toBe(projectChapter(importedChapter()).text);
    expect(server.log.entries.some((e) => e.level === 'error' && e.event === 'doc.load-failed' && e.fields.doc === 'chapter-5/text')).toBe(true);

    refused.destroy();
    await server.stop({ keepData: true });
    servers.pop();
    expect(storedRows(first.dataDir, 'chapter-5/text')).toBe(before);
    await server.stop();
  });

  it('D4: refuses a room whose loader throws, and serves it once loading works again', async () => {
    let broken = true;
    const server = await startTestServer({
      hooks: {
        beforeLoad: (docName) => {
          if (broken && docName === 'chapter-5/annotations') throw new Error('disk unreadable');
        },
      },
    });
    servers.push(server);
    const refused = track(connectClient({ url: server.url, room: 'chapter-5', kind: 'annotations', token: server.invites.owner }));
    expect((await refused.closed()).code).toBe(COLLAB_CLOSE.loadFailed);
    const text = track(connectClient({ url: server.url, room: 'chapter-5', kind: 'text', token: server.invites.owner }));
    await text.synced();
    refused.destroy();

    broken = false;
    const retried = track(connectClient({ url: server.url, room: 'chapter-5', kind: 'annotations', token: server.invites.owner }));
    await retried.synced();
    expect(retried.closes).toEqual([]);
  });
});
