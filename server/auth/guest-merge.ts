import type { SessionRecord } from '../persistence/session-store.ts';
import type { ServerStores } from '../persistence/server-stores.ts';

/**
 * A guest's work kept when they sign up or sign in (docs/accounts-and-seminars.md, "One
 * person"). A guest is a user id with no account: either a browser session of a person who
 * joined a seminar by invite link, or a room session made by a room invite link. Signing up
 * makes the guest's user id the account's own; signing in to an existing account links it to
 * that account (`identity_links`), so that what they wrote as a guest stays theirs, and moves
 * their memberships and room access over.
 */

/** What a browser held before signing up or in: a guest's browser session, a room session, or nothing. */
export type PriorIdentity =
  | { kind: 'guest'; userId: string; tokenHash: string }
  | { kind: 'room-session'; userId: string; session: SessionRecord }
  | { kind: 'account'; userId: string; tokenHash: string }
  | null;

/** The guest user id a new account may take over, or null (no guest, or the id is taken). */
export async function adoptableGuestId(stores: Pick<ServerStores, 'accounts'>, prior: PriorIdentity): Promise<string | null> {
  if (prior === null || prior.kind === 'account') return null;
  if ((await stores.accounts.get(prior.userId)) || (await stores.accounts.accountOfAlias(prior.userId))) return null;
  return prior.userId;
}

/** A room session becomes a room grant of the person (same room, role and invite), and ends. */
async function carryRoomSession(stores: ServerStores, session: SessionRecord, userId: string, now: number): Promise<void> {
  await stores.grants.insert({ room: session.room, userId, role: session.role, inviteHash: session.inviteHash, grantedAt: now });
  await stores.sessions.delete(session.tokenHash);
}

/**
 * Makes the prior guest identity part of the account `userId` (run inside the caller's
 * transaction): the account adopted it (same id: only a room session needs carrying over) or it
 * is linked as an alias and its memberships, per-chapter roles and room grants move to the
 * account. The guest's browser sessions end (the caller starts a fresh one: rotation).
 */
export async function absorbGuest(stores: ServerStores, prior: PriorIdentity, userId: string, now: number): Promise<void> {
  if (prior === null || prior.kind === 'account') return;
  if (prior.userId !== userId) {
    if (await stores.accounts.get(prior.userId)) return;
    await stores.accounts.link(prior.userId, userId, now);
    await stores.seminars.reassign(prior.userId, userId);
    await stores.grants.reassign(prior.userId, userId);
    await stores.webSessions.deleteAllOf(prior.userId);
  }
  if (prior.kind === 'room-session') await carryRoomSession(stores, prior.session, userId, now);
}
