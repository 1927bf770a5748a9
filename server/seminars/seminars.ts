import { isRole } from '../../schema/index.ts';
import type { Role } from '../../schema/index.ts';
import type { ServerStores } from '../persistence/server-stores.ts';
import type { SeminarRecord } from '../persistence/seminar-store.ts';
import { readableId } from './readable-ids.ts';

/**
 * Seminars: a title, members with roles (the role table of `schema/room/roles.ts`, applied to
 * every chapter, with per-chapter roles where an owner sets one) and chapters (rooms). Owners
 * manage the seminar; every member sees its chapters and roster. Plain operations on the
 * stores; the routes check who may call them.
 */

/** A refusal of a seminar operation: the HTTP status and a message for the user. */
export interface SeminarRefusal {
  status: 400 | 403 | 404 | 409;
  error: string;
}

/** An outcome of a seminar operation. */
export type SeminarOutcome<T> = { ok: true; value: T } | ({ ok: false } & SeminarRefusal);

/** The longest seminar or chapter title, in characters. */
export const MAX_TITLE_LENGTH = 200;
const controlCharacters = /[\p{Cc}\u202A-\u202E\u2066-\u2069\u2028\u2029]/u;

/** Validates a title from an untrusted request: trimmed, 1–200 characters, no control characters. */
export function validateTitle(value: unknown, what = 'title'): { ok: true; value: string } | { ok: false; error: string } {
  if (typeof value !== 'string') return { ok: false, error: `${what} must be text` };
  const title = value.trim().replace(/\s+/g, ' ');
  const length = [...title].length;
  if (length < 1 || length > MAX_TITLE_LENGTH) return { ok: false, error: `The ${what} must have 1 to ${MAX_TITLE_LENGTH} characters.` };
  if (controlCharacters.test(title)) return { ok: false, error: `The ${what} must not contain control characters.` };
  return { ok: true, value: title };
}

/** Creates a seminar whose first owner is `ownerId`. */
export async function createSeminar(stores: ServerStores, ownerId: string, titleInput: unknown): Promise<SeminarOutcome<SeminarRecord>> {
  const title = validateTitle(titleInput);
  if (!title.ok) return { ok: false, status: 400, error: title.error };
  const now = Date.now();
  const seminar = await stores.transaction(async (tx) => {
    const id = await readableId(title.value, async (candidate) => (await tx.seminars.get(candidate)) !== null, 'seminar');
    const record = { id, title: title.value, createdAt: now, createdBy: ownerId };
    await tx.seminars.insert(record);
    await tx.seminars.setMember(id, ownerId, 'owner', now);
    return record;
  });
  return { ok: true, value: seminar };
}

/** Renames a seminar. */
export async function renameSeminar(stores: ServerStores, seminarId: string, titleInput: unknown): Promise<SeminarOutcome<string>> {
  const title = validateTitle(titleInput);
  if (!title.ok) return { ok: false, status: 400, error: title.error };
  await stores.seminars.rename(seminarId, title.value);
  return { ok: true, value: title.value };
}

/** Refuses a change that would leave the seminar without an owner. */
async function lastOwnerRefusal(stores: ServerStores, seminarId: string, userId: string, nextRole: Role | null): Promise<SeminarRefusal | null> {
  if ((await stores.seminars.memberRole(seminarId, userId)) !== 'owner' || nextRole === 'owner') return null;
  if ((await stores.seminars.countOwners(seminarId)) > 1) return null;
  return { status: 409, error: 'A seminar needs an owner: make someone else owner first.' };
}

/** Gives a member another seminar role. */
export async function setMemberRole(stores: ServerStores, seminarId: string, userId: string, roleInput: unknown): Promise<SeminarOutcome<Role>> {
  if (!isRole(roleInput)) return { ok: false, status: 400, error: 'role must be owner, reviewer, annotator or viewer' };
  // One transaction: two owners demoting each other at once on two processes must not both pass the last-owner check.
  return stores.transaction(async (tx): Promise<SeminarOutcome<Role>> => {
    if ((await tx.seminars.memberRole(seminarId, userId)) === null) return { ok: false, status: 404, error: 'No such member.' };
    const refusal = await lastOwnerRefusal(tx, seminarId, userId, roleInput);
    if (refusal) return { ok: false, ...refusal };
    await tx.seminars.setMember(seminarId, userId, roleInput, Date.now());
    return { ok: true, value: roleInput };
  });
}

/**
 * Removes a member: their seminar role, their per-chapter roles and the room access they had to
 * its chapters through room invites. Their annotations stay (they are part of the apparatus).
 */
export async function removeMember(stores: ServerStores, seminarId: string, userId: string): Promise<SeminarOutcome<string>> {
  return stores.transaction(async (tx): Promise<SeminarOutcome<string>> => {
    if ((await tx.seminars.memberRole(seminarId, userId)) === null) return { ok: false, status: 404, error: 'No such member.' };
    const refusal = await lastOwnerRefusal(tx, seminarId, userId, null);
    if (refusal) return { ok: false, ...refusal };
    await tx.seminars.removeMember(seminarId, userId);
    for (const room of await tx.rooms.listForSeminar(seminarId)) await tx.grants.deleteOfUserInRoom(userId, room.id);
    return { ok: true, value: userId };
  });
}

/** Sets (or, with null, clears) a member's role in one chapter of the seminar. */
export async function setChapterRole(stores: ServerStores, seminarId: string, room: string, userId: string, roleInput: unknown): Promise<SeminarOutcome<Role | null>> {
  if (roleInput !== null && !isRole(roleInput)) return { ok: false, status: 400, error: 'role must be owner, reviewer, annotator, viewer or null' };
  if ((await stores.seminars.memberRole(seminarId, userId)) === null) return { ok: false, status: 404, error: 'No such member.' };
  if ((await stores.rooms.get(room))?.seminarId !== seminarId) return { ok: false, status: 404, error: 'No such chapter in this seminar.' };
  await stores.seminars.setChapterRole(room, userId, roleInput);
  return { ok: true, value: roleInput };
}
