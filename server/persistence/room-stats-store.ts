import type { Statement } from 'better-sqlite3';
import type { AppDatabase } from './database.ts';

/** What a seminar page shows of a chapter without loading it: counts and the last change. */
export interface RoomStatsRecord {
  room: string;
  annotations: number;
  openProblems: number;
  /** Epoch ms of the last stored change to the chapter or its annotations, or null. */
  lastActivityAt: number | null;
  /** Whether the counts may be out of date (a change came in after they were taken). */
  stale: boolean;
}

interface RoomStatsRow {
  room: string;
  annotations: number;
  open_problems: number;
  last_activity_at: number | null;
  stale: number;
}

/** The `room_stats` table. Synchronous; throws on storage errors. */
export class RoomStatsStore {
  readonly #select: Statement<[string], RoomStatsRow>;
  readonly #upsertCounts: Statement<[string, number, number, number | null]>;
  readonly #touch: Statement<[{ room: string; at: number }]>;
  readonly #delete: Statement<[string]>;

  constructor(db: AppDatabase) {
    this.#select = db.prepare('SELECT * FROM room_stats WHERE room = ?');
    this.#upsertCounts = db.prepare(
      `INSERT INTO room_stats (room, annotations, open_problems, last_activity_at, stale) VALUES (?, ?, ?, ?, 0)
       ON CONFLICT (room) DO UPDATE SET annotations = excluded.annotations, open_problems = excluded.open_problems,
         last_activity_at = max(coalesce(room_stats.last_activity_at, 0), coalesce(excluded.last_activity_at, 0)), stale = 0`,
    );
    // A change with no counts yet: the row is created stale, so that its first reader counts.
    this.#touch = db.prepare(
      `INSERT INTO room_stats (room, annotations, open_problems, last_activity_at, stale) VALUES (@room, 0, 0, @at, 1)
       ON CONFLICT (room) DO UPDATE SET last_activity_at = max(coalesce(room_stats.last_activity_at, 0), @at), stale = 1`,
    );
    this.#delete = db.prepare('DELETE FROM room_stats WHERE room = ?');
  }

  /** Returns a room's stats, or null when none were ever taken. */
  get(room: string): RoomStatsRecord | null {
    const row = this.#select.get(room);
    return row ? { room: row.room, annotations: row.annotations, openProblems: row.open_problems, lastActivityAt: row.last_activity_at, stale: row.stale !== 0 } : null;
  }

  /** Stores fresh counts; the last activity only ever moves forward. */
  putCounts(room: string, annotations: number, openProblems: number, lastActivityAt: number | null): void {
    this.#upsertCounts.run(room, annotations, openProblems, lastActivityAt);
  }

  /** Records a change at `at`, marking the counts stale until they are taken again. */
  touch(room: string, at: number): void {
    // Named: better-sqlite3 refuses two positional values for ?1/?2 used three times ("too many").
    this.#touch.run({ room, at });
  }

  /** Deletes a room's stats (the room is being deleted). */
  delete(room: string): void {
    this.#delete.run(room);
  }
}
