import type { RoomMember } from '../collab/room-api.ts';

const LAST_NAME_KEY = 'apparatus.last-name';
const chosenKey = (userId: string): string => `apparatus.name-chosen.${userId}`;

/** The name the server makes up for a user who never chose one (`Annotator 3f2a`). */
function isServerDefaultName(member: RoomMember): boolean {
  const role = member.role.charAt(0).toUpperCase() + member.role.slice(1);
  return member.name === '' || member.name === `${role} ${member.userId.slice(-4)}`;
}

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    // Storage can be disabled; the dialog then simply asks again.
    return null;
  }
}

/** Whether to ask this user for a display name before entering the room. */
export function needsDisplayName(member: RoomMember): boolean {
  return isServerDefaultName(member) && read(chosenKey(member.userId)) === null;
}

/** The name to suggest in the dialog: the one on the server, or the last one used in this browser. */
export function suggestedDisplayName(member: RoomMember): string {
  return isServerDefaultName(member) ? (read(LAST_NAME_KEY) ?? '') : member.name;
}

/** Remembers that this user picked `name`, so the dialog is not shown again. */
export function rememberDisplayName(member: RoomMember, name: string): void {
  try {
    localStorage.setItem(chosenKey(member.userId), '1');
    localStorage.setItem(LAST_NAME_KEY, name);
  } catch {
    // Storage can be disabled; the server still has the name.
  }
}
