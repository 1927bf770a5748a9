import { randomBytes } from 'node:crypto';
import { rmSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../server/config.ts';
import { DATABASE_FILE } from '../../server/persistence/database.ts';
import { openSqliteStorage } from '../../server/persistence/engines/sqlite-storage.ts';
import type { Storage } from '../../server/persistence/store-location.ts';
import { makeDataDir } from '../helpers/test-server.ts';

// Issue 20, busy room: SQLite checkpointed inside the commit that took the WAL past 1,000 pages,
// on the server's event loop (a copy of the WAL into the database file and two fsyncs), which
// held the loop for over 100 ms when a compaction wrote a snapshot of megabytes. The server's
// connections no longer checkpoint; a worker thread does, on a connection of its own.

describe('WAL checkpoints', () => {
  let storage: Storage | null = null;
  let dataDir = '';
  afterEach(async () => {
    await storage?.close();
    storage = null;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('are never run by a commit of the server, and the WAL still reaches the database file', async () => {
    dataDir = makeDataDir();
    // The periodic checkpoint is an hour away: this test asks for the one it waits for.
    storage = openSqliteStorage({ ...defaultConfig(), dataDir }, { error: () => {} }, 3_600_000);
    await storage.stores.rooms.insert({ id: 'chapter-x', title: 'Chapter X', createdAt: Date.now(), inviteGeneration: 1 });
    await storage.updateLog.store.appendUpdates([{ docName: 'chapter-x/annotations', update: new Uint8Array(randomBytes(16)) }]);
    await storage.updateLog.store.appendUpdates([]);
    const file = path.join(dataDir, DATABASE_FILE);
    const sizeBefore = statSync(file).size;

    // 8 MB through the update log: twice what makes SQLite checkpoint inside a commit by default.
    for (let i = 0; i < 40; i++) {
      await storage.updateLog.store.appendUpdates(Array.from({ length: 50 }, () => ({ docName: 'chapter-x/annotations', update: new Uint8Array(randomBytes(4096)) })));
    }
    // Nothing was copied into the database file by those commits: it is as it was.
    expect(statSync(file).size).toBe(sizeBefore);

    // The worker's checkpoint copies the WAL into the database file.
    await storage.checkpoint!();
    expect(statSync(file).size).toBeGreaterThan(sizeBefore + 8_000_000);
    await storage.close();
    storage = null;

    // Everything is there after the close (the last connection checkpoints what is left).
    const db = new Database(file, { readonly: true });
    try {
      expect((db.prepare('SELECT count(*) AS n FROM doc_updates').get() as { n: number }).n).toBe(2001);
    } finally {
      db.close();
    }
  });
});
