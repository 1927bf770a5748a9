import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { listAnnotations, resolveAnnotation, stateVectorCovers } from '../../schema/index.ts';
import { annotateAs, contextOf, inviteUserId } from '../helpers/access-builders.ts';
import { RawClient, syncUpdateMessage, waitUntil } from '../helpers/raw-client.ts';
import { startTestServer } from '../helpers/test-server.ts';
import type { TestServer } from '../helpers/test-server.ts';

// P2 of RELIABILITY.md (issue 14, attack 2): after a room reloads, an annotator writes under the
// Yjs client id of a reviewer who only ever changed statuses (so created nothing the server
// could learn the id's owner from). Ownership is stored with the updates and survives restarts,
// idle unloads and the compaction an unload makes.

describe('P2: Yjs client ids belong to their user across reloads', () => {
  const servers: TestServer[] = [];
  const clients: RawClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    for (const server of servers.splice(0)) await server.stop();
  });
  const connect = async (server: TestServer, token: string) => {
    const client = await RawClient.connect({ url: server.url, path: `/collab/chapter-5/annotations?token=${token}&acks=1` });
    clients.push(client);
    await client.sync();
    return client;
  };
  const actor = (server: TestServer, role: 'annotator' | 'reviewer') => {
    const userId = inviteUserId(server.invites[role]);
    return { userId, name: `${role[0]!.toUpperCase()}${role.slice(1)} ${userId.slice(-4)}` };
  };
  const stored = (client: RawClient) => client.stored !== null && stateVectorCovers(client.stored, Y.encodeStateVector(client.doc));

  /** A reviewer who only resolves an annotation; returns their client id. */
  async function reviewerOnlyResolves(server: TestServer): Promise<{ reviewerId: number; annotationId: string }> {
    const author = await connect(server, server.invites.owner);
    const ownerActor = { userId: inviteUserId(server.invites.owner), name: `Owner ${inviteUserId(server.invites.owner).slice(-4)}` };
    let annotationId = '';
    author.change((doc) => (annotationId = annotateAs(doc, ownerActor).id));
    await waitUntil(() => stored(author), 'the owner’s annotation');
    const reviewer = await connect(server, server.invites.reviewer);
    reviewer.change((doc) => {
      const resolved = resolveAnnotation(doc, annotationId, contextOf(actor(server, 'reviewer')));
      if (!resolved.ok) throw new Error(resolved.errors.join('; '));
    });
    await waitUntil(() => stored(reviewer), 'the reviewer’s status change');
    const reviewerId = reviewer.doc.clientID;
    author.close();
    reviewer.close();
    return { reviewerId, annotationId };
  }

  /** An annotator's valid annotation, written under `clientId` on top of the room's state; returns the denials it got. */
  async function writeUnder(server: TestServer, clientId: number): Promise<{ denied: string[]; id: string }> {
    const squatter = await connect(server, server.invites.annotator);
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(squatter.doc));
    replica.clientID = clientId;
    const updates: Uint8Array[] = [];
    replica.on('update', (u: Uint8Array) => updates.push(u));
    const id = annotateAs(replica, actor(server, 'annotator'), { note: 'under a borrowed id' }).id;
    squatter.send(syncUpdateMessage(Y.mergeUpdates(updates)));
    // Whatever the answer, a round trip later it has been given.
    const own = squatter.change((doc) => annotateAs(doc, actor(server, 'annotator'), { note: 'own id' }));
    expect(own.byteLength).toBeGreaterThan(0);
    await waitUntil(() => stored(squatter) || squatter.denied.length > 0, 'an answer');
    await waitUntil(() => stored(squatter), 'the squatter’s own annotation');
    return { denied: squatter.denied, id };
  }

  it('P2: refuses an annotator writing under the id of a reviewer who only changed a status, after a restart', async () => {
    const first = await startTestServer();
    servers.push(first);
    const { reviewerId } = await reviewerOnlyResolves(first);
    await first.stop({ keepData: true });
    servers.pop();
    const server = await startTestServer({ dataDir: first.dataDir });
    servers.push(server);
    const { denied, id } = await writeUnder(server, reviewerId);
    expect(denied).toEqual([`Yjs client id ${reviewerId} writes for another user`]);
    const reader = await connect(server, server.invites.viewer);
    expect(listAnnotations(reader.doc).some((a) => a.id === id)).toBe(false);
  });

  it('P2: refuses it after an idle unload that folded the log into a snapshot, and still lets the owner of the id write under it', async () => {
    const server = await startTestServer({ idleUnloadMs: 0 });
    servers.push(server);
    const { reviewerId, annotationId } = await reviewerOnlyResolves(server);
    await waitUntil(() => [...server.collab.registry.docs()].length === 0, 'the room to unload');
    await waitUntil(() => server.log.entries.some((e) => e.event === 'store.compacted'), 'the log to be folded');
    const { denied } = await writeUnder(server, reviewerId);
    expect(denied).toEqual([`Yjs client id ${reviewerId} writes for another user`]);

    // The reviewer's next change under their own id is accepted (their replica reopens the annotation).
    const reviewer = await connect(server, server.invites.reviewer);
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(reviewer.doc));
    replica.clientID = reviewerId;
    const updates: Uint8Array[] = [];
    replica.on('update', (u: Uint8Array) => updates.push(u));
    const note = annotateAs(replica, actor(server, 'reviewer'), { note: 'the reviewer’s own' });
    reviewer.send(syncUpdateMessage(Y.mergeUpdates(updates)));
    const live = server.collab.registry.open('chapter-5', 'annotations');
    await waitUntil(() => live.state === 'ready' && listAnnotations(live.ydoc).some((a) => a.id === note.id), 'the reviewer’s change to be stored');
    expect(reviewer.denied).toEqual([]);
    expect(annotationId).not.toBe('');
  });
});
