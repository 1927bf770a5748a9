import type { AccountRecord, AccountStore } from '../persistence/account-store.ts';
import type { ProfileStore } from '../persistence/profile-store.ts';

/**
 * People: one person may have written under several user ids — their account's and the guest
 * identities that became part of it when they signed up or signed in (`identity_links`). Every
 * check of "own annotation", the author filter and the exports read authorship through here.
 */

/** A person as the server knows them. */
export interface Person {
  /** The user id the person writes under now (their account's, or the guest's own). */
  userId: string;
  /** Every user id that is this person: `userId` and the guest identities linked to it. */
  identities: ReadonlySet<string>;
  /** The display name (chosen, or made from the address or the id). */
  name: string;
  /** The account, or null for a guest. */
  account: AccountRecord | null;
}

/** The name shown for a person who never chose one. */
function defaultPersonName(userId: string, account: AccountRecord | null): string {
  if (account?.email) return account.email.split('@')[0]!.slice(0, 60) || 'Member';
  return `${account ? 'Member' : 'Guest'} ${userId.slice(-4)}`;
}

/** Looks people up by user id and maps former guest identities to the person they became. */
export class PeopleDirectory {
  readonly #accounts: AccountStore;
  readonly #profiles: ProfileStore;

  constructor(stores: { accounts: AccountStore; profiles: ProfileStore }) {
    this.#accounts = stores.accounts;
    this.#profiles = stores.profiles;
  }

  /** The person writing under `userId` now (an account, or a guest). */
  async person(userId: string): Promise<Person> {
    const account = await this.#accounts.get(userId);
    const identities = new Set([userId]);
    if (account) for (const alias of await this.#accounts.aliasesOf(userId)) identities.add(alias);
    return { userId, identities, account, name: (await this.#profiles.getName(userId)) ?? defaultPersonName(userId, account) };
  }

  /** The user id a person writes under now, for any id they wrote under (an alias maps to its account). */
  async canonicalId(authorId: string): Promise<string> {
    return (await this.#accounts.accountOfAlias(authorId)) ?? authorId;
  }

  /**
   * For the given author ids, those that belong to an account (its own id, or a former guest
   * identity linked to it): each mapped to the account's user id and current name, so that
   * everything one person wrote reads as theirs under one name. Guests' ids are left out.
   */
  async linkedAuthors(authorIds: Iterable<string>): Promise<Map<string, { userId: string; name: string }>> {
    const linked = new Map<string, { userId: string; name: string }>();
    const names = new Map<string, string>();
    for (const id of new Set(authorIds)) {
      const owner = (await this.#accounts.accountOfAlias(id)) ?? ((await this.#accounts.get(id)) ? id : null);
      if (owner === null) continue;
      if (!names.has(owner)) names.set(owner, (await this.person(owner)).name);
      linked.set(id, { userId: owner, name: names.get(owner)! });
    }
    return linked;
  }
}
