import type { SqlExecutor } from './sql/sql-executor.ts';

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

/** The `rooms` table. Throws on storage errors. */
export class RoomStore {
  readonly #sql: SqlExecutor;

  constructor(sql: SqlExecutor) {
    this.#sql = sql;
  }

  /** Returns the room with this id, or null. */
  async get(id: string): Promise<RoomRecord | null> {
    const row = await this.#sql.get<RoomRow>(`SELECT ${COLUMNS} FROM rooms WHERE id = ?`, [id]);
    return row ? fromRow(row) : null;
  }

  /** Inserts a room; throws if the id exists (callers check first inside their transaction). */
  async insert(room: NewRoomRecord): Promise<void> {
    await this.#sql.run('INSERT INTO rooms (id, title, created_at, invite_generation, seminar_id, position) VALUES (?, ?, ?, ?, ?, ?)', [
      room.id,
      room.title,
      room.createdAt,
      room.inviteGeneration,
      room.seminarId ?? null,
      room.position ?? 0,
    ]);
  }

  /** A seminar's chapters in their order, archived ones included. */
  async listForSeminar(seminarId: string): Promise<RoomRecord[]> {
    return (await this.#sql.all<RoomRow>(`SELECT ${COLUMNS} FROM rooms WHERE seminar_id = ? ORDER BY position, created_at`, [seminarId])).map(fromRow);
  }

  /** Rooms that belong to no seminar (made with the admin token, or before seminars existed). */
  async listUnfiled(): Promise<RoomRecord[]> {
    return (await this.#sql.all<RoomRow>(`SELECT ${COLUMNS} FROM rooms WHERE seminar_id IS NULL ORDER BY created_at`)).map(fromRow);
  }

  /** The position after a seminar's last chapter. */
  async nextPosition(seminarId: string): Promise<number> {
    return (await this.#sql.get<{ next: number }>('SELECT coalesce(max(position), 0) + 1 AS next FROM rooms WHERE seminar_id = ?', [seminarId]))?.next ?? 1;
  }

  /** Changes a room's title. */
  async rename(id: string, title: string): Promise<void> {
    await this.#sql.run('UPDATE rooms SET title = ? WHERE id = ?', [title, id]);
  }

  /** Archives (with a time) or restores (null) a room. */
  async setArchived(id: string, at: number | null): Promise<void> {
    await this.#sql.run('UPDATE rooms SET archived_at = ? WHERE id = ?', [at, id]);
  }

  /** Puts a room into a seminar, last in its order. */
  async file(id: string, seminarId: string): Promise<void> {
    await this.#sql.run('UPDATE rooms SET seminar_id = ?, position = ? WHERE id = ?', [seminarId, await this.nextPosition(seminarId), id]);
  }

  /** Deletes the room row (its documents, invites and grants must be gone first). */
  async delete(id: string): Promise<void> {
    await this.#sql.run('DELETE FROM rooms WHERE id = ?', [id]);
  }
}
