import Database from 'better-sqlite3';
import path from 'node:path';
import type { ServerConfig } from '../config.ts';
import type { Logger } from '../logger.ts';
import { DATABASE_FILE } from './database.ts';
import { openPostgresPool, openPostgresStorage } from './engines/postgres-storage.ts';
import { openSqliteStorage } from './engines/sqlite-storage.ts';
import { openServerStores } from './server-stores.ts';
import type { ServerStores } from './server-stores.ts';
import { PostgresExecutor } from './sql/postgres-executor.ts';
import { SqliteExecutor } from './sql/sqlite-executor.ts';
import type { Storage, StoreLocation } from './store-location.ts';

export type { Storage, StoreLocation } from './store-location.ts';

/** A store opened to read (worker threads, CLIs): its stores, and how to close it. */
export interface StoreReader {
  stores: ServerStores;
  close(): Promise<void>;
}

/**
 * Opens a store to read it beside a running server: SQLite read-only (WAL lets it read while the
 * server writes; the file must exist), PostgreSQL through a small pool of its own.
 */
export function openStoreReader(location: StoreLocation, log: Pick<Logger, 'error'>): StoreReader {
  if (location.engine === 'postgres') {
    const pool = openPostgresPool(location.url, 2, log);
    return { stores: openServerStores(new PostgresExecutor(pool)), close: () => pool.end() };
  }
  const db = new Database(path.join(location.dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 2000');
  return {
    stores: openServerStores(new SqliteExecutor(db)),
    close: async () => {
      db.close();
    },
  };
}

/** Opens the store the configuration names: PostgreSQL when DATABASE_URL is set, else SQLite in DATA_DIR. */
export async function openStorage(config: ServerConfig, log: Logger): Promise<Storage> {
  if (config.databaseUrl) return openPostgresStorage({ url: config.databaseUrl, poolSize: config.pgPoolSize, log });
  return openSqliteStorage(config, log);
}
