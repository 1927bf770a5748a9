import { afterEach, describe, expect, it } from 'vitest';
import { listAnnotations, resolveAnnotation } from '../../schema/index.ts';
import { annotateAs, contextOf } from '../helpers/access-builders.ts';
import { inviteActor, storedAll, TestRig, updateUnder } from '../helpers/hardening-fixtures.ts';
import { syncUpdateMessage, waitUntil } from '../helpers/raw-client.ts';
import type { TestServer } from '../helpers/test-server.ts';

// P2 of RELIABILITY.md (issue 14, attack 2): after a room reloads, an annotator writes under the
// Yjs client id of a reviewer who only ever changed statuses (so created nothing the server
// could learn the id's owner from). Ownership is stored with the updates and survives restarts,
// idle unloads and the compaction an unload makes.

describe('P2: Yjs client ids belong to their user across reloads', () => {
  const rig = new TestRig();
  afterEach(() => rig.cleanup());
  const connect = (server: TestServer, token: string) => rig.connect(server, token);
  const actor = (server: TestServer, role: 'annotator' | 'reviewer') => inviteActor(server.invites[role], role);
  const stored = storedAll;

  /** A reviewer who only resolves an annotation; returns their client id. */
  async function reviewerOnlyResolves(server: TestServer): Promise<{ reviewerId: number; annotationId: string }> {
    const author = await connect(server, server.invites.owner);
    const ownerActor = inviteActor(server.invites.owner, 'owner');
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
    let id = '';
    squatter.send(syncUpdateMessage(updateUnder(squatter.doc, clientId, (doc) => (id = annotateAs(doc, actor(server, 'annotator'), { note: 'under a borrowed id' }).id))));
    // Whatever the answer, a round trip later it has been given.
    const own = squatter.change((doc) => annotateAs(doc, actor(server, 'annotator'), { note: 'own id' }));
    expect(own.byteLength).toBeGreaterThan(0);
    await waitUntil(() => stored(squatter) || squatter.denied.length > 0, 'an answer');
    await waitUntil(() => stored(squatter), 'the squatter’s own annotation');
    return { denied: squatter.denied, id };
  }

  it('P2: refuses an annotator writing under the id of a reviewer who only changed a status, after a restart', async () => {
    const first = await rig.start();
    const { reviewerId } = await reviewerOnlyResolves(first);
    const server = await rig.restart(first);
    const { denied, id } = await writeUnder(server, reviewerId);
    expect(denied).toEqual([`Yjs client id ${reviewerId} writes for another user`]);
    const reader = await connect(server, server.invites.viewer);
    expect(listAnnotations(reader.doc).some((a) => a.id === id)).toBe(false);
  });

  it('P2: refuses it after an idle unload that folded the log into a snapshot, and still lets the owner of the id write under it', async () => {
    const server = await rig.start({ idleUnloadMs: 0 });
    const { reviewerId, annotationId } = await reviewerOnlyResolves(server);
    await waitUntil(() => [...server.collab.registry.docs()].length === 0, 'the room to unload');
    await waitUntil(() => server.log.entries.some((e) => e.event === 'store.compacted'), 'the log to be folded');
    const { denied } = await writeUnder(server, reviewerId);
    expect(denied).toEqual([`Yjs client id ${reviewerId} writes for another user`]);

    // The reviewer's next change under their own id is accepted (their replica reopens the annotation).
    const reviewer = await connect(server, server.invites.reviewer);
    let noteId = '';
    reviewer.send(syncUpdateMessage(updateUnder(reviewer.doc, reviewerId, (doc) => (noteId = annotateAs(doc, actor(server, 'reviewer'), { note: 'the reviewer’s own' }).id))));
    const live = server.collab.registry.open('chapter-5', 'annotations');
    await waitUntil(() => live.state === 'ready' && listAnnotations(live.ydoc).some((a) => a.id === noteId), 'the reviewer’s change to be stored');
    expect(reviewer.denied).toEqual([]);
    expect(annotationId).not.toBe('');
  });
});
