import * as decoding from 'lib0/decoding';
import type { Awareness } from 'y-protocols/awareness';
import type { WebsocketProvider } from 'y-websocket';
import { isRole, MESSAGE_AWARENESS, presenceLook } from '../../schema/index.ts';
import type { Role } from '../../schema/index.ts';

/** The identity a user shows to the others in the room. */
export interface PresenceUser {
  /** The server-side user id, or a stand-in derived from the Yjs client id. */
  userId: string;
  name: string;
  /**
   * The presence slot the server gave this person while present (schema/room/presence-palette.ts),
   * the same in every browser; null until known.
   */
  slot: number | null;
  /** Their role in the room, as the server stamped it (and the local user published it); null when unknown. */
  role: Role | null;
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
 * (`name`, `color`), plus the fields Apparatus adds (`userId`, `slot`, `role`). The server may overwrite it with the
 * identity of the session (issue 6, item 4), so every field is read defensively.
 */
interface AwarenessUserField {
  name?: unknown;
  color?: unknown;
  userId?: unknown;
  slot?: unknown;
  role?: unknown;
}

/** Reads a presence slot: a small non-negative integer, or null. */
function slotOf(value: unknown): number | null {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) < 10_000 ? (value as number) : null;
}

/** Reads a peer identity out of an untrusted awareness state. */
export function presenceUserOf(state: unknown, clientId: number): PresenceUser {
  const user = (state as { user?: AwarenessUserField } | null)?.user ?? {};
  const userId = typeof user.userId === 'string' && user.userId !== '' ? user.userId : `client-${clientId}`;
  const name = typeof user.name === 'string' && user.name.trim() !== '' ? user.name.trim().slice(0, 60) : 'Anonymous reader';
  return { userId, name, slot: slotOf(user.slot), role: isRole(user.role) ? user.role : null };
}

/** y-prosemirror validates `color` as #rrggbb; the page itself paints with classes. Neutral until the slot is known. */
function cursorColour(slot: number | null): string {
  return slot === null ? '#5c6370' : presenceLook(slot).colour;
}

/**
 * Publishes the local user into an awareness instance, in the shape y-prosemirror expects,
 * keeping the slot the server gave (the server stamps identity and slot on what it relays).
 */
export function publishLocalUser(awareness: Awareness, user: { userId: string; name: string; role?: Role }): void {
  const slot = presenceUserOf(awareness.getLocalState(), awareness.clientID).slot;
  awareness.setLocalStateField('user', { userId: user.userId, name: user.name, ...(user.role ? { role: user.role } : {}), slot, color: cursorColour(slot) });
}

/** The slot the server stamped on this client's own state in an awareness message, or null. */
function ownSlotIn(decoder: decoding.Decoder, ownClientId: number): number | null {
  try {
    const inner = decoding.createDecoder(decoding.readVarUint8Array(decoder));
    let slot: number | null = null;
    for (let count = decoding.readVarUint(inner); count > 0; count--) {
      const clientId = decoding.readVarUint(inner);
      decoding.readVarUint(inner);
      const state = decoding.readVarString(inner);
      if (clientId === ownClientId) slot = presenceUserOf(JSON.parse(state), clientId).slot;
    }
    return slot;
  } catch {
    return null;
  }
}

/**
 * Takes the local user's presence slot from the server. The server relays every state back to
 * its sender too, stamped with the sender's slot, but y-protocols ignores a copy of its own
 * state; this reads the slot out of that copy and adopts it, so the local user shows in the
 * colour everyone else sees them in.
 */
export function followServerSlot(provider: WebsocketProvider): void {
  const handleAwareness = provider.messageHandlers[MESSAGE_AWARENESS];
  if (!handleAwareness) throw new RangeError('the provider has no awareness message handler');
  provider.messageHandlers[MESSAGE_AWARENESS] = (encoder, decoder, handlingProvider, emitSynced, messageType) => {
    const awareness = provider.awareness;
    const slot = ownSlotIn(decoding.clone(decoder), awareness.clientID);
    handleAwareness(encoder, decoder, handlingProvider, emitSynced, messageType);
    const local = awareness.getLocalState() as { user?: Record<string, unknown> } | null;
    if (slot === null || !local?.user || local.user.slot === slot) return;
    awareness.setLocalStateField('user', { ...local.user, slot, color: cursorColour(slot) });
  };
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
