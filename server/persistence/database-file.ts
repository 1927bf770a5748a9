import { statSync } from 'node:fs';

/**
 * The identity of the database file the server opened (device and inode), to notice it vanish
 * or be replaced while the server runs (issue 14, attack 6): SQLite keeps writing to the open
 * file after `DATA_DIR` is deleted, so commits still succeed, into a file no restart will find.
 */
export class DatabaseFile {
  readonly path: string;
  readonly #dev: number;
  readonly #ino: number;

  /** Records the identity of the file at `path` now (just after it was opened). */
  constructor(path: string) {
    const stats = statSync(path);
    this.path = path;
    this.#dev = stats.dev;
    this.#ino = stats.ino;
  }

  /** Why the file at the path is no longer the one opened, or null while it is. */
  problem(): string | null {
    let stats;
    try {
      stats = statSync(this.path);
    } catch (error) {
      return `the database file ${this.path} is gone (${(error as NodeJS.ErrnoException).code ?? String(error)}); nothing written now would survive a restart`;
    }
    if (stats.dev !== this.#dev || stats.ino !== this.#ino) return `the database file ${this.path} was replaced by another file while the server ran`;
    return null;
  }

  /** Resolves while the file is the one opened; rejects with the problem otherwise. */
  async verify(): Promise<void> {
    const problem = this.problem();
    if (problem) throw new Error(problem);
  }
}
