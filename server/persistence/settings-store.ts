import type { SqlExecutor } from './sql/sql-executor.ts';

/** The `settings` table: instance settings the administrator changes in the browser, as text. */
export class SettingsStore {
  readonly #sql: SqlExecutor;

  constructor(sql: SqlExecutor) {
    this.#sql = sql;
  }

  /** Returns a setting's value, or null when it was never set. */
  async get(key: string): Promise<string | null> {
    return (await this.#sql.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', [key]))?.value ?? null;
  }

  /** Sets a setting. */
  async set(key: string, value: string): Promise<void> {
    await this.#sql.run('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
  }
}
