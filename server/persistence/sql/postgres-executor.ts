import { AsyncLocalStorage } from 'node:async_hooks';
import type { Pool, PoolClient } from 'pg';
import type { RunResult, SqlExecutor, TransactionOptions } from './sql-executor.ts';

/**
 * `SqlExecutor` over a `pg` pool. Statements written with `?` placeholders are numbered
 * (`$1`, `$2`, …) once and cached. Statements from inside a transaction's async context run on
 * that transaction's connection (as SQLite's do, sqlite-executor.ts), so a helper called within
 * a transaction never waits on another connection for a row the transaction itself locked.
 *
 * Transactions are SERIALIZABLE unless asked otherwise: the stores were written against SQLite,
 * where writers never interleave, and check-then-insert code (an e-mail not taken yet, a room id
 * still free) stays correct only so. PostgreSQL then aborts one of two conflicting transactions;
 * it is run again, up to `MAX_ATTEMPTS` times.
 */

const MAX_ATTEMPTS = 5;
/** serialization_failure, deadlock_detected, unique_violation (a check-then-insert that lost the race: run again, it sees the row). */
const RETRYABLE = new Set(['40001', '40P01', '23505']);

interface OpenTransaction {
  pool: Pool;
  executor: PostgresExecutor;
}

const inTransaction = new AsyncLocalStorage<OpenTransaction>();
const numbered = new Map<string, string>();

/** Rewrites `?` placeholders as `$1, $2, …`, leaving quoted text alone. */
export function numberPlaceholders(sql: string): string {
  let text = numbered.get(sql);
  if (text !== undefined) return text;
  let n = 0;
  let quote: string | null = null;
  let out = '';
  for (const char of sql) {
    if (quote) {
      if (char === quote) quote = null;
      out += char;
    } else if (char === "'" || char === '"') {
      quote = char;
      out += char;
    } else {
      out += char === '?' ? `$${++n}` : char;
    }
  }
  numbered.set(sql, (text = out));
  return text;
}

/** `pg` sends Buffers as bytea; other views of bytes are sent as the bytes they show. */
function sendable(params: readonly unknown[]): unknown[] {
  return params.map((value) => (value instanceof Uint8Array && !Buffer.isBuffer(value) ? Buffer.from(value.buffer, value.byteOffset, value.byteLength) : value));
}

const BEGIN: Record<NonNullable<TransactionOptions['isolation']>, string> = {
  serializable: 'BEGIN ISOLATION LEVEL SERIALIZABLE',
  'read-committed': 'BEGIN ISOLATION LEVEL READ COMMITTED',
  snapshot: 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
};

function retryable(error: unknown): boolean {
  return RETRYABLE.has((error as { code?: string } | null)?.code ?? '');
}

/** Runs SQL on a PostgreSQL pool, or (bound) on one transaction's connection. */
export class PostgresExecutor implements SqlExecutor {
  readonly dialect = 'postgres' as const;
  readonly pool: Pool;
  readonly #client: PoolClient | null;

  constructor(pool: Pool, client: PoolClient | null = null) {
    this.pool = pool;
    this.#client = client;
  }

  async all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    const result = await this.#queryable().query(numberPlaceholders(sql), sendable(params));
    return result.rows as T[];
  }

  async get<T>(sql: string, params: readonly unknown[] = []): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<RunResult> {
    const result = await this.#queryable().query(numberPlaceholders(sql), sendable(params));
    return { changes: result.rowCount ?? 0 };
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const open = this.#joinable();
    if (open) return fn(open);
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      let broken: Error | undefined;
      // A checked-out connection that fails reports here, not to the pool: without a listener the
      // error would end the process (PostgreSQL restarting, the network gone).
      const failed = (error: Error) => (broken = error);
      client.on('error', failed);
      try {
        await client.query(BEGIN[options.isolation ?? 'serializable']);
        const tx = new PostgresExecutor(this.pool, client);
        const result = await inTransaction.run({ pool: this.pool, executor: tx }, () => fn(tx));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackError) {
          // The connection itself failed: the pool must not hand it out again.
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        }
        if (attempt < MAX_ATTEMPTS && retryable(error)) continue;
        throw error;
      } finally {
        client.off('error', failed);
        client.release(broken);
      }
    }
  }

  async tryTransactionLock(key: string): Promise<boolean> {
    if (!this.#joinable()) throw new RangeError(`tryTransactionLock(${key}) outside a transaction: the lock would be released at once`);
    const row = await this.get<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock(hashtextextended(?, 0)) AS locked', [key]);
    return row?.locked === true;
  }

  async whileHolding<T>(key: string, fn: () => Promise<T>): Promise<{ held: true; value: T } | { held: false }> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    const failed = (error: Error) => (broken = error);
    client.on('error', failed);
    try {
      const locked = (await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked', [key])).rows[0]?.locked === true;
      if (!locked) return { held: false };
      try {
        return { held: true, value: await fn() };
      } finally {
        try {
          await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]);
        } catch (error) {
          // Not unlocked: the connection must close, which releases the lock.
          broken = error instanceof Error ? error : new Error(String(error));
        }
      }
    } finally {
      client.off('error', failed);
      client.release(broken);
    }
  }

  /** The transaction executor this call belongs to, if any. */
  #joinable(): PostgresExecutor | null {
    if (this.#client) return this;
    const open = inTransaction.getStore();
    return open && open.pool === this.pool ? open.executor : null;
  }

  #queryable(): Pool | PoolClient {
    const open = this.#joinable();
    return (open ? open.#client : null) ?? this.pool;
  }
}
