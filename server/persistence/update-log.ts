import path from 'node:path';
import type { SynchronousLevel } from '../config.ts';
import { DATABASE_FILE, openDatabase } from './database.ts';
import { UpdateStore } from './update-store.ts';
import { WalSync } from './wal-sync.ts';

/** The collaboration server's own connection to the update log, and how its appends become durable. */
export interface UpdateLog {
  store: UpdateStore;
  /** With `synchronous = FULL`: fsyncs the WAL off the event loop (see WalSync). Absent for NORMAL. */
  syncStored: (() => Promise<void>) | undefined;
  /** Waits for a running fsync, then closes the connection. */
  close(): Promise<void>;
}

/**
 * Opens a second connection to the database for the update log, with `synchronous = NORMAL`:
 * its commits reach the WAL without waiting for the disk, so the commit queue can relay right
 * after storing. For FULL, durability moves to `syncStored`, awaited before any acknowledgement,
 * which makes acknowledged updates exactly as durable as FULL made them. Every other write
 * (rooms, invites, sessions) keeps the main connection and its configured level.
 */
export function openUpdateLog(dataDir: string, synchronous: SynchronousLevel): UpdateLog {
  const db = openDatabase(dataDir, 'NORMAL');
  const walSync = synchronous === 'FULL' ? new WalSync(path.join(dataDir, `${DATABASE_FILE}-wal`)) : null;
  return {
    store: new UpdateStore(db),
    syncStored: walSync ? () => walSync.sync() : undefined,
    close: async () => {
      await walSync?.close();
      db.close();
    },
  };
}
