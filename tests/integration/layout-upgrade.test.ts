import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { annotationsMap, createAnnotation, isLayoutOneRecord, listAnnotations, listInvalidAnnotations } from '../../schema/index.ts';
import type { Annotation } from '../../schema/index.ts';
import { anchorOf, inviteUserId, seedRoom } from '../helpers/access-builders.ts';
import { editLayoutOne, storeLayoutOne } from '../helpers/stored-records.ts';
import { createRoomViaApi, readStoredDoc, startTestServer } from '../helpers/test-server.ts';
import type { RoleTokens, TestServer } from '../helpers/test-server.ts';
import { connectClient, waitFor } from '../helpers/yws-client.ts';
import type { TestClient } from '../helpers/yws-client.ts';

// A room stored in layout 1 (before issue 20) is converted to layout 2 by the server when it
// loads, once and durably; an old client whose offline cache holds the layout-1 room reconnects
// with edits made against it, and nothing it did is lost (schema/README.md, "Layout 2").

const ROOM = 'legacy';
const DOC = `${ROOM}/annotations`;

function layoutOneRecords(doc: Y.Doc): string[] {
  return [...annotationsMap(doc).entries()].filter(([, record]) => isLayoutOneRecord(record)).map(([id]) => id);
}

/** A layout-1 annotation as the code before layout 2 wrote it, by `userId`. */
function legacyAnnotation(userId: string, name: string, note: string, exact: string, start: number): Annotation {
  const made = createAnnotation(new Y.Doc(), { kind: 'problem', problemType: 'typo', note, anchor: anchorOf(exact, start) }, { actor: { userId, name }, now: () => new Date('2025-01-01T10:00:00.000Z') });
  if (!made.ok) throw new Error(made.errors.join('; '));
  return { ...made.value, v: 1 };
}

describe('a layout-1 room on a server that writes layout 2', () => {
  const servers: TestServer[] = [];
  const clients: TestClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    for (const server of servers.splice(0)) await server.stop();
  });

  /** A stopped server's data with a room whose annotations are all layout 1; the annotator's token and its replica as cached then. */
  async function legacyRoom(): Promise<{ dataDir: string; tokens: RoleTokens; cached: Uint8Array; annotations: Annotation[] }> {
    const server = await startTestServer();
    const tokens = await createRoomViaApi(server, ROOM);
    const annotator = inviteUserId(tokens.annotator);
    // The name the server gives a reader who came in by the invite link (server/auth/identity.ts).
    const name = `Annotator ${annotator.slice(-4)}`;
    const annotations = [
      legacyAnnotation(annotator, name, 'first', 'moderate turn', 100),
      legacyAnnotation(annotator, name, 'second', 'the decree', 300),
      legacyAnnotation('u-someone', 'Someone', 'third', 'repealed', 500),
    ];
    // Stored as the old server stored them: written by the server, never converted (it loaded before).
    await seedRoom(server, ROOM, (doc) => {
      for (const annotation of annotations) storeLayoutOne(doc, annotation);
    });
    const cache = connectClient({ url: server.url, room: ROOM, kind: 'annotations', token: tokens.annotator });
    await cache.synced();
    await waitFor(() => annotationsMap(cache.ydoc).size === 3, 'the cache to hold the room');
    expect(layoutOneRecords(cache.ydoc)).toHaveLength(3);
    const cached = Y.encodeStateAsUpdate(cache.ydoc);
    cache.destroy();
    await server.stop({ keepData: true });
    expect(layoutOneRecords(await readStoredDoc(server.dataDir, DOC))).toHaveLength(3);
    return { dataDir: server.dataDir, tokens, cached, annotations };
  }

  it('converts the room once when it loads, stores the conversion, and does not convert it again', async () => {
    const { dataDir, tokens, annotations } = await legacyRoom();
    const first = await startTestServer({ dataDir });
    servers.push(first);
    const reader = connectClient({ url: first.url, room: ROOM, kind: 'annotations', token: tokens.viewer });
    clients.push(reader);
    await reader.synced();
    await waitFor(() => annotationsMap(reader.ydoc).size === 3 && layoutOneRecords(reader.ydoc).length === 0, 'the reader to see the room converted');
    expect(listAnnotations(reader.ydoc).map((a) => a.note).sort()).toEqual(annotations.map((a) => a.note).sort());
    expect(first.log.entries.filter((e) => e.event === 'doc.layout-upgrade')).toMatchObject([{ fields: { doc: DOC, records: 3 } }]);
    reader.destroy();
    clients.length = 0;
    await first.stop({ keepData: true });
    servers.length = 0;

    const stored = await readStoredDoc(dataDir, DOC);
    expect(layoutOneRecords(stored)).toEqual([]);
    expect(listInvalidAnnotations(stored)).toEqual([]);
    const vector = Y.encodeStateVector(stored);

    const second = await startTestServer({ dataDir });
    servers.push(second);
    const again = connectClient({ url: second.url, room: ROOM, kind: 'annotations', token: tokens.viewer });
    clients.push(again);
    await again.synced();
    expect(second.log.entries.filter((e) => e.event === 'doc.layout-upgrade')).toEqual([]);
    expect(Y.encodeStateVector(again.ydoc)).toEqual(vector);
  });

  it('keeps every edit an old client made offline against its layout-1 cache, and converts what it wrote', async () => {
    const { dataDir, tokens, cached, annotations } = await legacyRoom();
    const server = await startTestServer({ dataDir });
    servers.push(server);
    // Someone opens the room first: the server converts it before the old client is back.
    const reader = connectClient({ url: server.url, room: ROOM, kind: 'annotations', token: tokens.viewer });
    clients.push(reader);
    await reader.synced();
    await waitFor(() => annotationsMap(reader.ydoc).size === 3 && layoutOneRecords(reader.ydoc).length === 0, 'the room to be converted');

    // The old client's cache, with what its code wrote offline: layout-1 edits and a new record.
    const offline = new Y.Doc();
    Y.applyUpdate(offline, cached);
    const [first, second] = annotations;
    editLayoutOne(offline, first!.id, { note: 'first, checked offline', anchor: anchorOf('soft course', 700) }, '2025-01-02T09:00:00.000Z');
    editLayoutOne(offline, second!.id, { status: 'resolved', statusBy: first!.authorId, statusByName: first!.authorName, statusAt: '2025-01-02T09:01:00.000Z' }, '2025-01-02T09:01:00.000Z');
    const added = legacyAnnotation(first!.authorId, first!.authorName, 'made offline', 'grain', 900);
    storeLayoutOne(offline, added);

    const old = connectClient({ url: server.url, room: ROOM, kind: 'annotations', token: tokens.annotator, ydoc: offline });
    clients.push(old);
    await old.synced();
    await waitFor(() => old.deniedReasons.length > 0 || annotationsMap(reader.ydoc).size === 4, 'the old client to be answered');
    expect(old.deniedReasons).toEqual([]);
    // Everything the old client wrote is stored (its own writes: the conversions it then receives are the server's).
    const own = offline.clientID;
    const written = Y.getState(offline.store, own);
    await waitFor(() => old.storedStateVector !== null && (Y.decodeStateVector(old.storedStateVector).get(own) ?? 0) >= written, 'the old client’s writes to be acknowledged as stored');
    const expected = (doc: Y.Doc) => {
      const byId = new Map(listAnnotations(doc).map((a) => [a.id, a]));
      return byId.size === 4 && byId.get(first!.id)?.note === 'first, checked offline' && byId.get(first!.id)?.anchor.quote.exact === 'soft course'
        && byId.get(second!.id)?.status === 'resolved' && byId.get(added.id)?.note === 'made offline' && layoutOneRecords(doc).length === 0 && !annotationsMap(doc).get(first!.id)!.has('anchor');
    };
    await waitFor(() => expected(reader.ydoc) && expected(old.ydoc), 'both replicas to hold every offline edit, converted');
    expect(Y.encodeStateVector(old.ydoc)).toEqual(Y.encodeStateVector(reader.ydoc));
    expect(listAnnotations(old.ydoc)).toEqual(listAnnotations(reader.ydoc));
    await server.stop({ keepData: true });
    servers.length = 0;
    expect(expected(await readStoredDoc(dataDir, DOC))).toBe(true);
  });
});
