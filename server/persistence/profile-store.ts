import type { Statement } from 'better-sqlite3';
import type { AppDatabase } from './database.ts';

/** The `user_profiles` table: display names chosen by users, keyed by user id. */
export class ProfileStore {
  readonly #select: Statement<[string], { name: string }>;
  readonly #upsert: Statement<[string, string, number]>;

  constructor(db: AppDatabase) {
    this.#select = db.prepare('SELECT name FROM user_profiles WHERE user_id = ?');
    this.#upsert = db.prepare(
      `INSERT INTO user_profiles (user_id, name, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at`,
    );
  }

  /** Returns the display name a user chose, or null if they never chose one. */
  getName(userId: string): string | null {
    return this.#select.get(userId)?.name ?? null;
  }

  /** Records a user's display name (already validated by the caller). */
  setName(userId: string, name: string): void {
    this.#upsert.run(userId, name, Date.now());
  }
}
