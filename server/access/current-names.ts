import type { Logger } from '../logger.ts';
import type { ProfileStore } from '../persistence/profile-store.ts';

/**
 * The display name each connected user chose most recently, kept in memory for the checks that
 * run synchronously on every update and presence change (access-authorizer.ts,
 * awareness-guard.ts): a user who renamed themselves may write the new name as an author, and
 * their presence shows it. Read from the store when a user's connection is attached; updated by
 * every rename in this process at once, and by renames in other processes when they tell
 * (docs/several-servers.md). Until the read returns, the session's name is the only one.
 */
export class CurrentNames {
  readonly #profiles: ProfileStore;
  readonly #log: Logger;
  readonly #names = new Map<string, string>();

  constructor(profiles: ProfileStore, log: Logger) {
    this.#profiles = profiles;
    this.#log = log;
  }

  /** The name `userId` chose, as last known here, or null. */
  get(userId: string): string | null {
    return this.#names.get(userId) ?? null;
  }

  /** Records a name chosen now (a rename here or in another process). */
  set(userId: string, name: string): void {
    this.#names.set(userId, name);
  }

  /** Reads a user's chosen name from the store (a connection of theirs was attached). */
  async refresh(userId: string): Promise<void> {
    try {
      const name = await this.#profiles.getName(userId);
      if (name !== null) this.#names.set(userId, name);
    } catch (error) {
      this.#log.warn('access.name-unreadable', { user: userId, error });
    }
  }

  /** Forgets users of whom no connection is left (memory stays bounded by who is connected). */
  retain(connected: ReadonlySet<string>): void {
    for (const userId of this.#names.keys()) if (!connected.has(userId)) this.#names.delete(userId);
  }
}
