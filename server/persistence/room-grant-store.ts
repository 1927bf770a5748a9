import type { Statement } from 'better-sqlite3';
import type { Role } from '../../schema/index.ts';
import type { AppDatabase } from './database.ts';

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

/** The `room_grants` table. Synchronous; throws on storage errors. */
export class RoomGrantStore {
  readonly #insert: Statement<[string, string, string, string, number]>;
  readonly #forUserInRoom: Statement<[string, string], RoomGrantRow>;
  readonly #forUser: Statement<[string], RoomGrantRow>;
  readonly #deleteOfUser: Statement<[string]>;
  readonly #deleteOfUserInRoom: Statement<[string, string]>;
  readonly #deleteOfRoom: Statement<[string]>;

  constructor(db: AppDatabase) {
    this.#insert = db.prepare('INSERT OR IGNORE INTO room_grants (room, user_id, role, invite_hash, granted_at) VALUES (?, ?, ?, ?, ?)');
    this.#forUserInRoom = db.prepare('SELECT * FROM room_grants WHERE user_id = ? AND room = ?');
    this.#forUser = db.prepare('SELECT * FROM room_grants WHERE user_id = ? ORDER BY granted_at');
    this.#deleteOfUser = db.prepare('DELETE FROM room_grants WHERE user_id = ?');
    this.#deleteOfUserInRoom = db.prepare('DELETE FROM room_grants WHERE user_id = ? AND room = ?');
    this.#deleteOfRoom = db.prepare('DELETE FROM room_grants WHERE room = ?');
  }

  /** Records a grant (once per user, room and invite). */
  insert(grant: RoomGrantRecord): void {
    this.#insert.run(grant.room, grant.userId, grant.role, grant.inviteHash, grant.grantedAt);
  }

  /** A user's grants in one room (one per invite they opened). */
  forUserInRoom(userId: string, room: string): RoomGrantRecord[] {
    return this.#forUserInRoom.all(userId, room).map(fromRow);
  }

  /** Every grant of a user, oldest first. */
  forUser(userId: string): RoomGrantRecord[] {
    return this.#forUser.all(userId).map(fromRow);
  }

  /** Removes a user's grants in one room (a member removed from the seminar). */
  deleteOfUserInRoom(userId: string, room: string): void {
    this.#deleteOfUserInRoom.run(userId, room);
  }

  /** Removes every grant of a room (the room is being deleted). */
  deleteOfRoom(room: string): void {
    this.#deleteOfRoom.run(room);
  }

  /** Moves a former guest's grants to the account `to` (run in the caller's transaction). */
  reassign(from: string, to: string): void {
    for (const grant of this.forUser(from)) this.insert({ ...grant, userId: to });
    this.#deleteOfUser.run(from);
  }
}
