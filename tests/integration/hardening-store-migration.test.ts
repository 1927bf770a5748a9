import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { listAnnotations, stateVectorCovers } from '../../schema/index.ts';
import { DATABASE_FILE, schemaVersionBefore } from '../../server/index.ts';
import { annotateAs, inviteUserId } from '../helpers/access-builders.ts';
import { RawClient, waitUntil } from '../helpers/raw-client.ts';
import { storeSnapshotsRaw } from '../helpers/stored-snapshots.ts';
import { startTestServer } from '../helpers/test-server.ts';
import type { TestServer } from '../helpers/test-server.ts';

// The integrity migrations of issue 14 on a store written before them: entries without seqs or
// checksums and a snapshot without a digest are numbered and checksummed as they are (backfilled),
// and the room loads whole, writable, and healthy.

describe('a store written before checksums existed', () => {
  const servers: TestServer[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.stop();
  });

  it('P5: loads whole after the migrations backfill seqs, checksums, heads and the snapshot digest', async () => {
    // Its log stays as written when it stops (as after a crash): the migration must backfill each entry.
    const first = await startTestServer({ foldLogsOnShutdown: false });
    servers.push(first);
    const userId = inviteUserId(first.invites.annotator);
    const writer = await RawClient.connect({ url: first.url, path: `/collab/chapter-5/annotations?token=${first.invites.annotator}&acks=1` });
    await writer.sync();
    for (const note of ['one', 'two', 'three']) {
      writer.change((doc) => annotateAs(doc, { userId, name: `Annotator ${userId.slice(-4)}` }, { note }));
      await waitUntil(() => writer.stored !== null && stateVectorCovers(writer.stored, Y.encodeStateVector(writer.doc)), note);
    }
    writer.close();
    await first.stop({ keepData: true });
    servers.pop();

    // The schema as it was before the integrity migration (server/persistence/database.ts).
    const db = new Database(path.join(first.dataDir, DATABASE_FILE));
    storeSnapshotsRaw(db);
    db.exec(`
      DROP INDEX doc_updates_by_seq;
      ALTER TABLE doc_updates DROP COLUMN seq;
      ALTER TABLE doc_updates DROP COLUMN checksum;
      ALTER TABLE doc_snapshots DROP COLUMN through_seq;
      UPDATE doc_snapshots SET snapshot_sha256 = NULL;
      DROP TABLE doc_heads;
      DROP TABLE doc_quarantine;
      DROP TABLE doc_client_owners;
      DROP TABLE store_identity;
      PRAGMA user_version = ${schemaVersionBefore('CREATE TABLE doc_heads')};
    `);
    db.close();
    // Nor did that version record a store id beside the secret.
    rmSync(path.join(first.dataDir, 'store-id'));

    const server = await startTestServer({ dataDir: first.dataDir });
    servers.push(server);
    const reader = await RawClient.connect({ url: server.url, path: `/collab/chapter-5/annotations?token=${server.invites.owner}&acks=1` });
    await reader.sync();
    expect(listAnnotations(reader.doc).map((a) => a.note).sort()).toEqual(['one', 'three', 'two']);
    expect(reader.notices).toEqual([]);
    reader.change((doc) => annotateAs(doc, { userId: inviteUserId(server.invites.owner), name: `Owner ${inviteUserId(server.invites.owner).slice(-4)}` }, { note: 'four' }));
    await waitUntil(() => reader.stored !== null && stateVectorCovers(reader.stored, Y.encodeStateVector(reader.doc)), 'a new note');
    reader.close();
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const after = new Database(path.join(first.dataDir, DATABASE_FILE), { readonly: true });
    const rows = after.prepare("SELECT seq, checksum IS NOT NULL AS summed FROM doc_updates WHERE doc = 'chapter-5/annotations' ORDER BY id").all();
    expect(rows).toEqual([1, 2, 3, 4].map((seq) => ({ seq, summed: 1 })));
    expect(after.prepare("SELECT count(*) AS n FROM doc_snapshots WHERE snapshot_sha256 IS NULL").get()).toEqual({ n: 0 });
    after.close();
  });
});
