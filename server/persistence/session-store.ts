import type { Role } from '../../schema/index.ts';
import type { SqlExecutor } from './sql/sql-executor.ts';

/** A session as stored: only the SHA-256 of its token is kept. */
export interface SessionRecord {
  tokenHash: string;
  userId: string;
  room: string;
  role: Role;
  /** Hash of the invite the session was created from; revoking the invite ends the session. */
  inviteHash: string;
  createdAt: number;
  expiresAt: number;
}

interface SessionRow {
  token_hash: string;
  user_id: string;
  room: string;
  role: Role;
  invite_hash: string;
  created_at: number;
  expires_at: number;
}

function fromRow(row: SessionRow): SessionRecord {
  return {
    tokenHash: row.token_hash,
    userId: row.user_id,
    room: row.room,
    role: row.role,
    inviteHash: row.invite_hash,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

/** The `sessions` table. Throws on storage errors. */
export class SessionStore {
  readonly #sql: SqlExecutor;

  constructor(sql: SqlExecutor) {
    this.#sql = sql;
  }

  /** Ends one session (it became part of an account, or its browser signed out). */
  async delete(tokenHash: string): Promise<void> {
    await this.#sql.run('DELETE FROM sessions WHERE token_hash = ?', [tokenHash]);
  }

  /** Deletes every session of a room (the room is being deleted). */
  async deleteForRoom(room: string): Promise<void> {
    await this.#sql.run('DELETE FROM sessions WHERE room = ?', [room]);
  }

  /** Stores a new session. */
  async insert(session: SessionRecord): Promise<void> {
    const s = session;
    await this.#sql.run('INSERT INTO sessions (token_hash, user_id, room, role, invite_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
      s.tokenHash,
      s.userId,
      s.room,
      s.role,
      s.inviteHash,
      s.createdAt,
      s.expiresAt,
    ]);
  }

  /** Returns the session with this token hash, or null (expiry is the caller's check). */
  async findByHash(tokenHash: string): Promise<SessionRecord | null> {
    const row = await this.#sql.get<SessionRow>('SELECT * FROM sessions WHERE token_hash = ?', [tokenHash]);
    return row ? fromRow(row) : null;
  }

  /** When the room session of `userId` ends (a session is one user; epoch ms), or null if it has none. */
  async expiresAtOfUser(userId: string): Promise<number | null> {
    return (await this.#sql.get<{ expires_at: number }>('SELECT expires_at FROM sessions WHERE user_id = ?', [userId]))?.expires_at ?? null;
  }

  /** Deletes sessions that expired before `now`; returns how many. */
  async deleteExpired(now: number): Promise<number> {
    return (await this.#sql.run('DELETE FROM sessions WHERE expires_at < ?', [now])).changes;
  }
}
