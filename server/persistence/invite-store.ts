import type { Statement } from 'better-sqlite3';
import type { Role } from '../../schema/index.ts';
import type { AppDatabase } from './database.ts';

/** An invite as stored: only the SHA-256 of its token is kept. */
export interface InviteRecord {
  tokenHash: string;
  room: string;
  role: Role;
  createdAt: number;
  /** Epoch milliseconds after which the invite no longer works, or null for never. */
  expiresAt: number | null;
  revoked: boolean;
  label: string | null;
}

interface InviteRow {
  token_hash: string;
  room: string;
  role: Role;
  created_at: number;
  expires_at: number | null;
  revoked: number;
  label: string | null;
}

function fromRow(row: InviteRow): InviteRecord {
  return {
    tokenHash: row.token_hash,
    room: row.room,
    role: row.role,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revoked: row.revoked !== 0,
    label: row.label,
  };
}

/** The `invites` table. Synchronous; throws on storage errors. */
export class InviteStore {
  readonly #insert: Statement<[string, string, string, number, number | null, string | null]>;
  readonly #select: Statement<[string], InviteRow>;
  readonly #selectByRoom: Statement<[string], InviteRow>;
  readonly #revoke: Statement<[string]>;
  readonly #deleteOfRoom: Statement<[string]>;

  constructor(db: AppDatabase) {
    // OR IGNORE: derived invites are re-inserted on every start and must keep their revoked flag.
    this.#insert = db.prepare(
      'INSERT OR IGNORE INTO invites (token_hash, room, role, created_at, expires_at, label) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.#select = db.prepare('SELECT * FROM invites WHERE token_hash = ?');
    this.#selectByRoom = db.prepare('SELECT * FROM invites WHERE room = ? ORDER BY created_at');
    this.#revoke = db.prepare('UPDATE invites SET revoked = 1 WHERE token_hash = ?');
    this.#deleteOfRoom = db.prepare('DELETE FROM invites WHERE room = ?');
  }

  /** Deletes every invite of a room (the room is being deleted; its sessions must be gone first). */
  deleteForRoom(room: string): void {
    this.#deleteOfRoom.run(room);
  }

  /** Inserts an invite unless one with the same token hash exists. */
  insert(invite: Omit<InviteRecord, 'revoked'>): void {
    this.#insert.run(invite.tokenHash, invite.room, invite.role, invite.createdAt, invite.expiresAt, invite.label);
  }

  /** Returns the invite with this token hash, or null. */
  findByHash(tokenHash: string): InviteRecord | null {
    const row = this.#select.get(tokenHash);
    return row ? fromRow(row) : null;
  }

  /** Returns a room's invites, oldest first. */
  listForRoom(room: string): InviteRecord[] {
    return this.#selectByRoom.all(room).map(fromRow);
  }

  /** Marks an invite revoked; sessions created from it stop working at their next lookup. */
  revoke(tokenHash: string): void {
    this.#revoke.run(tokenHash);
  }
}
