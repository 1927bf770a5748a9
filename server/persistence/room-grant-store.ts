import type { Role } from '../../schema/index.ts';
import type { SqlExecutor } from './sql/sql-executor.ts';

/** Access to one room that a person holds through a room invite they opened while signed in. */
export interface RoomGrantRecord {
  room: string;
  userId: string;
  role: Role;
  /** The invite it came from: the grant lasts while that invite is usable. */
  inviteHash: string;
  grantedAt: number;
}

interface RoomGrantRow {
  room: string;
  user_id: string;
  role: Role;
  invite_hash: string;
  granted_at: number;
}

function fromRow(row: RoomGrantRow): RoomGrantRecord {
  return { room: row.room, userId: row.user_id, role: row.role, inviteHash: row.invite_hash, grantedAt: row.granted_at };
}

/** The `room_grants` table. Throws on storage errors. */
export class RoomGrantStore {
  readonly #sql: SqlExecutor;

  constructor(sql: SqlExecutor) {
    this.#sql = sql;
  }

  /** Records a grant (once per user, room and invite). */
  async insert(grant: RoomGrantRecord): Promise<void> {
    await this.#sql.run('INSERT INTO room_grants (room, user_id, role, invite_hash, granted_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id, room, invite_hash) DO NOTHING', [
      grant.room,
      grant.userId,
      grant.role,
      grant.inviteHash,
      grant.grantedAt,
    ]);
  }

  /** A user's grants in one room (one per invite they opened). */
  async forUserInRoom(userId: string, room: string): Promise<RoomGrantRecord[]> {
    return (await this.#sql.all<RoomGrantRow>('SELECT * FROM room_grants WHERE user_id = ? AND room = ?', [userId, room])).map(fromRow);
  }

  /** Every grant of a user, oldest first. */
  async forUser(userId: string): Promise<RoomGrantRecord[]> {
    return (await this.#sql.all<RoomGrantRow>('SELECT * FROM room_grants WHERE user_id = ? ORDER BY granted_at', [userId])).map(fromRow);
  }

  /** Removes a user's grants in one room (a member removed from the seminar). */
  async deleteOfUserInRoom(userId: string, room: string): Promise<void> {
    await this.#sql.run('DELETE FROM room_grants WHERE user_id = ? AND room = ?', [userId, room]);
  }

  /** Removes every grant of a room (the room is being deleted). */
  async deleteOfRoom(room: string): Promise<void> {
    await this.#sql.run('DELETE FROM room_grants WHERE room = ?', [room]);
  }

  /** Moves a former guest's grants to the account `to` (run in the caller's transaction). */
  async reassign(from: string, to: string): Promise<void> {
    for (const grant of await this.forUser(from)) await this.insert({ ...grant, userId: to });
    await this.#sql.run('DELETE FROM room_grants WHERE user_id = ?', [from]);
  }
}
