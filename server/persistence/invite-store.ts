import type { Role } from '../../schema/index.ts';
import type { SqlExecutor } from './sql/sql-executor.ts';

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

/** The `invites` table. Throws on storage errors. */
export class InviteStore {
  readonly #sql: SqlExecutor;

  constructor(sql: SqlExecutor) {
    this.#sql = sql;
  }

  /** Deletes every invite of a room (the room is being deleted; its sessions must be gone first). */
  async deleteForRoom(room: string): Promise<void> {
    await this.#sql.run('DELETE FROM invites WHERE room = ?', [room]);
  }

  /** Inserts an invite unless one with the same token hash exists. */
  async insert(invite: Omit<InviteRecord, 'revoked'>): Promise<void> {
    // DO NOTHING: derived invites are re-inserted on every start and must keep their revoked flag.
    await this.#sql.run('INSERT INTO invites (token_hash, room, role, created_at, expires_at, label) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (token_hash) DO NOTHING', [
      invite.tokenHash,
      invite.room,
      invite.role,
      invite.createdAt,
      invite.expiresAt,
      invite.label,
    ]);
  }

  /** Returns the invite with this token hash, or null. */
  async findByHash(tokenHash: string): Promise<InviteRecord | null> {
    const row = await this.#sql.get<InviteRow>('SELECT * FROM invites WHERE token_hash = ?', [tokenHash]);
    return row ? fromRow(row) : null;
  }

  /** Returns a room's invites, oldest first. */
  async listForRoom(room: string): Promise<InviteRecord[]> {
    return (await this.#sql.all<InviteRow>('SELECT * FROM invites WHERE room = ? ORDER BY created_at', [room])).map(fromRow);
  }

  /** Marks an invite revoked; sessions created from it stop working at their next lookup. */
  async revoke(tokenHash: string): Promise<void> {
    await this.#sql.run('UPDATE invites SET revoked = 1 WHERE token_hash = ?', [tokenHash]);
  }
}
