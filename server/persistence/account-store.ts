import type { Statement } from 'better-sqlite3';
import type { AppDatabase } from './database.ts';

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
 * identities that became part of an account) tables. Synchronous; throws on storage errors.
 */
export class AccountStore {
  readonly #insert: Statement<[string, string | null, string | null, number, number]>;
  readonly #byId: Statement<[string], AccountRow>;
  readonly #byEmail: Statement<[string], AccountRow>;
  readonly #setPassword: Statement<[string, number, string]>;
  readonly #countAdmins: Statement<[], { n: number }>;
  readonly #insertLogin: Statement<[string, string, string, number]>;
  readonly #byLogin: Statement<[string, string], AccountRow>;
  readonly #insertLink: Statement<[string, string, number]>;
  readonly #aliases: Statement<[string], { alias_id: string }>;
  readonly #ownerOfAlias: Statement<[string], { user_id: string }>;

  constructor(db: AppDatabase) {
    this.#insert = db.prepare('INSERT INTO accounts (user_id, email, password_hash, is_admin, created_at) VALUES (?, ?, ?, ?, ?)');
    this.#byId = db.prepare('SELECT * FROM accounts WHERE user_id = ?');
    this.#byEmail = db.prepare('SELECT * FROM accounts WHERE email = ?');
    this.#setPassword = db.prepare('UPDATE accounts SET password_hash = ?, password_changed_at = ? WHERE user_id = ?');
    this.#countAdmins = db.prepare('SELECT count(*) AS n FROM accounts WHERE is_admin = 1');
    this.#insertLogin = db.prepare('INSERT INTO account_logins (issuer, subject, user_id, created_at) VALUES (?, ?, ?, ?)');
    this.#byLogin = db.prepare('SELECT a.* FROM account_logins l JOIN accounts a ON a.user_id = l.user_id WHERE l.issuer = ? AND l.subject = ?');
    this.#insertLink = db.prepare('INSERT OR IGNORE INTO identity_links (alias_id, user_id, linked_at) VALUES (?, ?, ?)');
    this.#aliases = db.prepare('SELECT alias_id FROM identity_links WHERE user_id = ? ORDER BY linked_at');
    this.#ownerOfAlias = db.prepare('SELECT user_id FROM identity_links WHERE alias_id = ?');
  }

  /** Inserts an account; throws on a taken user id or email (callers check inside their transaction). */
  insert(account: AccountRecord): void {
    this.#insert.run(account.userId, account.email, account.passwordHash, account.isAdmin ? 1 : 0, account.createdAt);
  }

  /** Returns the account of a user id, or null (a guest, or nobody). */
  get(userId: string): AccountRecord | null {
    const row = this.#byId.get(userId);
    return row ? fromRow(row) : null;
  }

  /** Returns the account signing in with `email` (compared case-insensitively), or null. */
  findByEmail(email: string): AccountRecord | null {
    const row = this.#byEmail.get(email);
    return row ? fromRow(row) : null;
  }

  /** Replaces an account's password hash. */
  setPasswordHash(userId: string, passwordHash: string, now: number): void {
    this.#setPassword.run(passwordHash, now, userId);
  }

  /** How many administrators exist (first start: none, and the setup link works). */
  countAdmins(): number {
    return this.#countAdmins.get()?.n ?? 0;
  }

  /** Records that the single-sign-on subject `(issuer, subject)` is this account. */
  addLogin(issuer: string, subject: string, userId: string, now: number): void {
    this.#insertLogin.run(issuer, subject, userId, now);
  }

  /** Returns the account of a single-sign-on subject, or null. */
  findByLogin(issuer: string, subject: string): AccountRecord | null {
    const row = this.#byLogin.get(issuer, subject);
    return row ? fromRow(row) : null;
  }

  /** Makes `aliasId` (a former guest's user id) part of the account `userId`. */
  link(aliasId: string, userId: string, now: number): void {
    this.#insertLink.run(aliasId, userId, now);
  }

  /** Returns the former guest identities that are part of an account, oldest first. */
  aliasesOf(userId: string): string[] {
    return this.#aliases.all(userId).map((row) => row.alias_id);
  }

  /** Returns the account a former guest identity belongs to, or null. */
  accountOfAlias(aliasId: string): string | null {
    return this.#ownerOfAlias.get(aliasId)?.user_id ?? null;
  }
}
