import type { Statement } from 'better-sqlite3';
import type { Role } from '../../schema/index.ts';
import type { AppDatabase } from './database.ts';

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

/** The `seminar_invites` table. Synchronous; throws on storage errors. */
export class SeminarInviteStore {
  readonly #insert: Statement<[string, string, string, string | null, number, string, number | null]>;
  readonly #select: Statement<[string], SeminarInviteRow>;
  readonly #bySeminar: Statement<[string], SeminarInviteRow>;
  readonly #revoke: Statement<[string]>;

  constructor(db: AppDatabase) {
    this.#insert = db.prepare('INSERT INTO seminar_invites (token_hash, seminar_id, role, label, created_at, created_by, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.#select = db.prepare('SELECT * FROM seminar_invites WHERE token_hash = ?');
    this.#bySeminar = db.prepare('SELECT * FROM seminar_invites WHERE seminar_id = ? ORDER BY created_at DESC');
    this.#revoke = db.prepare('UPDATE seminar_invites SET revoked = 1 WHERE token_hash = ?');
  }

  /** Stores a new invite link. */
  insert(invite: Omit<SeminarInviteRecord, 'revoked'>): void {
    this.#insert.run(invite.tokenHash, invite.seminarId, invite.role, invite.label, invite.createdAt, invite.createdBy, invite.expiresAt);
  }

  /** Returns the invite with this token hash, or null. */
  findByHash(tokenHash: string): SeminarInviteRecord | null {
    const row = this.#select.get(tokenHash);
    return row ? fromRow(row) : null;
  }

  /** A seminar's invite links, newest first. */
  listForSeminar(seminarId: string): SeminarInviteRecord[] {
    return this.#bySeminar.all(seminarId).map(fromRow);
  }

  /** Marks an invite link revoked: it admits nobody from now on. */
  revoke(tokenHash: string): void {
    this.#revoke.run(tokenHash);
  }
}
