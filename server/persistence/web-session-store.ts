import type { Statement } from 'better-sqlite3';
import type { AppDatabase } from './database.ts';

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

/** The `web_sessions` table. Synchronous; throws on storage errors. */
export class WebSessionStore {
  readonly #insert: Statement<[string, string, number, number]>;
  readonly #select: Statement<[string], WebSessionRow>;
  readonly #delete: Statement<[string]>;
  readonly #deleteOfUser: Statement<[string]>;
  readonly #deleteExpired: Statement<[number]>;
  readonly #countOfUser: Statement<[string, number], { n: number }>;

  constructor(db: AppDatabase) {
    this.#insert = db.prepare('INSERT INTO web_sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)');
    this.#select = db.prepare('SELECT * FROM web_sessions WHERE token_hash = ?');
    this.#delete = db.prepare('DELETE FROM web_sessions WHERE token_hash = ?');
    this.#deleteOfUser = db.prepare('DELETE FROM web_sessions WHERE user_id = ?');
    this.#deleteExpired = db.prepare('DELETE FROM web_sessions WHERE expires_at < ?');
    this.#countOfUser = db.prepare('SELECT count(*) AS n FROM web_sessions WHERE user_id = ? AND expires_at > ?');
  }

  /** Stores a new session. */
  insert(session: WebSessionRecord): void {
    this.#insert.run(session.tokenHash, session.userId, session.createdAt, session.expiresAt);
  }

  /** Returns the session with this token hash, or null (expiry is the caller's check). */
  findByHash(tokenHash: string): WebSessionRecord | null {
    const row = this.#select.get(tokenHash);
    return row ? { tokenHash: row.token_hash, userId: row.user_id, createdAt: row.created_at, expiresAt: row.expires_at } : null;
  }

  /** Ends one session (sign out). */
  delete(tokenHash: string): void {
    this.#delete.run(tokenHash);
  }

  /** Ends every session of a user (sign out everywhere, a password change); returns how many. */
  deleteAllOf(userId: string): number {
    return this.#deleteOfUser.run(userId).changes;
  }

  /** Deletes sessions that expired before `now`; returns how many. */
  deleteExpired(now: number): number {
    return this.#deleteExpired.run(now).changes;
  }

  /** How many unexpired sessions a user has (the account page says so). */
  countActive(userId: string, now: number): number {
    return this.#countOfUser.get(userId, now)?.n ?? 0;
  }
}
