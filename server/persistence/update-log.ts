import path from 'node:path';
import type { SynchronousLevel } from '../config.ts';
import { DatabaseFile } from './database-file.ts';
import { DATABASE_FILE, openDatabase } from './database.ts';
import type { AppDatabase } from './database.ts';
import { SqliteExecutor } from './sql/sqlite-executor.ts';
import { UpdateStore } from './update-store.ts';
import { WalSync } from './wal-sync.ts';

/** The collaboration server's connection to the update log, and how its appends become durable. */
export interface UpdateLog {
  store: UpdateStore;
  /**
   * Resolves once what was appended is durable, rejecting when it cannot be: the database file
   * vanished or was replaced (DatabaseFile), or, with `synchronous = FULL`, the fsync of the WAL
   * (off the event loop, see WalSync) failed. Absent where a commit is durable when it returns
   * (PostgreSQL with `synchronous_commit` on).
   */
  syncStored?: (() => Promise<void>) | undefined;
  /** The database file as opened, to check it is still there (null for a store in memory or on a server). */
  file: DatabaseFile | null;
  /** Waits for a running fsync, then closes the connection. */
  close(): Promise<void>;
}

/**
 * Opens a second connection to the SQLite database for the update log, with `synchronous =
 * NORMAL`: its commits reach the WAL without waiting for the disk, so the commit queue can relay
 * right after storing. For FULL, durability moves to `syncStored`, awaited before any
 * acknowledgement, which makes acknowledged updates exactly as durable as FULL made them. Either
 * way `syncStored` also checks that the database file is still the one written to. Every other
 * write (rooms, invites, sessions) keeps the main connection and its configured level.
 */
export function openUpdateLog(dataDir: string, synchronous: SynchronousLevel, options: { autoCheckpoint?: boolean } = {}): UpdateLog {
  const db = openDatabase(dataDir, 'NORMAL');
  // The server checkpoints in a worker thread instead (wal-checkpointer.ts).
  if (options.autoCheckpoint === false) db.pragma('wal_autocheckpoint = 0');
  const walSync = synchronous === 'FULL' ? new WalSync(path.join(dataDir, `${DATABASE_FILE}-wal`)) : null;
  const file = new DatabaseFile(path.join(dataDir, DATABASE_FILE));
  return {
    store: new UpdateStore(new SqliteExecutor(db)),
    syncStored: walSync ? () => walSync.sync().then(() => file.verify()) : () => file.verify(),
    file,
    close: async () => {
      await walSync?.close();
      db.close();
    },
  };
}

/**
 * The update log of a server whose store is lost (store-identity.ts): the in-memory database it
 * runs on, and nothing is ever durable, so nothing is ever acknowledged.
 */
export function lostUpdateLog(db: AppDatabase, problem: string): UpdateLog {
  return {
    store: new UpdateStore(new SqliteExecutor(db)),
    syncStored: () => Promise.reject(new Error(problem)),
    file: null,
    close: async () => {},
  };
}
