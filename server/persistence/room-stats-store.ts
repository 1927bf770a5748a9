import type { SqlExecutor } from './sql/sql-executor.ts';
import { greatest } from './sql/sql-executor.ts';

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

/** The `room_stats` table. Throws on storage errors. */
export class RoomStatsStore {
  readonly #sql: SqlExecutor;

  constructor(sql: SqlExecutor) {
    this.#sql = sql;
  }

  /** Returns a room's stats, or null when none were ever taken. */
  async get(room: string): Promise<RoomStatsRecord | null> {
    const row = await this.#sql.get<RoomStatsRow>('SELECT * FROM room_stats WHERE room = ?', [room]);
    return row ? { room: row.room, annotations: row.annotations, openProblems: row.open_problems, lastActivityAt: row.last_activity_at, stale: row.stale !== 0 } : null;
  }

  /** Stores fresh counts; the last activity only ever moves forward. */
  async putCounts(room: string, annotations: number, openProblems: number, lastActivityAt: number | null): Promise<void> {
    const latest = greatest(this.#sql.dialect, 'coalesce(room_stats.last_activity_at, 0)', 'coalesce(excluded.last_activity_at, 0)');
    await this.#sql.run(
      `INSERT INTO room_stats (room, annotations, open_problems, last_activity_at, stale) VALUES (?, ?, ?, ?, 0)
       ON CONFLICT (room) DO UPDATE SET annotations = excluded.annotations, open_problems = excluded.open_problems, last_activity_at = ${latest}, stale = 0`,
      [room, annotations, openProblems, lastActivityAt],
    );
  }

  /** Records a change at `at`, marking the counts stale until they are taken again. */
  async touch(room: string, at: number): Promise<void> {
    // A change with no counts yet: the row is created stale, so that its first reader counts.
    const latest = greatest(this.#sql.dialect, 'coalesce(room_stats.last_activity_at, 0)', 'excluded.last_activity_at');
    await this.#sql.run(
      `INSERT INTO room_stats (room, annotations, open_problems, last_activity_at, stale) VALUES (?, 0, 0, ?, 1)
       ON CONFLICT (room) DO UPDATE SET last_activity_at = ${latest}, stale = 1`,
      [room, at],
    );
  }

  /** Deletes a room's stats (the room is being deleted). */
  async delete(room: string): Promise<void> {
    await this.#sql.run('DELETE FROM room_stats WHERE room = ?', [room]);
  }
}
