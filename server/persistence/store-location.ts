import type { ServerStores } from './server-stores.ts';
import type { UpdateLog } from './update-log.ts';

/**
 * Where a server's store is: a SQLite file in DATA_DIR (the embedded default), or a PostgreSQL
 * database (DATABASE_URL). Plain data, so worker threads and CLIs can open it too.
 */
export type StoreLocation = { engine: 'sqlite'; dataDir: string } | { engine: 'postgres'; url: string };

/** A server's open store: every table group, the update log, the shared secret. */
export interface Storage {
  location: StoreLocation;
  stores: ServerStores;
  /** What the collaboration server appends to, and how its appends become durable. */
  updateLog: UpdateLog;
  /** The server secret (invite links and the admin token are derived from it). */
  secret: Buffer;
  /** Why the store is lost (a SQLite database that vanished: every room refused), or null. */
  lost: string | null;
  /** SQLite: folds the write-ahead log into the database file now, in the checkpointer's thread (wal-checkpointer.ts). */
  checkpoint?: () => Promise<void>;
  close(): Promise<void>;
}
