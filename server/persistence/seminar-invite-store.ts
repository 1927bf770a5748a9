import type { Role } from '../../schema/index.ts';
import type { SqlExecutor } from './sql/sql-executor.ts';

/** A seminar invite link as stored: only the SHA-256 of its token is kept. */
export interface SeminarInviteRecord {
  tokenHash: string;
  seminarId: string;
  role: Role;
  label: string | null;
  createdAt: number;
  createdBy: string;
  /** Epoch ms after which the link no longer admits anyone, or null for never. */
  expiresAt: number | null;
  revoked: boolean;
}

interface SeminarInviteRow {
  token_hash: string;
  seminar_id: string;
  role: Role;
  label: string | null;
  created_at: number;
  created_by: string;
  expires_at: number | null;
  revoked: number;
}

function fromRow(row: SeminarInviteRow): SeminarInviteRecord {
  return {
    tokenHash: row.token_hash,
    seminarId: row.seminar_id,
    role: row.role,
    label: row.label,
    createdAt: row.created_at,
    createdBy: row.created_by,
    expiresAt: row.expires_at,
    revoked: row.revoked !== 0,
  };
}

/** The `seminar_invites` table. Throws on storage errors. */
export class SeminarInviteStore {
  readonly #sql: SqlExecutor;

  constructor(sql: SqlExecutor) {
    this.#sql = sql;
  }

  /** Stores a new invite link. */
  async insert(invite: Omit<SeminarInviteRecord, 'revoked'>): Promise<void> {
    await this.#sql.run('INSERT INTO seminar_invites (token_hash, seminar_id, role, label, created_at, created_by, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
      invite.tokenHash,
      invite.seminarId,
      invite.role,
      invite.label,
      invite.createdAt,
      invite.createdBy,
      invite.expiresAt,
    ]);
  }

  /** Returns the invite with this token hash, or null. */
  async findByHash(tokenHash: string): Promise<SeminarInviteRecord | null> {
    const row = await this.#sql.get<SeminarInviteRow>('SELECT * FROM seminar_invites WHERE token_hash = ?', [tokenHash]);
    return row ? fromRow(row) : null;
  }

  /** A seminar's invite links, newest first. */
  async listForSeminar(seminarId: string): Promise<SeminarInviteRecord[]> {
    return (await this.#sql.all<SeminarInviteRow>('SELECT * FROM seminar_invites WHERE seminar_id = ? ORDER BY created_at DESC', [seminarId])).map(fromRow);
  }

  /** Marks an invite link revoked: it admits nobody from now on. */
  async revoke(tokenHash: string): Promise<void> {
    await this.#sql.run('UPDATE seminar_invites SET revoked = 1 WHERE token_hash = ?', [tokenHash]);
  }
}
