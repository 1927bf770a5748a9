import { isRole } from '../../schema/index.ts';
import type { RoomMember } from '../collab/room-api.ts';

const key = (room: string): string => `apparatus.member.${room}`;

/** Remembers who this browser is in `room`, so the room can open offline after a reload. */
export function rememberMember(member: RoomMember): void {
  try {
    localStorage.setItem(key(member.room), JSON.stringify(member));
  } catch {
    // Storage can be disabled; the room then needs the network to open.
  }
}

/** The member last seen in `room` in this browser, or null. Checked, since storage is untrusted. */
export function recallMember(room: string): RoomMember | null {
  try {
    const raw = localStorage.getItem(key(room));
    const value = raw ? (JSON.parse(raw) as Partial<RoomMember>) : null;
    if (!value || typeof value.userId !== 'string' || !isRole(value.role) || value.room !== room) return null;
    const identities = Array.isArray(value.identities) ? value.identities.filter((id): id is string => typeof id === 'string') : [value.userId];
    const seminar = value.seminar && typeof value.seminar.id === 'string' && typeof value.seminar.title === 'string' ? { id: value.seminar.id, title: value.seminar.title } : null;
    return { userId: value.userId, role: value.role, name: typeof value.name === 'string' ? value.name : '', room, roomUid: typeof value.roomUid === 'string' ? value.roomUid : null, identities, seminar, isAccount: value.isAccount === true };
  } catch {
    return null;
  }
}
