import type { SqlExecutor } from './sql/sql-executor.ts';

/** A browser session of a person (an account or a guest) as stored: only its token's hash. */
export interface WebSessionRecord {
  tokenHash: string;
  userId: string;
  createdAt: number;
  expiresAt: number;
}

interface WebSessionRow {
  token_hash: string;
  user_id: string;
  created_at: number;
  expires_at: number;
}

/** The `web_sessions` table. Throws on storage errors. */
export class WebSessionStore {
  readonly #sql: SqlExecutor;

  constructor(sql: SqlExecutor) {
    this.#sql = sql;
  }

  /** Stores a new session. */
  async insert(session: WebSessionRecord): Promise<void> {
    await this.#sql.run('INSERT INTO web_sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)', [session.tokenHash, session.userId, session.createdAt, session.expiresAt]);
  }

  /** Returns the session with this token hash, or null (expiry is the caller's check). */
  async findByHash(tokenHash: string): Promise<WebSessionRecord | null> {
    const row = await this.#sql.get<WebSessionRow>('SELECT * FROM web_sessions WHERE token_hash = ?', [tokenHash]);
    return row ? { tokenHash: row.token_hash, userId: row.user_id, createdAt: row.created_at, expiresAt: row.expires_at } : null;
  }

  /** Ends one session (sign out). */
  async delete(tokenHash: string): Promise<void> {
    await this.#sql.run('DELETE FROM web_sessions WHERE token_hash = ?', [tokenHash]);
  }

  /** Ends every session of a user (sign out everywhere, a password change); returns how many. */
  async deleteAllOf(userId: string): Promise<number> {
    return (await this.#sql.run('DELETE FROM web_sessions WHERE user_id = ?', [userId])).changes;
  }

  /** Deletes sessions that expired before `now`; returns how many. */
  async deleteExpired(now: number): Promise<number> {
    return (await this.#sql.run('DELETE FROM web_sessions WHERE expires_at < ?', [now])).changes;
  }

  /** How many unexpired sessions a user has (the account page says so). */
  async countActive(userId: string, now: number): Promise<number> {
    return (await this.#sql.get<{ n: number }>('SELECT count(*) AS n FROM web_sessions WHERE user_id = ? AND expires_at > ?', [userId, now]))?.n ?? 0;
  }
}
