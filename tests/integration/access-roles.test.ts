import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addReply,
  annotationsMap,
  applyCorrection,
  BlockTable,
  can,
  createAnchorFromTextRange,
  projectYDoc,
  resolveAnnotation,
  ROLES,
  stateVectorCovers,
  TEXT_FRAGMENT_NAME,
  updateAnnotation,
} from '../../schema/index.ts';
import type { Action, Role } from '../../schema/index.ts';
import { annotateAs, AuthorizerHarness, contextOf, seedRoom } from '../helpers/access-builders.ts';
import { RawClient, syncStep2Message, syncUpdateMessage, waitUntil } from '../helpers/raw-client.ts';
import { createRoomViaApi, startTestServer } from '../helpers/test-server.ts';
import type { RoleTokens, TestServer } from '../helpers/test-server.ts';

// A1–A3 of docs/reliability.md: the role table holds over the raw protocol and the HTTP API,
// whatever bytes a client sends.

type Identity = { userId: string; name: string };

const ACTIONS: readonly Action[] = [
  'read',
  'export',
  'annotate',
  'reply',
  'edit-own',
  'edit-others',
  'set-status-own',
  'set-status-others',
  'edit-text',
  'apply-correction',
  'import',
  'manage-invites',
  'view-overview',
  'lead-rounds',
];

/** The seeded annotations of one role's room: its own, and others' by a third user. */
interface Seeded {
  own: string;
  ownForStatus: string;
  others: string;
  othersForStatus: string;
  othersProblem: string;
}

describe('roles over the raw protocol and the HTTP API', () => {
  let server: TestServer;
  const open: RawClient[] = [];

  const connect = async (room: string, kind: 'text' | 'annotations', token: string) => {
    const client = await RawClient.connect({ url: server.url, path: `/collab/${room}/${kind}?token=${encodeURIComponent(token)}&acks=1` });
    open.push(client);
    await client.sync();
    return client;
  };
  const me = async (room: string, token: string): Promise<Identity> =>
    (await (await fetch(`${server.url}/api/rooms/${room}/me`, { headers: { authorization: `Bearer ${token}` } })).json()) as Identity;

  /** Sends a change and waits for the verdict: permission-denied, or stored (acknowledged). */
  const attempt = async (client: RawClient, change: (doc: Y.Doc) => void): Promise<boolean> => {
    const deniedBefore = client.denied.length;
    client.change(change);
    await waitUntil(
      () => client.denied.length > deniedBefore || (client.stored !== null && stateVectorCovers(client.stored, Y.encodeStateVector(client.doc))),
      'a verdict on the change',
    );
    return client.denied.length === deniedBefore;
  };

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    for (const client of open) client.close();
    await server.stop();
  });

  it('A1: drops a viewer’s sync step 2 and updates, tells the viewer, and relays nothing', async () => {
    const viewer = await connect('chapter-5', 'annotations', server.invites.viewer);
    const watcher = await connect('chapter-5', 'annotations', server.invites.owner);
    const framesBefore = watcher.frames.length;
    const before = Y.encodeStateVector(server.collab.registry.open('chapter-5', 'annotations').ydoc);
    const identity = await me('chapter-5', server.invites.viewer);
    viewer.change((doc) => annotateAs(doc, identity), 'step2');
    viewer.change((doc) => doc.getMap('dismissed').set('finding', { by: identity.userId, at: '2025-01-01T00:00:00.000Z' }), 'update');
    const textViewer = await connect('chapter-5', 'text', server.invites.viewer);
    textViewer.change((doc) => (doc.getXmlFragment(TEXT_FRAGMENT_NAME).get(1) as Y.XmlElement).insert(0, [new Y.XmlText('FORGED')]));
    expect(await viewer.deniedAtLeast(2)).toEqual(['viewers cannot change this room', 'viewers cannot change this room']);
    expect(await textViewer.deniedAtLeast(1)).toEqual(['viewers cannot change this room']);
    // The denials came after the server handled the viewer's messages; a relay to the watcher
    // would have been written then, before the answer to the watcher's round trip.
    await watcher.barrier();
    expect(Y.encodeStateVector(server.collab.registry.open('chapter-5', 'annotations').ydoc)).toEqual(before);
    expect(watcher.frames.slice(framesBefore).filter((frame) => frame[0] === 0 && frame[1] === 2)).toEqual([]);
  });

  it('A2: refuses an annotator’s text edit and edit of another user’s annotation; the room is unchanged', async () => {
    await seedRoom(server, 'chapter-5', (doc) => annotateAs(doc, { userId: 'u-someone', name: 'Someone' }, { id: 'a-A2othersAnnotati' }));
    const text = await connect('chapter-5', 'text', server.invites.annotator);
    const textBefore = projectYDoc(text.doc).text;
    const textVerdict = await attempt(text, (doc) => (doc.getXmlFragment(TEXT_FRAGMENT_NAME).get(1) as Y.XmlElement).insert(0, [new Y.XmlText('FORGED ')]));
    expect(textVerdict).toBe(false);
    expect(text.denied.at(-1)).toMatch(/only the owner may change the chapter text/);

    const annotator = await connect('chapter-5', 'annotations', server.invites.annotator);
    const identity = await me('chapter-5', server.invites.annotator);
    expect(await attempt(annotator, (doc) => updateAnnotation(doc, 'a-A2othersAnnotati', { note: 'mine now' }, contextOf(identity)))).toBe(false);
    expect(annotator.denied.at(-1)).toMatch(/may not edit note of another user's annotation/);

    const fresh = await connect('chapter-5', 'text', server.invites.viewer);
    expect(projectYDoc(fresh.doc).text).toBe(textBefore);
    const freshAnnotations = await connect('chapter-5', 'annotations', server.invites.viewer);
    expect(annotationsMap(freshAnnotations.doc).get('a-A2othersAnnotati')?.get('note')).toBe('a note');
  });

  it('asks a client whose update depends on one it never sent to resync, then stores both', async () => {
    const client = await connect('chapter-5', 'annotations', server.invites.annotator);
    const identity = await me('chapter-5', server.invites.annotator);
    const held: Uint8Array[] = [];
    client.doc.on('update', (update: Uint8Array, origin: unknown) => origin !== 'server' && held.push(update));
    const created = annotateAs(client.doc, identity);
    // The creation is held back (as if lost in transit); only the edit that depends on it is sent.
    const edit = AuthorizerHarness.capture(client.doc, () => updateAnnotation(client.doc, created.id, { note: 'edited' }, contextOf(identity)));
    const step1sBefore = client.serverStep1s;
    client.send(syncUpdateMessage(edit));
    expect((await client.deniedAtLeast(1)).at(-1)).toMatch(/server (does not have|has clocks up to)/);
    await waitUntil(() => client.serverStep1s > step1sBefore, 'the server to ask for a resync');
    client.send(syncStep2Message(Y.encodeStateAsUpdate(client.doc)));
    await waitUntil(() => client.stored !== null && stateVectorCovers(client.stored, Y.encodeStateVector(client.doc)), 'both changes to be stored');
    expect(client.denied).toHaveLength(1);
    expect(held.length).toBeGreaterThan(0);
    const reader = await connect('chapter-5', 'annotations', server.invites.viewer);
    expect(annotationsMap(reader.doc).get(created.id)?.get('note')).toBe('edited');
  });

  it('A3: allows exactly what the role table allows, for all four roles and every action', async () => {
    const matrix: Record<string, Record<string, boolean>> = {};
    const expected: Record<string, Record<string, boolean>> = {};
    for (const role of ROLES) {
      const room = `matrix-${role}`;
      const invites = await createRoomViaApi(server, room);
      const identity = await me(room, invites[role]);
      const seeded = await seedMatrixRoom(room, identity);
      matrix[role] = {};
      expected[role] = {};
      for (const action of ACTIONS) {
        matrix[role][action] = await tryAction(room, invites, role, identity, seeded, action);
        expected[role][action] = can(role, action);
      }
    }
    expect(matrix).toEqual(expected);
  });

  /** Seeds the annotations a role's matrix room needs; the problem is anchored on real text. */
  async function seedMatrixRoom(room: string, identity: Identity): Promise<Seeded> {
    const other = { userId: 'u-third-party', name: 'Third Party' };
    const seeded: Seeded = { own: 'a-matrixOwnEdit000', ownForStatus: 'a-matrixOwnStatus0', others: 'a-matrixOthEdit000', othersForStatus: 'a-matrixOthStatus0', othersProblem: 'a-matrixOthProblem' };
    await seedRoom(server, room, (annotations, text) => {
      annotateAs(annotations, identity, { id: seeded.own });
      annotateAs(annotations, identity, { id: seeded.ownForStatus });
      annotateAs(annotations, other, { id: seeded.others });
      annotateAs(annotations, other, { id: seeded.othersForStatus });
      const table = new BlockTable(text.getXmlFragment(TEXT_FRAGMENT_NAME));
      const at = projectYDoc(text).text.indexOf('moderate');
      const anchor = createAnchorFromTextRange(table, { start: at, end: at + 'moderate'.length });
      if (!anchor.ok) throw new Error(anchor.error);
      annotateAs(annotations, other, { id: seeded.othersProblem, kind: 'problem', problemType: 'typo', correction: 'MODERATE', anchor: anchor.value });
    });
    return seeded;
  }

  /** Tries one action as one role; returns whether the server allowed it. */
  async function tryAction(room: string, invites: RoleTokens, role: Role, identity: Identity, seeded: Seeded, action: Action): Promise<boolean> {
    const token = invites[role];
    const http = (path: string, init: RequestInit = {}) => fetch(`${server.url}/api/rooms/${room}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...init.headers } });
    const annotations = () => connect(room, 'annotations', token);
    const context = contextOf(identity);
    switch (action) {
      case 'read': {
        const text = await connect(room, 'text', token);
        return projectYDoc(text.doc).text.includes('moderate');
      }
      case 'export':
        return (await http('/export?format=csv')).status === 200;
      case 'annotate':
        return attempt(await annotations(), (doc) => annotateAs(doc, identity));
      case 'reply':
        return attempt(await annotations(), (doc) => addReply(doc, { annotationId: seeded.others, body: 'A reply' }, context));
      case 'edit-own':
        return attempt(await annotations(), (doc) => updateAnnotation(doc, seeded.own, { note: 'edited' }, context));
      case 'edit-others':
        return attempt(await annotations(), (doc) => updateAnnotation(doc, seeded.others, { note: 'edited' }, context));
      case 'set-status-own':
        return attempt(await annotations(), (doc) => resolveAnnotation(doc, seeded.ownForStatus, context));
      case 'set-status-others':
        return attempt(await annotations(), (doc) => resolveAnnotation(doc, seeded.othersForStatus, context));
      case 'edit-text': {
        const text = await connect(room, 'text', token);
        return attempt(text, (doc) => (doc.getXmlFragment(TEXT_FRAGMENT_NAME).get(1) as Y.XmlElement).insert(0, [new Y.XmlText('Edited. ')]));
      }
      case 'apply-correction':
        return tryApplyCorrection(room, token, seeded.othersProblem, context);
      case 'import': {
        const exported = await (await http('/export?format=native')).text();
        const response = await http('/import', { method: 'POST', headers: { 'content-type': 'application/json' }, body: exported });
        return response.status === 200;
      }
      case 'manage-invites': {
        const response = await http('/invites', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role: 'viewer' }) });
        return response.status === 201;
      }
      case 'view-overview':
        return (await http('/overview?format=json')).status === 200;
      case 'lead-rounds': {
        const response = await http('/rounds', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
        if (response.status !== 201) return false;
        // Ended at once: an open round would keep annotators out of the shared layer the other actions use.
        const { round } = (await response.json()) as { round: { id: number } };
        return (await http(`/rounds/${round.id}/end`, { method: 'POST' })).status === 200;
      }
    }
  }

  /** Applies a correction over both documents; allowed only if the server stores both changes. */
  async function tryApplyCorrection(room: string, token: string, id: string, context: ReturnType<typeof contextOf>): Promise<boolean> {
    const [annotations, text] = [await connect(room, 'annotations', token), await connect(room, 'text', token)];
    const results: Promise<boolean>[] = [];
    // One local operation writes both documents; each connection sends its document's part.
    const capture = (client: RawClient) => {
      const updates: Uint8Array[] = [];
      const record = (update: Uint8Array, origin: unknown) => origin !== 'server' && updates.push(update);
      client.doc.on('update', record);
      return () => {
        client.doc.off('update', record);
        return Y.mergeUpdates(updates);
      };
    };
    const [stopAnnotations, stopText] = [capture(annotations), capture(text)];
    const applied = applyCorrection(annotations.doc, text.doc, id, context);
    if (!applied.ok) throw new Error(applied.errors.join('; '));
    const parts: [RawClient, Uint8Array][] = [
      [annotations, stopAnnotations()],
      [text, stopText()],
    ];
    for (const [client, update] of parts) {
      results.push(
        (async () => {
          const deniedBefore = client.denied.length;
          client.send(syncUpdateMessage(update));
          await waitUntil(() => client.denied.length > deniedBefore || (client.stored !== null && stateVectorCovers(client.stored, Y.encodeStateVector(client.doc))), 'a verdict');
          return client.denied.length === deniedBefore;
        })(),
      );
    }
    const verdicts = await Promise.all(results);
    return verdicts.every(Boolean);
  }
});
