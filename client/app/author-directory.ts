import { fetchPeople } from '../collab/room-api.ts';
import type { RoomMember } from '../collab/room-api.ts';

/** An author as the room shows them: the person's user id and name. */
export interface AuthorView {
  id: string;
  name: string;
}

/**
 * One person, one author: someone who annotated as a guest and then signed up or in wrote under
 * two user ids. The room reads every author through this directory, which maps the ids that
 * belong to an account to that account (asked of the server as new authors appear), so cards,
 * "own annotation" and the author filter see one person. Ids nobody linked read as stored.
 */
export class AuthorDirectory {
  readonly #known = new Map<string, AuthorView>();
  readonly #asked = new Set<string>();
  readonly #waiting = new Set<string>();
  #timer: ReturnType<typeof setTimeout> | null = null;
  #member: RoomMember;
  // Offline, nothing is asked (a failed request is only noise): the batch waits for the network.
  readonly #onOnline = (): void => {
    if (this.#waiting.size > 0) this.#timer ??= setTimeout(() => void this.#lookUp(), 0);
  };

  constructor(
    private readonly room: string,
    member: RoomMember,
    private readonly onChange: () => void,
  ) {
    this.#member = member;
    this.#rememberSelf();
    window.addEventListener('online', this.#onOnline);
  }

  /** The reader's own ids are known without asking. */
  #rememberSelf(): void {
    for (const id of this.#member.identities) {
      this.#known.set(id, { id: this.#member.userId, name: this.#member.name });
      this.#asked.add(id);
    }
  }

  /** The reader chose another name. */
  rename(name: string): void {
    this.#member = { ...this.#member, name };
    this.#rememberSelf();
  }

  /** The author to show for something written under `authorId` (stored with `authorName`). */
  author(authorId: string, authorName: string): AuthorView {
    const known = this.#known.get(authorId);
    if (known) return known;
    if (!this.#asked.has(authorId)) this.#ask(authorId);
    return { id: authorId, name: authorName };
  }

  /** Asks the server about new author ids, a batch at a time. */
  #ask(authorId: string): void {
    this.#asked.add(authorId);
    this.#waiting.add(authorId);
    this.#timer ??= setTimeout(() => void this.#lookUp(), 150);
  }

  async #lookUp(): Promise<void> {
    this.#timer = null;
    if (!navigator.onLine) return;
    const ids = [...this.#waiting].slice(0, 400);
    for (const id of ids) this.#waiting.delete(id);
    if (this.#waiting.size > 0) this.#timer = setTimeout(() => void this.#lookUp(), 0);
    const people = await fetchPeople(this.room, ids);
    if (people.size === 0) return;
    for (const [id, person] of people) this.#known.set(id, { id: person.userId, name: person.name });
    this.onChange();
  }

  /** Stops asking. */
  destroy(): void {
    if (this.#timer) clearTimeout(this.#timer);
    window.removeEventListener('online', this.#onOnline);
  }
}
