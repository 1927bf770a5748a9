import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Logger } from '../../logger.ts';
import { openServerStores } from '../server-stores.ts';
import type { ServerStores } from '../server-stores.ts';
import { PostgresExecutor } from '../sql/postgres-executor.ts';
import type { Storage } from '../store-location.ts';
import { migratePostgres } from './postgres-schema.ts';

/** OID of PostgreSQL's int8: counts, ids and epoch-millisecond times, read as numbers (exact below 2^53). */
const INT8_OID = 20;

/** Type parsers of the pool: BIGINT as a JavaScript number, everything else as `pg` reads it. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser,
};

/** Options of a PostgreSQL store. */
export interface PostgresStorageOptions {
  url: string;
  /** Connections the pool keeps at most (PG_POOL_SIZE). */
  poolSize: number;
  log: Logger;
}

/** A pool on `url` whose idle-connection errors are logged rather than fatal. */
export function openPostgresPool(url: string, poolSize: number, log: Pick<Logger, 'error'>): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types, connectionTimeoutMillis: 10_000 });
  // A connection that fails while idle (the server restarted) is dropped by the pool; without a
  // listener the event would end the process.
  pool.on('error', (error) => log.error('store.connection-lost', { error }));
  return pool;
}

/** The secret every process shares (derived invite links, the admin token), made once by whichever process starts first. */
async function sharedSecret(stores: ServerStores): Promise<Buffer> {
  await stores.sql.run('INSERT INTO server_secret (singleton, secret) VALUES (1, ?) ON CONFLICT (singleton) DO NOTHING', [randomBytes(32).toString('hex')]);
  const row = await stores.sql.get<{ secret: string }>('SELECT secret FROM server_secret WHERE singleton = 1');
  if (!row || !/^[0-9a-f]{64}$/.test(row.secret)) throw new Error('the database holds no valid server secret (table server_secret)');
  return Buffer.from(row.secret, 'hex');
}

/**
 * Several server processes over one PostgreSQL database (DATABASE_URL): the schema migrated
 * (one process at a time), the stores and the update log on one pool. A commit is durable when
 * it returns (PostgreSQL's default `synchronous_commit = on`), so nothing waits for an fsync of
 * ours before acknowledging.
 */
export async function openPostgresStorage(options: PostgresStorageOptions): Promise<Storage> {
  const pool = openPostgresPool(options.url, options.poolSize, options.log);
  try {
    const client = await pool.connect();
    try {
      await migratePostgres(client);
    } finally {
      client.release();
    }
    const stores = openServerStores(new PostgresExecutor(pool));
    return {
      location: { engine: 'postgres', url: options.url },
      stores,
      updateLog: { store: stores.updates, file: null, close: async () => {} },
      secret: await sharedSecret(stores),
      lost: null,
      close: () => pool.end(),
    };
  } catch (error) {
    await pool.end();
    throw error;
  }
}
