import type { Statement } from 'better-sqlite3';
import type { AppDatabase } from './database.ts';

/** A room as stored: its id, title, creation time and the generation of its derived invites. */
export interface RoomRecord {
  id: string;
  title: string;
  createdAt: number;
  /** Bumped to rotate invites derived from the server secret (the default room's). */
  inviteGeneration: number;
}

interface RoomRow {
  id: string;
  title: string;
  created_at: number;
  invite_generation: number;
}

/** The `rooms` table. Synchronous; throws on storage errors. */
export class RoomStore {
  readonly #select: Statement<[string], RoomRow>;
  readonly #insert: Statement<[string, string, number, number]>;

  constructor(db: AppDatabase) {
    this.#select = db.prepare('SELECT id, title, created_at, invite_generation FROM rooms WHERE id = ?');
    this.#insert = db.prepare('INSERT INTO rooms (id, title, created_at, invite_generation) VALUES (?, ?, ?, ?)');
  }

  /** Returns the room with this id, or null. */
  get(id: string): RoomRecord | null {
    const row = this.#select.get(id);
    return row ? { id: row.id, title: row.title, createdAt: row.created_at, inviteGeneration: row.invite_generation } : null;
  }

  /** Inserts a room; throws if the id exists (callers check first inside their transaction). */
  insert(room: RoomRecord): void {
    this.#insert.run(room.id, room.title, room.createdAt, room.inviteGeneration);
  }
}
