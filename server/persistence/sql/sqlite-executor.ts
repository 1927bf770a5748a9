import { AsyncLocalStorage } from 'node:async_hooks';
import type { Database, Statement } from 'better-sqlite3';
import type { RunResult, SqlExecutor, TransactionOptions } from './sql-executor.ts';

/**
 * `SqlExecutor` over a better-sqlite3 connection. Statements run synchronously (the embedded
 * default keeps its speed); the promise is only the interface's shape.
 *
 * Why a gate: a transaction here spans turns of the microtask queue (its callback awaits store
 * calls), and SQLite has one writer per file. A statement of another request that ran in
 * between would land inside the transaction (committed or rolled back with it), and one on the
 * server's other connection to the same file would find it locked and block the event loop in
 * `busy_timeout`. So every connection of a file in this process shares a gate: while a
 * transaction is open, statements from outside it wait for it to end; statements from inside it
 * (its async context, `AsyncLocalStorage`) run in it.
 */

/** The transactions of one database file in this process: at most one open at a time. */
interface SqliteGate {
  open: Promise<void> | null;
}

interface OpenTransaction {
  gate: SqliteGate;
  db: Database;
  executor: SqliteExecutor;
}

const gates = new Map<string, SqliteGate>();
const inTransaction = new AsyncLocalStorage<OpenTransaction>();
const statementCaches = new WeakMap<Database, Map<string, Statement>>();

function gateOf(db: Database): SqliteGate {
  // An in-memory database is its own file.
  const key = db.memory ? `memory:${Math.random()}` : db.name;
  let gate = gates.get(key);
  if (!gate) {
    gate = { open: null };
    if (!db.memory) gates.set(key, gate);
  }
  return gate;
}

function statementOf(db: Database, sql: string): Statement {
  let cache = statementCaches.get(db);
  if (!cache) statementCaches.set(db, (cache = new Map()));
  let statement = cache.get(sql);
  if (!statement) cache.set(sql, (statement = db.prepare(sql)));
  return statement;
}

/** better-sqlite3 binds Buffers; a Uint8Array view is bound as the bytes it shows. */
function bindable(params: readonly unknown[]): unknown[] {
  return params.map((value) => (value instanceof Uint8Array && !Buffer.isBuffer(value) ? Buffer.from(value.buffer, value.byteOffset, value.byteLength) : value));
}

/** Runs SQL on one better-sqlite3 connection (see the comment above). */
export class SqliteExecutor implements SqlExecutor {
  readonly dialect = 'sqlite' as const;
  readonly db: Database;
  readonly #gate: SqliteGate;
  /** Set on the executor a transaction's callback receives: its statements never wait. */
  readonly #bound: boolean;

  constructor(db: Database, gate: SqliteGate = gateOf(db), bound = false) {
    this.db = db;
    this.#gate = gate;
    this.#bound = bound;
  }

  async all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    await this.#turn();
    const statement = statementOf(this.db, sql);
    if (!statement.reader) throw new TypeError(`all() needs a statement that returns rows: ${sql}`);
    return statement.all(...bindable(params)) as T[];
  }

  async get<T>(sql: string, params: readonly unknown[] = []): Promise<T | undefined> {
    await this.#turn();
    const statement = statementOf(this.db, sql);
    if (!statement.reader) throw new TypeError(`get() needs a statement that returns rows: ${sql}`);
    return statement.get(...bindable(params)) as T | undefined;
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<RunResult> {
    await this.#turn();
    const result = statementOf(this.db, sql).run(...bindable(params));
    return { changes: result.changes };
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const open = this.#joinable();
    if (open) return fn(open.executor);
    while (this.#gate.open) await this.#gate.open;
    let release!: () => void;
    this.#gate.open = new Promise((resolve) => (release = resolve));
    const tx = new SqliteExecutor(this.db, this.#gate, true);
    try {
      // IMMEDIATE: take the write lock now, so a later write cannot fail half-way for it. A
      // snapshot only reads (read-only connections of worker threads too): WAL gives it one view.
      this.db.exec(options.isolation === 'snapshot' ? 'BEGIN' : 'BEGIN IMMEDIATE');
      const result = await inTransaction.run({ gate: this.#gate, db: this.db, executor: tx }, () => fn(tx));
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw error;
    } finally {
      this.#gate.open = null;
      release();
    }
  }

  async tryTransactionLock(_key: string): Promise<boolean> {
    return true;
  }

  async whileHolding<T>(_key: string, fn: () => Promise<T>): Promise<{ held: true; value: T }> {
    return { held: true, value: await fn() };
  }

  /** The open transaction this call belongs to (its async context), if any, on this connection. */
  #joinable(): OpenTransaction | null {
    if (this.#bound) return { gate: this.#gate, db: this.db, executor: this };
    const open = inTransaction.getStore();
    if (!open || open.gate !== this.#gate) return null;
    if (open.db !== this.db) throw new RangeError('a statement on another connection to the same SQLite file was made inside a transaction: it would wait for that transaction forever');
    return open;
  }

  /** Waits until no transaction of another async context is open on this file. */
  async #turn(): Promise<void> {
    if (this.#joinable()) return;
    while (this.#gate.open) await this.#gate.open;
  }
}
