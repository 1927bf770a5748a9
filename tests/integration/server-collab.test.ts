import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { yXmlFragmentToProseMirrorRootNode } from 'y-prosemirror';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { chapterFromJSON, chapterSchema, COLLAB_CLOSE, importChapter, MESSAGE_AWARENESS, projectChapter } from '../../schema/index.ts';
import { defaultAuthorizeUpdate } from '../../server/index.ts';
import { chapterText, createRoomViaApi, startTestServer } from '../helpers/test-server.ts';
import type { RoleTokens, TestServer } from '../helpers/test-server.ts';
import { connectClient, openRawSocket, waitFor } from '../helpers/yws-client.ts';
import type { TestClient } from '../helpers/yws-client.ts';

/** The reading text of a client's copy of the chapter. */
function projectedText(ydoc: Y.Doc): string {
  return projectChapter(yXmlFragmentToProseMirrorRootNode(ydoc.getXmlFragment('prosemirror'), chapterSchema)).text;
}

/** The reading text the importer makes of the fixture: what every client must see. */
function importedText(): string {
  const imported = importChapter(chapterText);
  if (!imported.ok) throw new Error(imported.error);
  return projectChapter(chapterFromJSON(imported.doc)).text;
}

/** The first text run of the first paragraph of a client's chapter. */
function firstParagraphText(ydoc: Y.Doc): Y.XmlText {
  const paragraph = ydoc.getXmlFragment('prosemirror').toArray().find((node) => node instanceof Y.XmlElement && node.nodeName === 'paragraph') as Y.XmlElement;
  return paragraph.toArray().find((node) => node instanceof Y.XmlText) as Y.XmlText;
}

/** The client ids an awareness frame carries. */
function awarenessClients(frame: Uint8Array): number[] {
  const decoder = decoding.createDecoder(frame);
  decoding.readVarUint(decoder);
  const update = decoding.createDecoder(decoding.readVarUint8Array(decoder));
  const ids: number[] = [];
  for (let n = decoding.readVarUint(update); n > 0; n--) {
    ids.push(decoding.readVarUint(update));
    decoding.readVarUint(update);
    decoding.readVarString(update);
  }
  return ids;
}

describe('collaboration server', () => {
  let server: TestServer;
  let otherRoom: RoleTokens;
  const clients: TestClient[] = [];
  const client = (kind: 'text' | 'annotations', token: string | undefined, room = 'chapter-5') => {
    const c = connectClient({ url: server.url, room, kind, ...(token === undefined ? {} : { token }) });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    // Free-form map entries: the protocol is tested here with the role-only check; the layout
    // and authorship checks of the default authorizer are tested in access-*.test.ts.
    server = await startTestServer({ maxPayloadBytes: 256 * 1024, authorizeUpdate: defaultAuthorizeUpdate });
    otherRoom = await createRoomViaApi(server, 'other-room');
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.destroy();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('syncs the seeded chapter and the owner’s text edits between two stock clients', async () => {
    const owner = client('text', server.invites.owner);
    const reader = client('text', server.invites.annotator);
    await Promise.all([owner.synced(), reader.synced()]);
    expect(projectedText(reader.ydoc)).toBe(importedText());

    owner.ydoc.transact(() => firstParagraphText(owner.ydoc).insert(0, 'EDITED '), 'test');
    await waitFor(() => projectedText(reader.ydoc).startsWith(projectedText(owner.ydoc).slice(0, 200)), 'the edit to reach the reader');
    expect(projectedText(reader.ydoc)).toContain('EDITED The new phase');
    await owner.stored();
  });

  it('relays annotation edits between clients and acknowledges them as stored', async () => {
    const alice = client('annotations', server.invites.annotator);
    const bob = client('annotations', server.invites.reviewer);
    await Promise.all([alice.synced(), bob.synced()]);
    alice.ydoc.transact(() => alice.ydoc.getMap('annotations').set('a-1', 'from alice'), 'test');
    bob.ydoc.transact(() => bob.ydoc.getMap('annotations').set('b-1', 'from bob'), 'test');
    await waitFor(() => alice.ydoc.getMap('annotations').size === 2 && bob.ydoc.getMap('annotations').size === 2, 'both entries everywhere');
    await Promise.all([alice.stored(), bob.stored()]);
    expect(bob.ydoc.getMap('annotations').get('a-1')).toBe('from alice');
  });

  it('closes an upgrade without a token, or with an unknown one, with 4401 and sends nothing', async () => {
    for (const query of ['', '?token=not-a-real-token']) {
      const raw = await openRawSocket(server.url, `/collab/chapter-5/text${query}`);
      expect((await raw.closed).code).toBe(COLLAB_CLOSE.unauthorized);
      expect(raw.received).toEqual([]);
    }
    const stock = client('annotations', undefined);
    expect((await stock.closed()).code).toBe(4401);
  });

  it('closes an upgrade with another room’s token with 4403 and sends nothing of the room', async () => {
    const raw = await openRawSocket(server.url, `/collab/chapter-5/text?token=${otherRoom.owner}`);
    expect((await raw.closed).code).toBe(COLLAB_CLOSE.forbidden);
    expect(raw.received).toEqual([]);
    for (const path of ['/collab/CHAPTER-5/text', '/collab/chapter-5%2Ftext', '/collab/chapter-5/text/', '/collab/chapter-5/comments']) {
      const tricked = await openRawSocket(server.url, `${path}?token=${server.invites.owner}`);
      expect((await tricked.closed).code, path).toBe(COLLAB_CLOSE.notFound);
      expect(tricked.received).toEqual([]);
    }
  });

  it('drops a viewer’s writes, tells the viewer permission-denied, and keeps the room unchanged', async () => {
    const viewer = client('annotations', server.invites.viewer);
    await viewer.synced();
    viewer.ydoc.transact(() => viewer.ydoc.getMap('annotations').set('viewer-wrote', true), 'test');
    await waitFor(() => viewer.deniedReasons.length > 0, 'permission-denied');
    expect(viewer.deniedReasons[0]).toMatch(/viewer/);
    const fresh = client('annotations', server.invites.owner);
    await fresh.synced();
    expect(fresh.ydoc.getMap('annotations').has('viewer-wrote')).toBe(false);
  });

  it('refuses an annotator’s change to the chapter text', async () => {
    const annotator = client('text', server.invites.annotator);
    await annotator.synced();
    const before = projectedText(annotator.ydoc);
    annotator.ydoc.transact(() => firstParagraphText(annotator.ydoc).insert(0, 'FORGED '), 'test');
    await waitFor(() => annotator.deniedReasons.length > 0, 'permission-denied');
    const fresh = client('text', server.invites.owner);
    await fresh.synced();
    expect(projectedText(fresh.ydoc)).toBe(before.replace('FORGED ', ''));
    expect(projectedText(fresh.ydoc)).not.toContain('FORGED');
  });

  it('closes only the sender of a malformed, unknown, textual or oversized frame', async () => {
    const alice = client('annotations', server.invites.owner);
    const bob = client('annotations', server.invites.annotator);
    await Promise.all([alice.synced(), bob.synced()]);
    const frames: [string, string | Uint8Array, number][] = [
      ['a truncated update', new Uint8Array([0, 2, 9, 1, 2, 3]), COLLAB_CLOSE.protocolError],
      ['garbage in a well-framed update', new Uint8Array([0, 2, 5, 255, 255, 255, 255, 255]), COLLAB_CLOSE.protocolError],
      ['an unknown message type', new Uint8Array([42, 0]), COLLAB_CLOSE.protocolError],
      ['an empty frame', new Uint8Array([]), COLLAB_CLOSE.protocolError],
      ['a text frame', 'hello', COLLAB_CLOSE.unsupportedData],
      ['a frame over maxPayload', new Uint8Array(300 * 1024), COLLAB_CLOSE.messageTooBig],
    ];
    for (const [what, frame, code] of frames) {
      const raw = await openRawSocket(server.url, `/collab/chapter-5/annotations?token=${server.invites.owner}`);
      raw.ws.send(frame);
      expect((await raw.closed).code, what).toBe(code);
    }
    expect(server.log.entries.some((e) => e.event === 'collab.malformed-message')).toBe(true);
    alice.ydoc.transact(() => alice.ydoc.getMap('annotations').set('still-works', 1), 'test');
    await waitFor(() => bob.ydoc.getMap('annotations').get('still-works') === 1, 'the room to keep working');
    expect(alice.closes).toEqual([]);
    expect(bob.closes).toEqual([]);
  });

  it('relays awareness to every connection, sender included, and removes it on disconnect', async () => {
    const bob = client('annotations', server.invites.reviewer);
    await bob.synced();
    const raw = await openRawSocket(server.url, `/collab/chapter-5/annotations?token=${server.invites.annotator}`);
    const rawDoc = new Y.Doc();
    const rawAwareness = new awarenessProtocol.Awareness(rawDoc);
    rawAwareness.setLocalState({ user: { name: 'Raw' } });
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(rawAwareness, [rawDoc.clientID]));
    raw.ws.send(encoding.toUint8Array(encoder));

    const echoed = () => raw.received.some((frame) => frame[0] === MESSAGE_AWARENESS && awarenessClients(frame).includes(rawDoc.clientID));
    await waitFor(echoed, 'the sender to hear its own state back');
    await waitFor(() => bob.provider.awareness.getStates().has(rawDoc.clientID), 'bob to see the raw client');
    raw.ws.close();
    await waitFor(() => !bob.provider.awareness.getStates().has(rawDoc.clientID), 'the state to be removed on disconnect');
    rawAwareness.destroy();
  });
});
