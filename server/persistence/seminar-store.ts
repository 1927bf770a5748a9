import type { Statement } from 'better-sqlite3';
import type { Role } from '../../schema/index.ts';
import type { AppDatabase } from './database.ts';

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
 * The `seminars`, `seminar_members` and `chapter_roles` tables. Synchronous; throws on storage
 * errors. A member's role applies to every chapter of the seminar unless `chapter_roles`
 * holds another for that chapter.
 */
export class SeminarStore {
  readonly #insert: Statement<[string, string, number, string]>;
  readonly #select: Statement<[string], { id: string; title: string; created_at: number; created_by: string }>;
  readonly #rename: Statement<[string, string]>;
  readonly #listForUser: Statement<[string], SeminarListing & { last_activity_at: number | null }>;
  readonly #memberRole: Statement<[string, string], { role: Role }>;
  readonly #upsertMember: Statement<[string, string, string, number]>;
  readonly #insertMember: Statement<[string, string, string, number]>;
  readonly #deleteMember: Statement<[string, string]>;
  readonly #members: Statement<[string], MemberRow>;
  readonly #countOwners: Statement<[string], { n: number }>;
  readonly #chapterRole: Statement<[string, string], { role: Role }>;
  readonly #upsertChapterRole: Statement<[string, string, string]>;
  readonly #deleteChapterRole: Statement<[string, string]>;
  readonly #chapterRolesOfSeminar: Statement<[string], ChapterRoleRecord & { user_id: string }>;
  readonly #deleteChapterRolesOfMember: Statement<[string, string]>;
  readonly #membershipsOf: Statement<[string], { seminar_id: string; role: Role; joined_at: number }>;
  readonly #deleteMembershipsOf: Statement<[string]>;
  readonly #chapterRolesOf: Statement<[string], { room: string; role: Role }>;
  readonly #deleteChapterRolesOf: Statement<[string]>;
  readonly #insertChapterRoleIfNone: Statement<[string, string, string]>;
  readonly #deleteChapterRolesOfRoom: Statement<[string]>;

  constructor(db: AppDatabase) {
    this.#insert = db.prepare('INSERT INTO seminars (id, title, created_at, created_by) VALUES (?, ?, ?, ?)');
    this.#select = db.prepare('SELECT id, title, created_at, created_by FROM seminars WHERE id = ?');
    this.#rename = db.prepare('UPDATE seminars SET title = ? WHERE id = ?');
    this.#listForUser = db.prepare(
      `SELECT s.id AS id, s.title AS title, m.role AS role,
         (SELECT count(*) FROM rooms r WHERE r.seminar_id = s.id AND r.archived_at IS NULL) AS chapters,
         (SELECT count(*) FROM seminar_members o WHERE o.seminar_id = s.id) AS members,
         (SELECT max(st.last_activity_at) FROM rooms r JOIN room_stats st ON st.room = r.id WHERE r.seminar_id = s.id) AS last_activity_at
       FROM seminar_members m JOIN seminars s ON s.id = m.seminar_id
       WHERE m.user_id = ? ORDER BY s.title COLLATE NOCASE, s.id`,
    );
    this.#memberRole = db.prepare('SELECT role FROM seminar_members WHERE seminar_id = ? AND user_id = ?');
    this.#upsertMember = db.prepare(
      `INSERT INTO seminar_members (seminar_id, user_id, role, joined_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (seminar_id, user_id) DO UPDATE SET role = excluded.role`,
    );
    this.#insertMember = db.prepare('INSERT OR IGNORE INTO seminar_members (seminar_id, user_id, role, joined_at) VALUES (?, ?, ?, ?)');
    this.#deleteMember = db.prepare('DELETE FROM seminar_members WHERE seminar_id = ? AND user_id = ?');
    this.#members = db.prepare(
      `SELECT m.user_id, m.role, m.joined_at, p.name AS name, a.email AS email, a.user_id IS NOT NULL AS is_account
       FROM seminar_members m LEFT JOIN user_profiles p ON p.user_id = m.user_id LEFT JOIN accounts a ON a.user_id = m.user_id
       WHERE m.seminar_id = ? ORDER BY CASE m.role WHEN 'owner' THEN 0 WHEN 'reviewer' THEN 1 WHEN 'annotator' THEN 2 ELSE 3 END, p.name COLLATE NOCASE, m.user_id`,
    );
    this.#countOwners = db.prepare("SELECT count(*) AS n FROM seminar_members WHERE seminar_id = ? AND role = 'owner'");
    this.#chapterRole = db.prepare('SELECT role FROM chapter_roles WHERE room = ? AND user_id = ?');
    this.#upsertChapterRole = db.prepare('INSERT INTO chapter_roles (room, user_id, role) VALUES (?, ?, ?) ON CONFLICT (room, user_id) DO UPDATE SET role = excluded.role');
    this.#deleteChapterRole = db.prepare('DELETE FROM chapter_roles WHERE room = ? AND user_id = ?');
    this.#chapterRolesOfSeminar = db.prepare('SELECT c.room AS room, c.user_id AS user_id, c.role AS role FROM chapter_roles c JOIN rooms r ON r.id = c.room WHERE r.seminar_id = ?');
    this.#deleteChapterRolesOfMember = db.prepare('DELETE FROM chapter_roles WHERE user_id = ? AND room IN (SELECT id FROM rooms WHERE seminar_id = ?)');
    this.#membershipsOf = db.prepare('SELECT seminar_id, role, joined_at FROM seminar_members WHERE user_id = ?');
    this.#deleteMembershipsOf = db.prepare('DELETE FROM seminar_members WHERE user_id = ?');
    this.#chapterRolesOf = db.prepare('SELECT room, role FROM chapter_roles WHERE user_id = ?');
    this.#deleteChapterRolesOf = db.prepare('DELETE FROM chapter_roles WHERE user_id = ?');
    this.#insertChapterRoleIfNone = db.prepare('INSERT OR IGNORE INTO chapter_roles (room, user_id, role) VALUES (?, ?, ?)');
    this.#deleteChapterRolesOfRoom = db.prepare('DELETE FROM chapter_roles WHERE room = ?');
  }

  /** Inserts a seminar; throws if the id exists. */
  insert(seminar: SeminarRecord): void {
    this.#insert.run(seminar.id, seminar.title, seminar.createdAt, seminar.createdBy);
  }

  /** Returns a seminar by id, or null. */
  get(id: string): SeminarRecord | null {
    const row = this.#select.get(id);
    return row ? { id: row.id, title: row.title, createdAt: row.created_at, createdBy: row.created_by } : null;
  }

  /** Changes a seminar's title. */
  rename(id: string, title: string): void {
    this.#rename.run(title, id);
  }

  /** The seminars a user is a member of, by title, with their role and a few counts. */
  listForUser(userId: string): SeminarListing[] {
    return this.#listForUser.all(userId).map((row) => ({
      id: row.id,
      title: row.title,
      role: row.role,
      chapters: row.chapters,
      members: row.members,
      lastActivityAt: row.last_activity_at,
    }));
  }

  /** A user's role in a seminar, or null when they are not a member. */
  memberRole(seminarId: string, userId: string): Role | null {
    return this.#memberRole.get(seminarId, userId)?.role ?? null;
  }

  /** Adds a member or changes their role. */
  setMember(seminarId: string, userId: string, role: Role, now: number): void {
    this.#upsertMember.run(seminarId, userId, role, now);
  }

  /** Adds a member unless they already are one (their role then stays); returns whether added. */
  addMemberIfAbsent(seminarId: string, userId: string, role: Role, now: number): boolean {
    return this.#insertMember.run(seminarId, userId, role, now).changes > 0;
  }

  /** Removes a member and their per-chapter roles in the seminar. */
  removeMember(seminarId: string, userId: string): void {
    this.#deleteChapterRolesOfMember.run(userId, seminarId);
    this.#deleteMember.run(seminarId, userId);
  }

  /** The roster: members by role, then name. */
  members(seminarId: string): MemberRecord[] {
    return this.#members.all(seminarId).map((row) => ({
      userId: row.user_id,
      role: row.role,
      joinedAt: row.joined_at,
      name: row.name,
      email: row.email,
      isAccount: row.is_account !== 0,
    }));
  }

  /** How many owners a seminar has (the last one cannot leave or be demoted). */
  countOwners(seminarId: string): number {
    return this.#countOwners.get(seminarId)?.n ?? 0;
  }

  /** A member's role in one chapter when it differs from their seminar role, or null. */
  chapterRole(room: string, userId: string): Role | null {
    return this.#chapterRole.get(room, userId)?.role ?? null;
  }

  /** Sets (or with null, removes) a member's role for one chapter. */
  setChapterRole(room: string, userId: string, role: Role | null): void {
    if (role === null) this.#deleteChapterRole.run(room, userId);
    else this.#upsertChapterRole.run(room, userId, role);
  }

  /** Every per-chapter role in a seminar's chapters. */
  chapterRoles(seminarId: string): ChapterRoleRecord[] {
    return this.#chapterRolesOfSeminar.all(seminarId).map((row) => ({ room: row.room, userId: row.user_id, role: row.role }));
  }

  /** Deletes every per-chapter role of a chapter (the chapter is being deleted). */
  deleteChapterRolesOfRoom(room: string): void {
    this.#deleteChapterRolesOfRoom.run(room);
  }

  /**
   * Moves a former guest's memberships and chapter roles to the account `to` (run in the
   * caller's transaction). Where the account is already a member, its own role stays.
   */
  reassign(from: string, to: string): void {
    for (const membership of this.#membershipsOf.all(from)) this.#insertMember.run(membership.seminar_id, to, membership.role, membership.joined_at);
    for (const chapter of this.#chapterRolesOf.all(from)) this.#insertChapterRoleIfNone.run(chapter.room, to, chapter.role);
    this.#deleteChapterRolesOf.run(from);
    this.#deleteMembershipsOf.run(from);
  }
}
