import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { annotationsMap, stateVectorCovers, TEXT_FRAGMENT_NAME } from '../../schema/index.ts';
import type { Role } from '../../schema/index.ts';
import { annotateAs } from '../helpers/access-builders.ts';
import { RawClient, syncStep2Message, syncUpdateMessage, waitUntil } from '../helpers/raw-client.ts';
import { startTestServer } from '../helpers/test-server.ts';
import type { TestServer } from '../helpers/test-server.ts';
import { connectClient } from '../helpers/yws-client.ts';
import type { TestClient } from '../helpers/yws-client.ts';

// Issue 13, defect 1: once anything in the chapter was deleted, every reader's reconnect was
// refused ("only the owner may change the chapter text"), because a stock client's sync step 2
// carries its replica's whole delete set. Content the server already has is no change.

const READERS: readonly Role[] = ['reviewer', 'annotator', 'viewer'];

/** The paragraph elements of a chapter replica (the fragment's children that hold text). */
function paragraphs(doc: Y.Doc): Y.XmlElement[] {
  return doc
    .getXmlFragment(TEXT_FRAGMENT_NAME)
    .toArray()
    .filter((node): node is Y.XmlElement => node instanceof Y.XmlElement && node.nodeName === 'paragraph');
}

/** The first text node of a paragraph. */
function firstText(paragraph: Y.XmlElement): Y.XmlText {
  const text = paragraph.toArray().find((node): node is Y.XmlText => node instanceof Y.XmlText);
  if (!text) throw new Error('paragraph without text');
  return text;
}

/** What the owner does to the text in the trial: deletes, inserts, splits and joins paragraphs, corrects. */
function ownerEdits(doc: Y.Doc): void {
  const fragment = doc.getXmlFragment(TEXT_FRAGMENT_NAME);
  doc.transact(() => firstText(paragraphs(doc)[0]!).delete(0, 1));
  doc.transact(() => firstText(paragraphs(doc)[1]!).insert(0, 'Inserted. '));
  // Split: the paragraph's tail moves into a new paragraph after it.
  doc.transact(() => {
    const paragraph = paragraphs(doc)[2]!;
    const text = firstText(paragraph);
    const tail = text.toString().slice(40);
    text.delete(40, tail.length);
    const second = new Y.XmlElement('paragraph');
    second.setAttribute('id', 'p-split-tail');
    second.insert(0, [new Y.XmlText(tail)]);
    fragment.insert(fragment.toArray().indexOf(paragraph) + 1, [second]);
  });
  // Join it again: the tail goes back and its paragraph is deleted.
  doc.transact(() => {
    const second = paragraphs(doc).find((p) => p.getAttribute('id') === 'p-split-tail')!;
    const tail = firstText(second).toString();
    firstText(paragraphs(doc)[2]!).insert(40, tail);
    fragment.delete(fragment.toArray().indexOf(second), 1);
  });
  // A correction: words replaced by others.
  doc.transact(() => {
    const text = firstText(paragraphs(doc)[3]!);
    text.delete(5, 10);
    text.insert(5, 'corrected ');
  });
}

describe('readers’ sync of content the server already has', () => {
  let server: TestServer;
  const clients: TestClient[] = [];
  const raws: RawClient[] = [];
  const refusals = () => server.log.entries.filter((entry) => entry.event === 'collab.update-denied');
  const stock = (role: Role, kind: 'text' | 'annotations', ydoc?: Y.Doc): TestClient => {
    const client = connectClient({ url: server.url, room: 'chapter-5', kind, token: server.invites[role], ...(ydoc ? { ydoc } : {}) });
    clients.push(client);
    return client;
  };
  const raw = async (role: Role, kind: 'text' | 'annotations'): Promise<RawClient> => {
    const client = await RawClient.connect({ url: server.url, path: `/collab/chapter-5/${kind}?token=${encodeURIComponent(server.invites[role])}&acks=1` });
    raws.push(client);
    await client.sync();
    return client;
  };
  const reconnect = async (client: TestClient): Promise<void> => {
    client.provider.disconnect();
    client.provider.synced = false;
    client.provider.connect();
    await client.synced();
  };

  beforeAll(async () => {
    server = await startTestServer();
    const owner = stock('owner', 'text');
    await owner.synced();
    ownerEdits(owner.ydoc);
    await owner.stored();
  });
  afterAll(async () => {
    for (const client of clients) client.destroy();
    for (const client of raws) client.close();
    await server.stop();
  });

  it('answers every reader’s reconnect without a refusal, and stores and relays nothing', async () => {
    const watcher = await raw('owner', 'text');
    const live = server.collab.registry.open('chapter-5', 'text');
    const logBefore = live.logLength;
    const stateBefore = Y.encodeStateAsUpdate(live.ydoc);
    const framesBefore = watcher.frames.length;
    for (const role of READERS) {
      const reader = stock(role, 'text');
      await reader.synced();
      // The second join answers the server's step 1 with a step 2 carrying every deletion.
      await reconnect(reader);
      await reconnect(reader);
      expect(reader.deniedReasons, role).toEqual([]);
      expect(reader.provider.wsconnected, role).toBe(true);
    }
    await waitUntil(() => server.collab.queue.pendingCount === 0, 'the commit queue to settle');
    expect(refusals()).toEqual([]);
    expect(live.logLength).toBe(logBefore);
    expect(Y.encodeStateAsUpdate(live.ydoc)).toEqual(stateBefore);
    expect(watcher.frames.slice(framesBefore).filter((frame) => frame[0] === 0)).toEqual([]);
  });

  it('acknowledges a repeated step 2 or update of known deletions, byte for byte what a stock client sends', async () => {
    for (const role of READERS) {
      const reader = await raw(role, 'text');
      const known = Y.encodeStateAsUpdate(reader.doc, Y.encodeStateVector(reader.doc));
      expect(Y.decodeUpdate(known).ds.clients.size).toBeGreaterThan(0);
      const storedBefore = reader.stored;
      reader.send(syncStep2Message(known));
      reader.send(syncUpdateMessage(known));
      await waitUntil(() => reader.stored !== storedBefore && reader.stored !== null, `${role}: an acknowledgement`);
      expect(stateVectorCovers(reader.stored!, Y.encodeStateVector(reader.doc))).toBe(true);
      expect(reader.denied, role).toEqual([]);
    }
    expect(refusals()).toEqual([]);
  });

  it('reconnects readers after a server restart without a refusal', async () => {
    const replicas = new Map<Role, Y.Doc>();
    for (const role of READERS) {
      const reader = stock(role, 'text');
      await reader.synced();
      replicas.set(role, reader.ydoc);
    }
    const { dataDir } = server;
    for (const client of clients.splice(0)) client.provider.disconnect();
    await server.stop({ keepData: true });
    server = await startTestServer({ dataDir });
    for (const role of READERS) {
      // The replica from before the restart, as a browser's offline cache would hold it.
      const reader = stock(role, 'text', replicas.get(role)!);
      await reader.synced();
      await reconnect(reader);
      expect(reader.deniedReasons, role).toEqual([]);
    }
    expect(refusals()).toEqual([]);
  });

  it('still refuses a reader’s genuinely new text change: an insertion, a new deletion, or new deletions among known ones', async () => {
    for (const role of READERS) {
      const reader = await raw(role, 'text');
      const reason = role === 'viewer' ? 'viewers cannot change this room' : 'only the owner may change the chapter text';
      reader.change((doc) => firstText(paragraphs(doc)[5]!).insert(0, 'FORGED '));
      expect(await reader.deniedAtLeast(1)).toEqual([reason]);
      reader.change((doc) => firstText(paragraphs(doc)[6]!).delete(0, 3));
      expect(await reader.deniedAtLeast(2)).toEqual([reason, reason]);
      // A step 2 that repeats every known deletion and adds one new one.
      reader.change((doc) => firstText(paragraphs(doc)[7]!).delete(0, 2));
      reader.send(syncStep2Message(Y.encodeStateAsUpdate(reader.doc, Y.encodeStateVector(reader.doc))));
      expect(await reader.deniedAtLeast(4)).toEqual([reason, reason, reason, reason]);
    }
    const live = server.collab.registry.open('chapter-5', 'text').ydoc;
    expect(live.getXmlFragment(TEXT_FRAGMENT_NAME).toString()).not.toContain('FORGED');
  });

  it('lets a viewer rejoin the annotation document after an annotation was deleted', async () => {
    const owner = await raw('owner', 'annotations');
    const me = (await (await fetch(`${server.url}/api/rooms/chapter-5/me`, { headers: { authorization: `Bearer ${server.invites.owner}` } })).json()) as { userId: string; name: string };
    let id = '';
    owner.change((doc) => (id = annotateAs(doc, me).id));
    await waitUntil(() => owner.stored !== null && stateVectorCovers(owner.stored, Y.encodeStateVector(owner.doc)), 'the annotation to be stored');
    owner.change((doc) => annotationsMap(doc).delete(id));
    const viewer = stock('viewer', 'annotations');
    await viewer.synced();
    await waitUntil(() => !annotationsMap(viewer.ydoc).has(id) && viewer.ydoc.store.clients.size > 0, 'the deletion to reach the viewer');
    const before = refusals().length;
    await reconnect(viewer);
    expect(viewer.deniedReasons).toEqual([]);
    expect(refusals().length).toBe(before);
  });
});
