import type { Role } from '../../schema/index.ts';
import type { SqlExecutor } from './sql/sql-executor.ts';

/** A seminar as stored: a course or review project holding chapters and members. */
export interface SeminarRecord {
  id: string;
  title: string;
  createdAt: number;
  createdBy: string;
}

/** A seminar as one of its members sees it on the home page. */
export interface SeminarListing {
  id: string;
  title: string;
  role: Role;
  chapters: number;
  members: number;
  /** Epoch ms of the last stored change in any of its chapters, or null. */
  lastActivityAt: number | null;
}

/** One member of a seminar: their user id, role, name and how they joined. */
export interface MemberRecord {
  userId: string;
  role: Role;
  joinedAt: number;
  name: string | null;
  /** The address of their account, or null for a guest (no account). */
  email: string | null;
  isAccount: boolean;
}

/** A per-chapter role that replaces a member's seminar role in one chapter. */
export interface ChapterRoleRecord {
  room: string;
  userId: string;
  role: Role;
}

interface MemberRow {
  user_id: string;
  role: Role;
  joined_at: number;
  name: string | null;
  email: string | null;
  is_account: number;
}

/**
 * The `seminars`, `seminar_members` and `chapter_roles` tables. Throws on storage errors. A
 * member's role applies to every chapter of the seminar unless `chapter_roles` holds another
 * for that chapter.
 */
export class SeminarStore {
  readonly #sql: SqlExecutor;

  constructor(sql: SqlExecutor) {
    this.#sql = sql;
  }

  /** Inserts a seminar; throws if the id exists. */
  async insert(seminar: SeminarRecord): Promise<void> {
    await this.#sql.run('INSERT INTO seminars (id, title, created_at, created_by) VALUES (?, ?, ?, ?)', [seminar.id, seminar.title, seminar.createdAt, seminar.createdBy]);
  }

  /** Returns a seminar by id, or null. */
  async get(id: string): Promise<SeminarRecord | null> {
    const row = await this.#sql.get<{ id: string; title: string; created_at: number; created_by: string }>('SELECT id, title, created_at, created_by FROM seminars WHERE id = ?', [id]);
    return row ? { id: row.id, title: row.title, createdAt: row.created_at, createdBy: row.created_by } : null;
  }

  /** Changes a seminar's title. */
  async rename(id: string, title: string): Promise<void> {
    await this.#sql.run('UPDATE seminars SET title = ? WHERE id = ?', [title, id]);
  }

  /** The seminars a user is a member of, by title, with their role and a few counts. */
  async listForUser(userId: string): Promise<SeminarListing[]> {
    const rows = await this.#sql.all<SeminarListing & { last_activity_at: number | null }>(
      `SELECT s.id AS id, s.title AS title, m.role AS role,
         (SELECT count(*) FROM rooms r WHERE r.seminar_id = s.id AND r.archived_at IS NULL) AS chapters,
         (SELECT count(*) FROM seminar_members o WHERE o.seminar_id = s.id) AS members,
         (SELECT max(st.last_activity_at) FROM rooms r JOIN room_stats st ON st.room = r.id WHERE r.seminar_id = s.id) AS last_activity_at
       FROM seminar_members m JOIN seminars s ON s.id = m.seminar_id
       WHERE m.user_id = ? ORDER BY lower(s.title), s.id`,
      [userId],
    );
    return rows.map((row) => ({ id: row.id, title: row.title, role: row.role, chapters: row.chapters, members: row.members, lastActivityAt: row.last_activity_at }));
  }

  /** A user's role in a seminar, or null when they are not a member. */
  async memberRole(seminarId: string, userId: string): Promise<Role | null> {
    return (await this.#sql.get<{ role: Role }>('SELECT role FROM seminar_members WHERE seminar_id = ? AND user_id = ?', [seminarId, userId]))?.role ?? null;
  }

  /** Adds a member or changes their role. */
  async setMember(seminarId: string, userId: string, role: Role, now: number): Promise<void> {
    await this.#sql.run(
      `INSERT INTO seminar_members (seminar_id, user_id, role, joined_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (seminar_id, user_id) DO UPDATE SET role = excluded.role`,
      [seminarId, userId, role, now],
    );
  }

  /** Adds a member unless they already are one (their role then stays); returns whether added. */
  async addMemberIfAbsent(seminarId: string, userId: string, role: Role, now: number): Promise<boolean> {
    return (await this.#insertMemberIfAbsent(seminarId, userId, role, now)) > 0;
  }

  async #insertMemberIfAbsent(seminarId: string, userId: string, role: Role, joinedAt: number): Promise<number> {
    const result = await this.#sql.run('INSERT INTO seminar_members (seminar_id, user_id, role, joined_at) VALUES (?, ?, ?, ?) ON CONFLICT (seminar_id, user_id) DO NOTHING', [
      seminarId,
      userId,
      role,
      joinedAt,
    ]);
    return result.changes;
  }

  /** Removes a member and their per-chapter roles in the seminar. */
  async removeMember(seminarId: string, userId: string): Promise<void> {
    await this.#sql.run('DELETE FROM chapter_roles WHERE user_id = ? AND room IN (SELECT id FROM rooms WHERE seminar_id = ?)', [userId, seminarId]);
    await this.#sql.run('DELETE FROM seminar_members WHERE seminar_id = ? AND user_id = ?', [seminarId, userId]);
  }

  /** The roster: members by role, then name. */
  async members(seminarId: string): Promise<MemberRecord[]> {
    const rows = await this.#sql.all<MemberRow>(
      `SELECT m.user_id, m.role, m.joined_at, p.name AS name, a.email AS email, CASE WHEN a.user_id IS NULL THEN 0 ELSE 1 END AS is_account
       FROM seminar_members m LEFT JOIN user_profiles p ON p.user_id = m.user_id LEFT JOIN accounts a ON a.user_id = m.user_id
       WHERE m.seminar_id = ? ORDER BY CASE m.role WHEN 'owner' THEN 0 WHEN 'reviewer' THEN 1 WHEN 'annotator' THEN 2 ELSE 3 END, lower(p.name), m.user_id`,
      [seminarId],
    );
    return rows.map((row) => ({
      userId: row.user_id,
      role: row.role,
      joinedAt: row.joined_at,
      name: row.name,
      email: row.email,
      isAccount: row.is_account !== 0,
    }));
  }

  /** How many owners a seminar has (the last one cannot leave or be demoted). */
  async countOwners(seminarId: string): Promise<number> {
    return (await this.#sql.get<{ n: number }>("SELECT count(*) AS n FROM seminar_members WHERE seminar_id = ? AND role = 'owner'", [seminarId]))?.n ?? 0;
  }

  /** A member's role in one chapter when it differs from their seminar role, or null. */
  async chapterRole(room: string, userId: string): Promise<Role | null> {
    return (await this.#sql.get<{ role: Role }>('SELECT role FROM chapter_roles WHERE room = ? AND user_id = ?', [room, userId]))?.role ?? null;
  }

  /** Sets (or with null, removes) a member's role for one chapter. */
  async setChapterRole(room: string, userId: string, role: Role | null): Promise<void> {
    if (role === null) await this.#sql.run('DELETE FROM chapter_roles WHERE room = ? AND user_id = ?', [room, userId]);
    else await this.#sql.run('INSERT INTO chapter_roles (room, user_id, role) VALUES (?, ?, ?) ON CONFLICT (room, user_id) DO UPDATE SET role = excluded.role', [room, userId, role]);
  }

  /** Every per-chapter role in a seminar's chapters. */
  async chapterRoles(seminarId: string): Promise<ChapterRoleRecord[]> {
    const rows = await this.#sql.all<{ room: string; user_id: string; role: Role }>(
      'SELECT c.room AS room, c.user_id AS user_id, c.role AS role FROM chapter_roles c JOIN rooms r ON r.id = c.room WHERE r.seminar_id = ?',
      [seminarId],
    );
    return rows.map((row) => ({ room: row.room, userId: row.user_id, role: row.role }));
  }

  /** Deletes every per-chapter role of a chapter (the chapter is being deleted). */
  async deleteChapterRolesOfRoom(room: string): Promise<void> {
    await this.#sql.run('DELETE FROM chapter_roles WHERE room = ?', [room]);
  }

  /**
   * Moves a former guest's memberships and chapter roles to the account `to` (run in the
   * caller's transaction). Where the account is already a member, its own role stays.
   */
  async reassign(from: string, to: string): Promise<void> {
    const memberships = await this.#sql.all<{ seminar_id: string; role: Role; joined_at: number }>('SELECT seminar_id, role, joined_at FROM seminar_members WHERE user_id = ?', [from]);
    for (const membership of memberships) await this.#insertMemberIfAbsent(membership.seminar_id, to, membership.role, membership.joined_at);
    const chapters = await this.#sql.all<{ room: string; role: Role }>('SELECT room, role FROM chapter_roles WHERE user_id = ?', [from]);
    for (const chapter of chapters) await this.#sql.run('INSERT INTO chapter_roles (room, user_id, role) VALUES (?, ?, ?) ON CONFLICT (room, user_id) DO NOTHING', [chapter.room, to, chapter.role]);
    await this.#sql.run('DELETE FROM chapter_roles WHERE user_id = ?', [from]);
    await this.#sql.run('DELETE FROM seminar_members WHERE user_id = ?', [from]);
  }
}
