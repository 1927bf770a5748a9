import type { Statement } from 'better-sqlite3';
import type { Role } from '../../schema/index.ts';
import type { AppDatabase } from './database.ts';

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

/** The `sessions` table. Synchronous; throws on storage errors. */
export class SessionStore {
  readonly #insert: Statement<[string, string, string, string, string, number, number]>;
  readonly #select: Statement<[string], SessionRow>;
  readonly #deleteExpired: Statement<[number]>;
  readonly #delete: Statement<[string]>;
  readonly #deleteOfRoom: Statement<[string]>;

  constructor(db: AppDatabase) {
    this.#insert = db.prepare(
      'INSERT INTO sessions (token_hash, user_id, room, role, invite_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.#select = db.prepare('SELECT * FROM sessions WHERE token_hash = ?');
    this.#deleteExpired = db.prepare('DELETE FROM sessions WHERE expires_at < ?');
    this.#delete = db.prepare('DELETE FROM sessions WHERE token_hash = ?');
    this.#deleteOfRoom = db.prepare('DELETE FROM sessions WHERE room = ?');
  }

  /** Ends one session (it became part of an account, or its browser signed out). */
  delete(tokenHash: string): void {
    this.#delete.run(tokenHash);
  }

  /** Deletes every session of a room (the room is being deleted). */
  deleteForRoom(room: string): void {
    this.#deleteOfRoom.run(room);
  }

  /** Stores a new session. */
  insert(session: SessionRecord): void {
    const s = session;
    this.#insert.run(s.tokenHash, s.userId, s.room, s.role, s.inviteHash, s.createdAt, s.expiresAt);
  }

  /** Returns the session with this token hash, or null (expiry is the caller's check). */
  findByHash(tokenHash: string): SessionRecord | null {
    const row = this.#select.get(tokenHash);
    if (!row) return null;
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

  /** Deletes sessions that expired before `now`; returns how many. */
  deleteExpired(now: number): number {
    return this.#deleteExpired.run(now).changes;
  }
}
