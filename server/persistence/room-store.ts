import type { Statement } from 'better-sqlite3';
import type { AppDatabase } from './database.ts';

/** A room (one chapter) as stored. */
export interface RoomRecord {
  id: string;
  title: string;
  createdAt: number;
  /** Bumped to rotate invites derived from the server secret (the default room's). */
  inviteGeneration: number;
  /** The seminar the chapter belongs to, or null for a room reached only through its invites. */
  seminarId: string | null;
  /** Order among the seminar's chapters (ascending). */
  position: number;
  /** When the chapter was archived (read-only for everyone), or null. */
  archivedAt: number | null;
}

/** What creating a room needs; the seminar fields default to none. */
export type NewRoomRecord = Pick<RoomRecord, 'id' | 'title' | 'createdAt' | 'inviteGeneration'> & Partial<Pick<RoomRecord, 'seminarId' | 'position'>>;

interface RoomRow {
  id: string;
  title: string;
  created_at: number;
  invite_generation: number;
  seminar_id: string | null;
  position: number;
  archived_at: number | null;
}

function fromRow(row: RoomRow): RoomRecord {
  return {
    id: row.id,
    title: row.title,
    createdAt: row.created_at,
    inviteGeneration: row.invite_generation,
    seminarId: row.seminar_id,
    position: row.position,
    archivedAt: row.archived_at,
  };
}

const COLUMNS = 'id, title, created_at, invite_generation, seminar_id, position, archived_at';

/** The `rooms` table. Synchronous; throws on storage errors. */
export class RoomStore {
  readonly #select: Statement<[string], RoomRow>;
  readonly #insert: Statement<[string, string, number, number, string | null, number]>;
  readonly #bySeminar: Statement<[string], RoomRow>;
  readonly #unfiled: Statement<[], RoomRow>;
  readonly #nextPosition: Statement<[string], { next: number }>;
  readonly #rename: Statement<[string, string]>;
  readonly #archive: Statement<[number | null, string]>;
  readonly #file: Statement<[string, number, string]>;
  readonly #delete: Statement<[string]>;

  constructor(db: AppDatabase) {
    this.#select = db.prepare(`SELECT ${COLUMNS} FROM rooms WHERE id = ?`);
    this.#insert = db.prepare('INSERT INTO rooms (id, title, created_at, invite_generation, seminar_id, position) VALUES (?, ?, ?, ?, ?, ?)');
    this.#bySeminar = db.prepare(`SELECT ${COLUMNS} FROM rooms WHERE seminar_id = ? ORDER BY position, created_at`);
    this.#unfiled = db.prepare(`SELECT ${COLUMNS} FROM rooms WHERE seminar_id IS NULL ORDER BY created_at`);
    this.#nextPosition = db.prepare('SELECT coalesce(max(position), 0) + 1 AS next FROM rooms WHERE seminar_id = ?');
    this.#rename = db.prepare('UPDATE rooms SET title = ? WHERE id = ?');
    this.#archive = db.prepare('UPDATE rooms SET archived_at = ? WHERE id = ?');
    this.#file = db.prepare('UPDATE rooms SET seminar_id = ?, position = ? WHERE id = ?');
    this.#delete = db.prepare('DELETE FROM rooms WHERE id = ?');
  }

  /** Returns the room with this id, or null. */
  get(id: string): RoomRecord | null {
    const row = this.#select.get(id);
    return row ? fromRow(row) : null;
  }

  /** Inserts a room; throws if the id exists (callers check first inside their transaction). */
  insert(room: NewRoomRecord): void {
    this.#insert.run(room.id, room.title, room.createdAt, room.inviteGeneration, room.seminarId ?? null, room.position ?? 0);
  }

  /** A seminar's chapters in their order, archived ones included. */
  listForSeminar(seminarId: string): RoomRecord[] {
    return this.#bySeminar.all(seminarId).map(fromRow);
  }

  /** Rooms that belong to no seminar (made with the admin token, or before seminars existed). */
  listUnfiled(): RoomRecord[] {
    return this.#unfiled.all().map(fromRow);
  }

  /** The position after a seminar's last chapter. */
  nextPosition(seminarId: string): number {
    return this.#nextPosition.get(seminarId)?.next ?? 1;
  }

  /** Changes a room's title. */
  rename(id: string, title: string): void {
    this.#rename.run(title, id);
  }

  /** Archives (with a time) or restores (null) a room. */
  setArchived(id: string, at: number | null): void {
    this.#archive.run(at, id);
  }

  /** Puts a room into a seminar, last in its order. */
  file(id: string, seminarId: string): void {
    this.#file.run(seminarId, this.nextPosition(seminarId), id);
  }

  /** Deletes the room row (its documents, invites and grants must be gone first). */
  delete(id: string): void {
    this.#delete.run(id);
  }
}
