import { isRole } from '../../schema/index.ts';
import type { RoundParticipant, RoundState, RoundSummary } from '../../schema/index.ts';
import type { SqlExecutor } from './sql/sql-executor.ts';
import type { UpdateStore } from './update-store.ts';

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
 * The `blind_rounds` and `blind_round_participants` tables, on either engine (the storage
 * interface of docs/several-servers.md). Throws on storage errors.
 */
export class RoundStore {
  readonly #sql: SqlExecutor;

  constructor(sql: SqlExecutor) {
    this.#sql = sql;
  }

  async #one(where: string, params: readonly unknown[]): Promise<RoundSummary | null> {
    const row = await this.#sql.get<RoundRow>(`SELECT ${COLUMNS} FROM blind_rounds WHERE ${where}`, params);
    return row ? summaryOf(row) : null;
  }

  /** The round with this id, or null. */
  get(id: number): Promise<RoundSummary | null> {
    return this.#one('id = ?', [id]);
  }

  /** The room's most recent round (running or not), or null. */
  latest(room: string): Promise<RoundSummary | null> {
    return this.#one('room = ? ORDER BY id DESC LIMIT 1', [room]);
  }

  /** The room's open or revealing round, or null. */
  running(room: string): Promise<RoundSummary | null> {
    return this.#one("room = ? AND state IN ('open', 'revealing')", [room]);
  }

  /** The open or revealing round of every room. */
  async runningEverywhere(): Promise<RoundSummary[]> {
    return (await this.#sql.all<RoundRow>(`SELECT ${COLUMNS} FROM blind_rounds WHERE state IN ('open', 'revealing') ORDER BY id`)).map(summaryOf);
  }

  /** Every round of the room, newest first. */
  async list(room: string): Promise<RoundSummary[]> {
    return (await this.#sql.all<RoundRow>(`SELECT ${COLUMNS} FROM blind_rounds WHERE room = ? ORDER BY id DESC`, [room])).map(summaryOf);
  }

  /** Every round of any room left half-revealed (by a crash): to be revealed again on start. */
  async revealing(): Promise<RoundSummary[]> {
    return (await this.#sql.all<RoundRow>(`SELECT ${COLUMNS} FROM blind_rounds WHERE state = 'revealing' ORDER BY id`)).map(summaryOf);
  }

  /** Starts a round; returns null when the room already has one running (the unique index decides between processes). */
  async start(room: string, startedBy: string, showStaff: boolean, now: number): Promise<RoundSummary | null> {
    return this.#sql.transaction(async (tx) => {
      if (await tx.get("SELECT id FROM blind_rounds WHERE room = ? AND state IN ('open', 'revealing')", [room])) return null;
      const row = await tx.get<RoundRow>(`INSERT INTO blind_rounds (room, state, show_staff, started_by, started_at) VALUES (?, 'open', ?, ?, ?) RETURNING ${COLUMNS}`, [room, showStaff ? 1 : 0, startedBy, now]);
      return row ? summaryOf(row) : null;
    });
  }

  /** Moves a round to `state`; `closedAt` and `revealed` as the state needs them. */
  async setState(id: number, state: RoundState, closedAt: number | null = null, revealed: number | null = null): Promise<RoundSummary> {
    const row = await this.#sql.get<RoundRow>(`UPDATE blind_rounds SET state = ?, closed_at = ?, revealed_count = ? WHERE id = ? RETURNING ${COLUMNS}`, [state, closedAt, revealed, id]);
    if (!row) throw new RangeError(`no round ${id}`);
    return summaryOf(row);
  }

  /** Records that a user opened their layer in a round (once; later calls change nothing). */
  async addParticipant(roundId: number, participant: RoundParticipant): Promise<void> {
    await this.#sql.run('INSERT INTO blind_round_participants (round_id, user_id, name, role, joined_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (round_id, user_id) DO NOTHING', [
      roundId,
      participant.userId,
      participant.name,
      participant.role,
      Date.parse(participant.joinedAt),
    ]);
  }

  /** The round's participants, in the order they joined. */
  async participants(roundId: number): Promise<RoundParticipant[]> {
    const rows = await this.#sql.all<ParticipantRow>('SELECT user_id, name, role, joined_at FROM blind_round_participants WHERE round_id = ? ORDER BY joined_at, user_id', [roundId]);
    return rows.map((row) => ({
      userId: row.user_id,
      name: row.name,
      role: isRole(row.role) ? row.role : 'viewer',
      joinedAt: new Date(row.joined_at).toISOString(),
    }));
  }

  /**
   * Deletes the stored layers of every blind round of `room` (`<room>/rounds/…`) with everything
   * the store keeps per document (`UpdateStore.deleteDoc`), for the deletion of the room (inside
   * its transaction); the round rows go with the room (ON DELETE CASCADE). Room ids hold no LIKE
   * wildcards (`[a-z0-9-]`).
   */
  async deleteLayersOfRoom(updates: UpdateStore, room: string): Promise<void> {
    const prefix = `${room}/rounds/%`;
    const names = await this.#sql.all<{ doc: string }>('SELECT doc FROM doc_updates WHERE doc LIKE ? UNION SELECT doc FROM doc_snapshots WHERE doc LIKE ? UNION SELECT doc FROM doc_heads WHERE doc LIKE ?', [prefix, prefix, prefix]);
    for (const { doc } of names) await updates.deleteDoc(doc);
  }
}
