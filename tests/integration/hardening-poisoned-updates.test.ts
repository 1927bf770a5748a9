import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listAnnotations } from '../../schema/index.ts';
import { DATABASE_FILE, openDatabase, SqliteExecutor, UpdateStore } from '../../server/index.ts';
import { annotateAs } from '../helpers/access-builders.ts';
import { inviteActor, storedAll, TestRig, updateUnder } from '../helpers/hardening-fixtures.ts';
import { forwardReferenceUpdate } from '../helpers/hostile-updates.ts';
import { syncUpdateMessage, waitUntil } from '../helpers/raw-client.ts';
import type { TestServer } from '../helpers/test-server.ts';

// P1 of RELIABILITY.md (issue 14, attack 1): an annotator re-sends one of its stored updates with
// a struct's origin or parent pointing forward into its own client's clocks. Yjs throws applying
// it; the server must refuse it before storing, acknowledging or relaying it, and a log entry
// that does not load (stored by an older server) must not take the room with it.

const DOC = 'chapter-5/annotations';

describe('P1: updates that do not apply', () => {
  const rig = new TestRig();
  afterEach(() => rig.cleanup());
  const start = (dataDir?: string) => rig.start(dataDir ? { dataDir } : {});
  const connect = (server: TestServer, token: string) => rig.connect(server, token);
  const session = (server: TestServer, role: 'annotator' | 'reviewer') => inviteActor(server.invites[role], role);
  const restart = (server: TestServer) => rig.restart(server);

  /** The number of log rows stored for the annotation document. */
  const logRows = (server: TestServer) => {
    const file = new Database(path.join(server.dataDir, DATABASE_FILE), { readonly: true });
    try {
      return (file.prepare('SELECT count(*) AS n FROM doc_updates WHERE doc = ?').get(DOC) as { n: number }).n;
    } finally {
      file.close();
    }
  };

  for (const field of ['origin', 'parent'] as const) {
    it(`P1: never stores, acknowledges or relays a re-sent update whose ${field} points forward into its own clocks, with or without new content, and the room loads after a restart`, async () => {
      const server = await start();
      const annotator = await connect(server, server.invites.annotator);
      const bystander = await connect(server, server.invites.reviewer);
      let first = '';
      const update = annotator.change((doc) => (first = annotateAs(doc, session(server, 'annotator')).id));
      await waitUntil(() => storedAll(annotator) && bystander.doc.getMap('annotations').has(first), 'the annotation to be stored and relayed');
      const relayedBefore = bystander.frames.length;
      const rowsBefore = logRows(server);

      // The same update re-sent, poisoned: it brings nothing new, so nothing of it is stored.
      annotator.send(syncUpdateMessage(forwardReferenceUpdate(update, { field })));
      // Poisoned again, now with a new annotation of the same client behind it: refused whole.
      let smuggled = '';
      const plus = updateUnder(annotator.doc, annotator.doc.clientID, (doc) => (smuggled = annotateAs(doc, session(server, 'annotator'), { note: 'smuggled' }).id));
      annotator.send(syncUpdateMessage(forwardReferenceUpdate(update, { field, plus })));
      const [reason] = await annotator.deniedAtLeast(1);
      expect(reason).toMatch(/does not apply/);
      expect(logRows(server)).toBe(rowsBefore);

      // A later ordinary change still flows, and is the only thing the bystander received.
      const honest = await connect(server, server.invites.annotator);
      let second = '';
      honest.change((doc) => (second = annotateAs(doc, session(server, 'annotator'), { note: 'after' }).id));
      await waitUntil(() => storedAll(honest) && bystander.doc.getMap('annotations').has(second), 'the next annotation');
      expect(bystander.frames.length - relayedBefore).toBe(1);
      expect(bystander.doc.getMap('annotations').has(smuggled)).toBe(false);
      expect(server.log.entries.filter((e) => e.event === 'collab.apply-failed')).toEqual([]);

      const restarted = await restart(server);
      const reader = await connect(restarted, restarted.invites.viewer);
      expect(listAnnotations(reader.doc).map((a) => a.id).sort()).toEqual([first, second].sort());
      expect((await fetch(`${restarted.url}/api/rooms/chapter-5/export`, { headers: { authorization: `Bearer ${restarted.invites.viewer}` } })).status).toBe(200);
      expect(restarted.log.entries.filter((e) => e.event === 'doc.load-failed' || e.event === 'store.entry-quarantined')).toEqual([]);
    });
  }

  it('P1: quarantines a stored log entry that does not load, loads the rest (later work of others included), reports it and keeps serving', async () => {
    const server = await start();
    const annotator = await connect(server, server.invites.annotator);
    let first = '';
    const update = annotator.change((doc) => (first = annotateAs(doc, session(server, 'annotator')).id));
    await waitUntil(() => storedAll(annotator), 'the annotation to be stored');
    // Another user's later work, made on a replica of the room as it is now.
    let laterId = '';
    const later = updateUnder(annotator.doc, 4242, (doc) => (laterId = annotateAs(doc, session(server, 'reviewer'), { note: 'stored after the poison' }).id));
    await rig.stop(server);

    // What an older server stored: the poisoned re-send, then the reviewer's acknowledged work.
    const db = openDatabase(server.dataDir, 'NORMAL');
    await new UpdateStore(new SqliteExecutor(db)).appendUpdates([
      { docName: DOC, update: forwardReferenceUpdate(update) },
      { docName: DOC, update: later },
    ]);
    db.close();

    const restarted = await start(server.dataDir);
    const reader = await connect(restarted, restarted.invites.viewer);
    expect(listAnnotations(reader.doc).map((a) => a.id).sort()).toEqual([first, laterId].sort());
    expect(restarted.log.entries.some((e) => e.level === 'error' && e.event === 'store.entry-quarantined' && e.fields.doc === DOC)).toBe(true);
    const health = (await (await fetch(`${restarted.url}/healthz`)).json()) as { store: string; problems: { kind: string; doc?: string }[]; quarantinedEntries: number };
    expect(health).toMatchObject({ store: 'failing', quarantinedEntries: 1, problems: [{ kind: 'quarantined', doc: DOC }] });
    const file = new Database(path.join(restarted.dataDir, DATABASE_FILE), { readonly: true });
    expect((file.prepare('SELECT doc, seq FROM doc_quarantine').all() as { doc: string; seq: number }[]).map((r) => r.doc)).toEqual([DOC]);
    file.close();
    // Still writable, and the next restart loads clean.
    const annotator2 = await connect(restarted, restarted.invites.annotator);
    annotator2.change((doc) => annotateAs(doc, session(restarted, 'annotator'), { note: 'after the quarantine' }));
    await waitUntil(() => storedAll(annotator2), 'a new annotation to be stored');
    const again = await restart(restarted);
    const reader2 = await connect(again, again.invites.viewer);
    expect(listAnnotations(reader2.doc)).toHaveLength(3);
    expect((await fetch(`${again.url}/healthz`)).status).toBe(200);
  });
});
