import type { ServerConfig } from '../../config.ts';
import { openDatabase, openMemoryDatabase } from '../database.ts';
import type { AppDatabase } from '../database.ts';
import { readOrCreateServerSecret } from '../server-secret.ts';
import { openServerStores } from '../server-stores.ts';
import { SqliteExecutor } from '../sql/sqlite-executor.ts';
import { missingDatabaseProblem, storeIdentityProblem } from '../store-identity.ts';
import { lostUpdateLog, openUpdateLog } from '../update-log.ts';
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
export function openSqliteStorage(config: ServerConfig): Storage {
  const { db, lost } = openStore(config);
  const secret = readOrCreateServerSecret(config.dataDir);
  const updateLog = lost ? lostUpdateLog(db, lost) : openUpdateLog(config.dataDir, config.synchronous);
  return {
    location: { engine: 'sqlite', dataDir: config.dataDir },
    stores: openServerStores(new SqliteExecutor(db)),
    updateLog,
    secret,
    lost,
    close: async () => {
      await updateLog.close();
      db.close();
    },
  };
}
