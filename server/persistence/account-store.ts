import type { SqlExecutor } from './sql/sql-executor.ts';

/** An account as stored. Its display name lives in `user_profiles`, like a guest's. */
export interface AccountRecord {
  /** The person's user id (`u-` and 16 hex digits); a guest who signs up keeps theirs. */
  userId: string;
  /** The address the person signs in with, or null for a single-sign-on account without one. */
  email: string | null;
  /** `scrypt$…` (passwords.ts), or null for an account that signs in only through single sign-on. */
  passwordHash: string | null;
  isAdmin: boolean;
  createdAt: number;
}

interface AccountRow {
  user_id: string;
  email: string | null;
  password_hash: string | null;
  is_admin: number;
  created_at: number;
}

function fromRow(row: AccountRow): AccountRecord {
  return { userId: row.user_id, email: row.email, passwordHash: row.password_hash, isAdmin: row.is_admin !== 0, createdAt: row.created_at };
}

/**
 * The `accounts`, `account_logins` (single-sign-on subjects) and `identity_links` (guest
 * identities that became part of an account) tables. Throws on storage errors.
 */
export class AccountStore {
  readonly #sql: SqlExecutor;

  constructor(sql: SqlExecutor) {
    this.#sql = sql;
  }

  /** Inserts an account; throws on a taken user id or email (callers check inside their transaction). */
  async insert(account: AccountRecord): Promise<void> {
    await this.#sql.run('INSERT INTO accounts (user_id, email, password_hash, is_admin, created_at) VALUES (?, ?, ?, ?, ?)', [
      account.userId,
      account.email,
      account.passwordHash,
      account.isAdmin ? 1 : 0,
      account.createdAt,
    ]);
  }

  /** Returns the account of a user id, or null (a guest, or nobody). */
  async get(userId: string): Promise<AccountRecord | null> {
    const row = await this.#sql.get<AccountRow>('SELECT * FROM accounts WHERE user_id = ?', [userId]);
    return row ? fromRow(row) : null;
  }

  /** Returns the account signing in with `email` (compared case-insensitively), or null. */
  async findByEmail(email: string): Promise<AccountRecord | null> {
    const row = await this.#sql.get<AccountRow>('SELECT * FROM accounts WHERE lower(email) = lower(?)', [email]);
    return row ? fromRow(row) : null;
  }

  /** Replaces an account's password hash. */
  async setPasswordHash(userId: string, passwordHash: string, now: number): Promise<void> {
    await this.#sql.run('UPDATE accounts SET password_hash = ?, password_changed_at = ? WHERE user_id = ?', [passwordHash, now, userId]);
  }

  /** How many administrators exist (first start: none, and the setup link works). */
  async countAdmins(): Promise<number> {
    return (await this.#sql.get<{ n: number }>('SELECT count(*) AS n FROM accounts WHERE is_admin = 1'))?.n ?? 0;
  }

  /** Records that the single-sign-on subject `(issuer, subject)` is this account. */
  async addLogin(issuer: string, subject: string, userId: string, now: number): Promise<void> {
    await this.#sql.run('INSERT INTO account_logins (issuer, subject, user_id, created_at) VALUES (?, ?, ?, ?)', [issuer, subject, userId, now]);
  }

  /** Returns the account of a single-sign-on subject, or null. */
  async findByLogin(issuer: string, subject: string): Promise<AccountRecord | null> {
    const row = await this.#sql.get<AccountRow>('SELECT a.* FROM account_logins l JOIN accounts a ON a.user_id = l.user_id WHERE l.issuer = ? AND l.subject = ?', [issuer, subject]);
    return row ? fromRow(row) : null;
  }

  /** Makes `aliasId` (a former guest's user id) part of the account `userId`. */
  async link(aliasId: string, userId: string, now: number): Promise<void> {
    await this.#sql.run('INSERT INTO identity_links (alias_id, user_id, linked_at) VALUES (?, ?, ?) ON CONFLICT (alias_id) DO NOTHING', [aliasId, userId, now]);
  }

  /** Returns the former guest identities that are part of an account, oldest first. */
  async aliasesOf(userId: string): Promise<string[]> {
    return (await this.#sql.all<{ alias_id: string }>('SELECT alias_id FROM identity_links WHERE user_id = ? ORDER BY linked_at', [userId])).map((row) => row.alias_id);
  }

  /** Returns the account a former guest identity belongs to, or null. */
  async accountOfAlias(aliasId: string): Promise<string | null> {
    return (await this.#sql.get<{ user_id: string }>('SELECT user_id FROM identity_links WHERE alias_id = ?', [aliasId]))?.user_id ?? null;
  }
}
