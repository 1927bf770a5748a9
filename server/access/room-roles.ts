import { ROLES } from '../../schema/index.ts';
import type { Role } from '../../schema/index.ts';
import type { InviteStore } from '../persistence/invite-store.ts';
import type { RoomGrantStore } from '../persistence/room-grant-store.ts';
import type { RoomRecord } from '../persistence/room-store.ts';
import type { SeminarStore } from '../persistence/seminar-store.ts';

/**
 * A person's role in one room (one chapter), from what the server records: their seminar role,
 * replaced in that chapter by a per-chapter role when one is set; rooms they were given by a
 * room invite while signed in (as long as that invite is usable); and, for rooms that belong to
 * no seminar, the administrator's. The most powerful of these applies, and an archived chapter
 * is read-only for everyone (viewer). The role table itself is `schema/room/roles.ts`.
 */

/** What the role is derived from. */
export interface RoomRoleStores {
  seminars: SeminarStore;
  grants: RoomGrantStore;
  invites: InviteStore;
}

/** Who asks: a person's user id and whether they administer the instance. */
export interface RoomRoleSubject {
  userId: string;
  isAdmin: boolean;
}

/** A role and, when it comes from a room invite, that invite (revoking it ends the access). */
export interface RoomRole {
  role: Role;
  inviteHash: string | null;
}

/** The more powerful of two roles (ROLES runs from most to least powerful). */
export function strongerRole(a: Role, b: Role): Role {
  return ROLES.indexOf(a) <= ROLES.indexOf(b) ? a : b;
}

/** Whether an invite admits anyone at `now`. */
async function inviteUsable(invites: InviteStore, inviteHash: string, now: number): Promise<boolean> {
  const invite = await invites.findByHash(inviteHash);
  return invite !== null && !invite.revoked && (invite.expiresAt === null || invite.expiresAt > now);
}

/** Returns the subject's role in `room`, or null when they have no access. */
export async function roomRoleOf(stores: RoomRoleStores, subject: RoomRoleSubject, room: RoomRecord, now: number): Promise<RoomRole | null> {
  let best: RoomRole | null = null;
  const consider = (role: Role, inviteHash: string | null) => {
    if (best === null || strongerRole(role, best.role) !== best.role) best = { role, inviteHash };
  };
  if (room.seminarId !== null) {
    const member = await stores.seminars.memberRole(room.seminarId, subject.userId);
    if (member !== null) consider((await stores.seminars.chapterRole(room.id, subject.userId)) ?? member, null);
  } else if (subject.isAdmin) {
    consider('owner', null);
  }
  for (const grant of await stores.grants.forUserInRoom(subject.userId, room.id)) {
    if (await inviteUsable(stores.invites, grant.inviteHash, now)) consider(grant.role, grant.inviteHash);
  }
  const found = best as RoomRole | null;
  if (found === null) return null;
  return room.archivedAt === null ? found : { ...found, role: 'viewer' };
}
