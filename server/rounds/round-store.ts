import type { Statement } from 'better-sqlite3';
import { isRole } from '../../schema/index.ts';
import type { RoundParticipant, RoundState, RoundSummary } from '../../schema/index.ts';
import type { AppDatabase } from '../persistence/database.ts';
import type { UpdateStore } from '../persistence/update-store.ts';

interface RoundRow {
  id: number;
  room: string;
  state: RoundState;
  show_staff: number;
  started_by: string;
  started_at: number;
  closed_at: number | null;
  revealed_count: number | null;
}

interface ParticipantRow {
  user_id: string;
  name: string;
  role: string;
  joined_at: number;
}

const COLUMNS = 'id, room, state, show_staff, started_by, started_at, closed_at, revealed_count';

function summaryOf(row: RoundRow): RoundSummary {
  return {
    id: row.id,
    room: row.room,
    state: row.state,
    showStaff: row.show_staff === 1,
    startedAt: new Date(row.started_at).toISOString(),
    startedBy: row.started_by,
    closedAt: row.closed_at === null ? null : new Date(row.closed_at).toISOString(),
    revealed: row.revealed_count,
  };
}

/**
 * The `blind_rounds` and `blind_round_participants` tables, on the main connection (its
 * `synchronous` level: a committed state change is as durable as the configuration makes it,
 * and it fsyncs the write-ahead log the update log appends to as well). Synchronous; throws on
 * storage errors.
 */
export class RoundStore {
  readonly #db: AppDatabase;
  readonly #byId: Statement<[number], RoundRow>;
  readonly #latest: Statement<[string], RoundRow>;
  readonly #running: Statement<[string], RoundRow>;
  readonly #list: Statement<[string], RoundRow>;
  readonly #revealing: Statement<[], RoundRow>;
  readonly #insert: Statement<[string, number, string, number]>;
  readonly #setState: Statement<[RoundState, number | null, number | null, number]>;
  readonly #addParticipant: Statement<[number, string, string, string, number]>;
  readonly #participants: Statement<[number], ParticipantRow>;

  constructor(db: AppDatabase) {
    this.#db = db;
    this.#byId = db.prepare(`SELECT ${COLUMNS} FROM blind_rounds WHERE id = ?`);
    this.#latest = db.prepare(`SELECT ${COLUMNS} FROM blind_rounds WHERE room = ? ORDER BY id DESC LIMIT 1`);
    this.#running = db.prepare(`SELECT ${COLUMNS} FROM blind_rounds WHERE room = ? AND state IN ('open', 'revealing')`);
    this.#list = db.prepare(`SELECT ${COLUMNS} FROM blind_rounds WHERE room = ? ORDER BY id DESC`);
    this.#revealing = db.prepare(`SELECT ${COLUMNS} FROM blind_rounds WHERE state = 'revealing' ORDER BY id`);
    this.#insert = db.prepare(`INSERT INTO blind_rounds (room, state, show_staff, started_by, started_at) VALUES (?, 'open', ?, ?, ?)`);
    this.#setState = db.prepare('UPDATE blind_rounds SET state = ?, closed_at = ?, revealed_count = ? WHERE id = ?');
    this.#addParticipant = db.prepare('INSERT OR IGNORE INTO blind_round_participants (round_id, user_id, name, role, joined_at) VALUES (?, ?, ?, ?, ?)');
    this.#participants = db.prepare('SELECT user_id, name, role, joined_at FROM blind_round_participants WHERE round_id = ? ORDER BY joined_at, user_id');
  }

  /** The round with this id, or null. */
  get(id: number): RoundSummary | null {
    const row = this.#byId.get(id);
    return row ? summaryOf(row) : null;
  }

  /** The room's most recent round (running or not), or null. */
  latest(room: string): RoundSummary | null {
    const row = this.#latest.get(room);
    return row ? summaryOf(row) : null;
  }

  /** The room's open or revealing round, or null. */
  running(room: string): RoundSummary | null {
    const row = this.#running.get(room);
    return row ? summaryOf(row) : null;
  }

  /** Every round of the room, newest first. */
  list(room: string): RoundSummary[] {
    return this.#list.all(room).map(summaryOf);
  }

  /** Every round of any room left half-revealed (by a crash): to be revealed again on start. */
  revealing(): RoundSummary[] {
    return this.#revealing.all().map(summaryOf);
  }

  /** Starts a round; returns null when the room already has one running. */
  start(room: string, startedBy: string, showStaff: boolean, now: number): RoundSummary | null {
    return this.#db.transaction(() => {
      if (this.#running.get(room)) return null;
      const id = Number(this.#insert.run(room, showStaff ? 1 : 0, startedBy, now).lastInsertRowid);
      return this.get(id);
    })();
  }

  /** Moves a round to `state`; `closedAt` and `revealed` as the state needs them. */
  setState(id: number, state: RoundState, closedAt: number | null = null, revealed: number | null = null): RoundSummary {
    this.#setState.run(state, closedAt, revealed, id);
    const round = this.get(id);
    if (!round) throw new RangeError(`no round ${id}`);
    return round;
  }

  /** Records that a user opened their layer in a round (once; later calls change nothing). */
  addParticipant(roundId: number, participant: RoundParticipant): void {
    this.#addParticipant.run(roundId, participant.userId, participant.name, participant.role, Date.parse(participant.joinedAt));
  }

  /** The round's participants, in the order they joined. */
  participants(roundId: number): RoundParticipant[] {
    return this.#participants.all(roundId).map((row) => ({
      userId: row.user_id,
      name: row.name,
      role: isRole(row.role) ? row.role : 'viewer',
      joinedAt: new Date(row.joined_at).toISOString(),
    }));
  }
}

/**
 * Deletes the stored layers of every blind round of `room` (`<room>/rounds/…`) with everything
 * the store keeps per document (`UpdateStore.deleteDoc`), for the deletion of the room; the
 * round rows go with the room (ON DELETE CASCADE). Room ids hold no LIKE wildcards (`[a-z0-9-]`).
 */
export function deleteRoundLayers(db: AppDatabase, updates: UpdateStore, room: string): void {
  const prefix = `${room}/rounds/%`;
  const names = db
    .prepare<[string, string], { doc: string }>('SELECT doc FROM doc_updates WHERE doc LIKE ? UNION SELECT doc FROM doc_snapshots WHERE doc LIKE ?')
    .all(prefix, prefix);
  for (const { doc } of names) updates.deleteDoc(doc);
}
