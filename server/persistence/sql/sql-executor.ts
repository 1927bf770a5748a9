/**
 * The one seam between the stores and a database engine (docs/several-servers.md). Every store
 * of `server/persistence` speaks SQL through this interface, so the same store code runs on
 * SQLite (better-sqlite3, the embedded default) and on PostgreSQL (`pg`, for several server
 * processes). Statements use `?` placeholders and the SQL both engines agree on; where they
 * differ, a store asks `dialect` (see `greatest`).
 */

/** Which engine runs the SQL. */
export type SqlDialect = 'sqlite' | 'postgres';

/** What a statement that returns no rows reports. */
export interface RunResult {
  /** Rows inserted, updated or deleted. */
  changes: number;
}

/** How a transaction isolates itself from concurrent ones (PostgreSQL; SQLite always serializes writers). */
export type TransactionIsolation = 'serializable' | 'read-committed' | 'snapshot';

/** Options of `SqlExecutor.transaction`. */
export interface TransactionOptions {
  /**
   * `serializable` (default): as if transactions ran one after another; PostgreSQL may abort one,
   * which is then run again (the callback must be safe to repeat). `read-committed`: each statement
   * sees what was committed before it (the update log: row locks order the appends).
   * `snapshot`: one consistent view for reads.
   */
  isolation?: TransactionIsolation;
}

/** Runs SQL on one database: a connection pool, or one transaction of it. */
export interface SqlExecutor {
  readonly dialect: SqlDialect;
  /** Every row a statement returns. */
  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** The first row a statement returns, or undefined. */
  get<T>(sql: string, params?: readonly unknown[]): Promise<T | undefined>;
  /** Runs a statement that returns no rows. */
  run(sql: string, params?: readonly unknown[]): Promise<RunResult>;
  /**
   * Runs `fn` in one transaction: everything it does through `tx` is stored, or nothing is (an
   * error rolls back and is rethrown). Store calls made from inside `fn`'s asynchronous context
   * through this executor join the transaction too, and a transaction started there is the
   * same one, so helpers that take the executor they were given compose.
   */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /**
   * Inside a transaction: takes the lock named `key` until the transaction ends, unless another
   * transaction holds it (then false, at once). PostgreSQL: an advisory lock, released by the
   * server when the transaction or its connection ends, so a process that dies holding it holds
   * nothing. SQLite: always true (one process writes, and one writer at a time).
   */
  tryTransactionLock(key: string): Promise<boolean>;
  /**
   * Runs `fn` holding the lock named `key` (outside any transaction), unless another process
   * holds it: then `{held: false}` at once, and `fn` does not run. PostgreSQL: a session advisory
   * lock on a connection of its own, released when `fn` ends, or by the server when the process
   * dies. SQLite: `fn` always runs (one process; it coordinates its own work).
   */
  whileHolding<T>(key: string, fn: () => Promise<T>): Promise<{ held: true; value: T } | { held: false }>;
}

/** SQL for the larger of two values (`max(a, b)` in SQLite, `GREATEST(a, b)` in PostgreSQL). */
export function greatest(dialect: SqlDialect, a: string, b: string): string {
  return dialect === 'sqlite' ? `max(${a}, ${b})` : `GREATEST(${a}, ${b})`;
}

/** `?, ?, …` for `count` values (an IN list or a VALUES row). */
export function placeholders(count: number): string {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`a placeholder list needs at least one value, got ${count}`);
  return new Array<string>(count).fill('?').join(', ');
}
