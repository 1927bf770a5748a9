import type { Statement } from 'better-sqlite3';
import type { AppDatabase } from './database.ts';

/** The `settings` table: instance settings the administrator changes in the browser, as text. */
export class SettingsStore {
  readonly #select: Statement<[string], { value: string }>;
  readonly #upsert: Statement<[string, string]>;

  constructor(db: AppDatabase) {
    this.#select = db.prepare('SELECT value FROM settings WHERE key = ?');
    this.#upsert = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  }

  /** Returns a setting's value, or null when it was never set. */
  get(key: string): string | null {
    return this.#select.get(key)?.value ?? null;
  }

  /** Sets a setting. */
  set(key: string, value: string): void {
    this.#upsert.run(key, value);
  }
}
