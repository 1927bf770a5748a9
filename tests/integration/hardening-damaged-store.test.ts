import Database from 'better-sqlite3';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { COLLAB_CLOSE, listAnnotations } from '../../schema/index.ts';
import { createCollectingLogger, DATABASE_FILE, startServer } from '../../server/index.ts';
import type { RunningServer } from '../../server/index.ts';
import { annotateAs } from '../helpers/access-builders.ts';
import { inviteActor, storedAll, TestRig } from '../helpers/hardening-fixtures.ts';
import { rawUpgrade, waitUntil } from '../helpers/raw-client.ts';
import { readStoredSnapshot, writeStoredSnapshot } from '../helpers/stored-snapshots.ts';
import type { TestServer } from '../helpers/test-server.ts';

// P5 of RELIABILITY.md (issue 14, attacks 5 and 6): damaged storage is detected on load and
// never served as if whole; a vanished database is never silently replaced by an empty one;
// health says the store is failing while it fails.

const DOC = 'chapter-5/annotations';

interface Health {
  ok: boolean;
  store: string;
  problems: { kind: string; doc?: string; message: string }[];
}

async function health(server: { url: string }): Promise<{ status: number; body: Health }> {
  const response = await fetch(`${server.url}/healthz`);
  return { status: response.status, body: (await response.json()) as Health };
}

/** Runs `change` on the server's database file (the server is stopped). */
function editDatabase(dataDir: string, change: (db: Database.Database) => void): void {
  const db = new Database(path.join(dataDir, DATABASE_FILE));
  try {
    change(db);
  } finally {
    db.close();
  }
}

/** Flips one letter of `needle` inside a stored blob (the note of an annotation), keeping the length. */
function flipIn(blob: Buffer, needle: string): Buffer {
  const at = blob.indexOf(Buffer.from(needle, 'utf8'));
  if (at < 0) throw new Error(`"${needle}" is not in the blob`);
  const copy = Buffer.from(blob);
  copy[at] = copy[at]! ^ 0x01;
  return copy;
}

describe('P5: damaged and vanished stores', () => {
  const rig = new TestRig();
  afterEach(() => rig.cleanup());
  // Stopped servers leave their logs as written (as a crash does), so that a test can damage an entry.
  const start = (options: Parameters<typeof rig.start>[0] = {}) => rig.start({ foldLogsOnShutdown: false, ...options });
  const connect = (server: TestServer, token: string, sync = true) => rig.connect(server, token, { sync });
  const author = (server: TestServer) => inviteActor(server.invites.annotator, 'annotator');
  const stored = storedAll;
  /** Writes annotations with these notes, one update each, and stops the server keeping its data. */
  const writeAndStop = async (server: TestServer, notes: string[]) => {
    const writer = await connect(server, server.invites.annotator);
    for (const note of notes) {
      writer.change((doc) => annotateAs(doc, author(server), { note }));
      await waitUntil(() => stored(writer), `“${note}” to be stored`);
    }
    writer.close();
    await rig.stop(server);
  };

  it('P5: serves a room whose log entry has a flipped byte read-only, without that entry, with a notice, and reports it in health', async () => {
    const first = await start();
    await writeAndStop(first, ['first note', 'second note', 'third note']);
    editDatabase(first.dataDir, (db) => {
      const row = db.prepare("SELECT id, update_bytes AS bytes FROM doc_updates WHERE doc = ? AND instr(update_bytes, CAST('second note' AS BLOB)) > 0").get(DOC) as { id: number; bytes: Buffer };
      db.prepare('UPDATE doc_updates SET update_bytes = ? WHERE id = ?').run(flipIn(row.bytes, 'second note'), row.id);
    });

    const server = await start({ dataDir: first.dataDir });
    const reader = await connect(server, server.invites.annotator);
    const notes = listAnnotations(reader.doc).map((a) => a.note);
    expect(notes).toContain('first note');
    expect(notes.some((note) => note.includes('second') || note.includes('recond'))).toBe(false);
    expect(reader.notices).toEqual([{ level: 'error', message: expect.stringMatching(/saved annotations are damaged .*nothing can be changed/) }]);
    reader.change((doc) => annotateAs(doc, author(server), { note: 'written on a damaged room' }));
    const [reason] = await reader.deniedAtLeast(1);
    expect(reason).toMatch(/read-only/);
    const { status, body } = await health(server);
    expect(status).toBe(503);
    expect(body).toMatchObject({ ok: false, store: 'failing', problems: [{ kind: 'damaged', doc: DOC, message: expect.stringMatching(/checksum/) }] });
    expect(server.log.entries.some((e) => e.level === 'error' && e.event === 'store.damaged' && e.fields.doc === DOC)).toBe(true);
  });

  /** A server whose annotation document was folded into a snapshot holding the note “folded note”. */
  const withFoldedSnapshot = async () => {
    const first = await start({ idleUnloadMs: 0 });
    const writer = await connect(first, first.invites.annotator);
    writer.change((doc) => annotateAs(doc, author(first), { note: 'folded note' }));
    await waitUntil(() => stored(writer), 'the first note');
    writer.close();
    await waitUntil(() => first.log.entries.some((e) => e.event === 'store.compacted'), 'the log to be folded into a snapshot');
    return first;
  };
  /** Restarts on `dataDir` and expects the room refused (1011) and reported damaged in health, with a message matching `message`. */
  const expectRefusedAsDamaged = async (dataDir: string, message: RegExp) => {
    const server = await start({ dataDir });
    const refused = await connect(server, server.invites.viewer, false);
    expect((await refused.ended).code).toBe(COLLAB_CLOSE.loadFailed);
    const { status, body } = await health(server);
    expect(status).toBe(503);
    expect(body.problems).toEqual([expect.objectContaining({ kind: 'damaged', doc: DOC, message: expect.stringMatching(message) })]);
  };

  it('P5: refuses a room whose snapshot has a flipped byte, though log entries follow it, and reports it', async () => {
    const first = await withFoldedSnapshot();
    await writeAndStop(first, ['logged after the snapshot']);
    editDatabase(first.dataDir, (db) => {
      // The flip is in the update the stored bytes hold: they still decompress, to other bytes.
      writeStoredSnapshot(db, DOC, flipIn(readStoredSnapshot(db, DOC).raw, 'folded note'));
    });
    await expectRefusedAsDamaged(first.dataDir, /snapshot/);
  });

  it('P5: refuses a room whose compressed snapshot no longer decompresses, and reports it', async () => {
    const first = await withFoldedSnapshot();
    await rig.stop(first);
    editDatabase(first.dataDir, (db) => {
      const { stored: bytes, encoding } = readStoredSnapshot(db, DOC);
      expect(encoding).toBe('brotli');
      // The stored stream cut short: it no longer decompresses at all.
      db.prepare('UPDATE doc_snapshots SET snapshot = ? WHERE doc = ?').run(bytes.subarray(0, Math.floor(bytes.byteLength / 2)), DOC);
    });
    await expectRefusedAsDamaged(first.dataDir, /snapshot.*do not decompress/);
  });

  it('P5: detects a deleted log row as a gap: read-only, reported, never served as whole', async () => {
    const first = await start();
    await writeAndStop(first, ['one', 'two', 'three', 'four']);
    editDatabase(first.dataDir, (db) => {
      const ids = (db.prepare('SELECT id FROM doc_updates WHERE doc = ? ORDER BY id').all(DOC) as { id: number }[]).map((r) => r.id);
      db.prepare('DELETE FROM doc_updates WHERE id = ?').run(ids[1]);
    });
    const server = await start({ dataDir: first.dataDir });
    const reader = await connect(server, server.invites.viewer);
    expect(reader.notices[0]?.message).toMatch(/missing/);
    const { status, body } = await health(server);
    expect(status).toBe(503);
    expect(body.problems[0]).toMatchObject({ kind: 'damaged', doc: DOC, message: expect.stringMatching(/log entries 2 are missing/) });
  });

  it('P5: detects a lost last log row against the head record', async () => {
    const first = await start();
    await writeAndStop(first, ['one', 'two']);
    editDatabase(first.dataDir, (db) => db.prepare('DELETE FROM doc_updates WHERE id = (SELECT max(id) FROM doc_updates WHERE doc = ?)').run(DOC));
    const server = await start({ dataDir: first.dataDir });
    await connect(server, server.invites.viewer);
    expect((await health(server)).body.problems[0]?.message).toMatch(/log entries 2 are missing/);
  });

  it('P5: refuses to serve a DATA_DIR whose database vanished while its secret stayed: health failing, invite links and sockets refused, no empty database made', async () => {
    const first = await start();
    await writeAndStop(first, ['kept only in the vanished database']);
    for (const suffix of ['', '-wal', '-shm']) rmSync(path.join(first.dataDir, DATABASE_FILE + suffix), { force: true });
    const log = createCollectingLogger();
    const server: RunningServer = await startServer({ port: 0, host: '127.0.0.1', dataDir: first.dataDir, logger: log });
    try {
      const { status, body } = await health(server);
      expect(status).toBe(503);
      expect(body.problems).toEqual([expect.objectContaining({ kind: 'database-lost', message: expect.stringMatching(/missing/) })]);
      const invite = await fetch(`${server.url}/r/chapter-5?invite=${encodeURIComponent(first.invites.owner)}`, { redirect: 'manual' });
      expect(invite.status).toBe(503);
      expect(await invite.text()).toMatch(/database is missing/);
      expect((await rawUpgrade(server.url, `/collab/chapter-5/annotations?token=${first.invites.owner}`)).status).toBe(503);
      expect(existsSync(path.join(first.dataDir, DATABASE_FILE))).toBe(false);
      expect(log.entries.some((e) => e.level === 'error' && e.event === 'store.lost')).toBe(true);
    } finally {
      await server.close();
      rmSync(first.dataDir, { recursive: true, force: true });
    }
  });

  it('P5: health says the store is failing while its DATA_DIR is gone, and nothing written meanwhile is acknowledged', async () => {
    const server = await start();
    const writer = await connect(server, server.invites.annotator);
    writer.change((doc) => annotateAs(doc, author(server), { note: 'before' }));
    await waitUntil(() => stored(writer), 'the first note');
    expect((await health(server)).status).toBe(200);
    rmSync(server.dataDir, { recursive: true, force: true });
    const ackBefore = writer.stored;
    writer.change((doc) => annotateAs(doc, author(server), { note: 'into the void' }));
    const { status, body } = await health(server);
    expect(status).toBe(503);
    expect(body.problems.map((p) => p.kind)).toContain('database-vanished');
    await waitUntil(() => server.log.entries.some((e) => e.event === 'store.sync-failed'), 'the commit to fail to become durable');
    expect(writer.stored).toEqual(ackBefore);
  });
});
