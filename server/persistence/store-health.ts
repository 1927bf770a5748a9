import type { Logger } from '../logger.ts';

/**
 * The store's real state, as `/healthz` reports it (issue 14, P5 and attack 6): every problem the
 * server knows of now, each raised by what found it and cleared by what saw it end. Raising and
 * clearing are logged once each, so an operator reads when a problem began and ended.
 */

/** The kinds of problem: writes or their fsync failing, the database file gone, damage found on load. */
export type StoreProblemKind = 'append-failing' | 'sync-failing' | 'database-vanished' | 'database-lost' | 'database-unreachable' | 'damaged' | 'quarantined';

/** One problem, as reported. */
export interface StoreProblem {
  kind: StoreProblemKind;
  /** The document concerned, for damage and quarantine. */
  doc?: string;
  message: string;
  /** When it was first raised (ISO 8601). */
  since: string;
}

/** The problems of one server's store. */
export class StoreHealth {
  readonly #log: Logger;
  readonly #problems = new Map<string, StoreProblem>();

  constructor(log: Logger) {
    this.#log = log;
  }

  /**
   * Raises a problem under `key` (one per situation: `append`, `damaged:<doc>`, …); logged as an
   * error the first time. Raising it again keeps its start and updates its message.
   */
  raise(key: string, problem: Omit<StoreProblem, 'since'>): void {
    const existing = this.#problems.get(key);
    if (existing) {
      existing.message = problem.message;
      return;
    }
    this.#problems.set(key, { ...problem, since: new Date().toISOString() });
    this.#log.error('store.health-failing', { kind: problem.kind, ...(problem.doc ? { doc: problem.doc } : {}), problem: problem.message });
  }

  /** Clears the problem under `key`, if raised; logged. */
  clear(key: string): void {
    const problem = this.#problems.get(key);
    if (!problem) return;
    this.#problems.delete(key);
    this.#log.info('store.health-recovered', { kind: problem.kind, ...(problem.doc ? { doc: problem.doc } : {}), was: problem.message });
  }

  /** Whether any problem is raised: the store is failing. */
  get failing(): boolean {
    return this.#problems.size > 0;
  }

  /** Every raised problem, oldest first. */
  problems(): StoreProblem[] {
    return [...this.#problems.values()];
  }
}
