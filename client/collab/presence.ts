import type { Awareness } from 'y-protocols/awareness';
import { PRESENCE_COLOURS, presenceColourIndex } from './presence-colours.ts';

/** The identity a user shows to the others in the room. */
export interface PresenceUser {
  /** The server-side user id, or a stand-in derived from the Yjs client id. */
  userId: string;
  name: string;
  /** Palette slot 0–7, derived from the user id so every browser agrees. */
  colourIndex: number;
}

/** One person in the room, possibly connected from several tabs. */
export interface Peer extends PresenceUser {
  /** Whether this entry is the local user. */
  isSelf: boolean;
  /** The Yjs client ids under which this user is connected. */
  clientIds: number[];
}

/**
 * The `user` field of an awareness state, as y-prosemirror's cursor plugin reads it
 * (`name`, `color`), plus the fields Apparatus adds. The server may overwrite it with the
 * identity of the session (issue 6, item 4), so every field is read defensively.
 */
interface AwarenessUserField {
  name?: unknown;
  color?: unknown;
  userId?: unknown;
}

/** Reads a peer identity out of an untrusted awareness state. */
export function presenceUserOf(state: unknown, clientId: number): PresenceUser {
  const user = (state as { user?: AwarenessUserField } | null)?.user ?? {};
  const userId = typeof user.userId === 'string' && user.userId !== '' ? user.userId : `client-${clientId}`;
  const name = typeof user.name === 'string' && user.name.trim() !== '' ? user.name.trim().slice(0, 60) : 'Anonymous reader';
  return { userId, name, colourIndex: presenceColourIndex(userId) };
}

/** Publishes the local user into an awareness instance, in the shape y-prosemirror expects. */
export function publishLocalUser(awareness: Awareness, user: { userId: string; name: string }): void {
  const colourIndex = presenceColourIndex(user.userId);
  awareness.setLocalStateField('user', {
    userId: user.userId,
    name: user.name,
    // y-prosemirror validates `color` as #rrggbb; the page itself paints with classes.
    color: PRESENCE_COLOURS[colourIndex],
  });
}

/**
 * Lists the people in the room from an awareness instance: one entry per user id (several
 * tabs of one person collapse), the local user first, then the others by name.
 */
export function listPeers(awareness: Awareness): Peer[] {
  const byUser = new Map<string, Peer>();
  awareness.getStates().forEach((state, clientId) => {
    const user = presenceUserOf(state, clientId);
    const isSelf = clientId === awareness.clientID;
    const existing = byUser.get(user.userId);
    if (existing) {
      existing.clientIds.push(clientId);
      existing.isSelf ||= isSelf;
    } else {
      byUser.set(user.userId, { ...user, isSelf, clientIds: [clientId] });
    }
  });
  return [...byUser.values()].sort((a, b) => Number(b.isSelf) - Number(a.isSelf) || a.name.localeCompare(b.name));
}
