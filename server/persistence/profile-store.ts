import type { SqlExecutor } from './sql/sql-executor.ts';
import { placeholders } from './sql/sql-executor.ts';

/** The `user_profiles` table: display names chosen by users, keyed by user id. */
export class ProfileStore {
  readonly #sql: SqlExecutor;

  constructor(sql: SqlExecutor) {
    this.#sql = sql;
  }

  /** Returns the display name a user chose, or null if they never chose one. */
  async getName(userId: string): Promise<string | null> {
    return (await this.#sql.get<{ name: string }>('SELECT name FROM user_profiles WHERE user_id = ?', [userId]))?.name ?? null;
  }

  /** Returns the names chosen by those of `userIds` who chose one. */
  async getNames(userIds: readonly string[]): Promise<Map<string, string>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.#sql.all<{ user_id: string; name: string }>(`SELECT user_id, name FROM user_profiles WHERE user_id IN (${placeholders(userIds.length)})`, userIds);
    return new Map(rows.map((row) => [row.user_id, row.name]));
  }

  /** Records a user's display name (already validated by the caller). */
  async setName(userId: string, name: string): Promise<void> {
    await this.#sql.run(
      `INSERT INTO user_profiles (user_id, name, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at`,
      [userId, name, Date.now()],
    );
  }
}
