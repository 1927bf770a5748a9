import path from 'node:path';
import type { ServerConfig } from '../../config.ts';
import type { Logger } from '../../logger.ts';
import { DATABASE_FILE, openDatabase, openMemoryDatabase } from '../database.ts';
import type { AppDatabase } from '../database.ts';
import { readOrCreateServerSecret } from '../server-secret.ts';
import { openServerStores } from '../server-stores.ts';
import { SqliteExecutor } from '../sql/sqlite-executor.ts';
import { missingDatabaseProblem, storeIdentityProblem } from '../store-identity.ts';
import { lostUpdateLog, openUpdateLog } from '../update-log.ts';
import { WalCheckpointer } from '../wal-checkpointer.ts';
import type { Storage } from '../store-location.ts';

/**
 * Opens DATA_DIR's database, unless its store is lost (store-identity.ts): then an empty one in
 * memory, and why. Nothing is created or written in DATA_DIR for a lost store.
 */
function openStore(config: ServerConfig): { db: AppDatabase; lost: string | null } {
  const missing = missingDatabaseProblem(config.dataDir);
  if (missing) return { db: openMemoryDatabase(), lost: missing };
  const db = openDatabase(config.dataDir, config.synchronous);
  const replaced = storeIdentityProblem(db, config.dataDir);
  if (!replaced) return { db, lost: null };
  db.close();
  return { db: openMemoryDatabase(), lost: replaced };
}

/**
 * The embedded default: one SQLite file in DATA_DIR (WAL), the server secret beside it, the
 * update log on a connection of its own whose commits are fsynced off the event loop
 * (update-log.ts). One server process.
 */
export function openSqliteStorage(config: ServerConfig, log: Pick<Logger, 'error'>, checkpointIntervalMs?: number): Storage {
  const { db, lost } = openStore(config);
  const secret = readOrCreateServerSecret(config.dataDir);
  const updateLog = lost ? lostUpdateLog(db, lost) : openUpdateLog(config.dataDir, config.synchronous, { autoCheckpoint: false });
  // Checkpoints run in a worker thread, never inside a commit on the event loop (wal-checkpointer.ts).
  let checkpointer: WalCheckpointer | null = null;
  if (!lost) {
    db.pragma('wal_autocheckpoint = 0');
    checkpointer = new WalCheckpointer(path.join(config.dataDir, DATABASE_FILE), (error) => log.error('store.checkpoint-failed', { error }), checkpointIntervalMs);
  }
  return {
    location: { engine: 'sqlite', dataDir: config.dataDir },
    stores: openServerStores(new SqliteExecutor(db)),
    updateLog,
    secret,
    lost,
    ...(checkpointer ? { checkpoint: async () => void (await checkpointer.checkpointNow()) } : {}),
    close: async () => {
      await checkpointer?.close();
      await updateLog.close();
      db.close();
    },
  };
}
