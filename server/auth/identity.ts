import type { Role } from '../../schema/index.ts';
import { roomRoleOf } from '../access/room-roles.ts';
import type { RoomRoleStores } from '../access/room-roles.ts';
import type { AccountStore } from '../persistence/account-store.ts';
import type { InviteRecord, InviteStore } from '../persistence/invite-store.ts';
import type { ProfileStore } from '../persistence/profile-store.ts';
import type { RoomStore } from '../persistence/room-store.ts';
import type { SessionStore } from '../persistence/session-store.ts';
import type { WebSessionRecord, WebSessionStore } from '../persistence/web-session-store.ts';
import { PeopleDirectory } from './people.ts';
import type { Person } from './people.ts';
import { generateToken, generateUserId, hashToken } from './tokens.ts';

/**
 * Who is on the other end of a request or socket in one room: the identity every permission
 * check uses. It always comes from the server's records, never from what a client claims.
 */
export interface Session {
  userId: string;
  room: string;
  role: Role;
  /** Display name: the one the user chose, or a default made from role and id. */
  name: string;
  /**
   * What the caller presented: a room session token (cookie or bearer), an invite token itself,
   * or a browser session of a person (an account or a guest) whose role in the room comes from
   * their seminar membership or room grants.
   */
  via: 'session' | 'invite' | 'web';
  /**
   * Hash of the invite behind this identity, so that revoking the invite can close its sockets;
   * for a browser session, the room invite its role came from, or '' when it came from a seminar.
   */
  inviteHash: string;
  /**
   * Every user id that is this person (their account's and the guest identities that became
   * part of it). Absent: `userId` alone. "Own annotation" means written under any of them.
   */
  identities?: ReadonlySet<string>;
  /** For a browser session: its token's hash (signing out closes its sockets). */
  credentialHash?: string;
}

/** Why a token was not accepted. */
export type CredentialError = 'unknown' | 'expired' | 'revoked';

/** A resolved identity, or why the token does not give one. */
export type CredentialResult = { ok: true; value: Session } | { ok: false; error: CredentialError };

/** An identity in a room, or why not: a bad credential, or a good one without access (`forbidden`). */
export type RoomIdentityResult = { ok: true; value: Session } | { ok: false; error: CredentialError | 'forbidden' };

/** A newly created session and its token (shown once, stored hashed). */
export interface CreatedSession {
  token: string;
  session: Session;
}

/** A person signed in through a browser session (an account or a guest), and that session. */
export interface WebPerson extends Person {
  session: WebSessionRecord;
}

/** The stores identities are read from. */
export interface IdentityStores extends RoomRoleStores {
  invites: InviteStore;
  sessions: SessionStore;
  profiles: ProfileStore;
  webSessions: WebSessionStore;
  accounts: AccountStore;
  rooms: RoomStore;
}

/** Returns the name shown for a user who has not chosen one (`Annotator 3f2a`). */
function defaultName(role: Role, userId: string): string {
  return `${role.charAt(0).toUpperCase()}${role.slice(1)} ${userId.slice(-4)}`;
}

/** Every user id of a session's person. */
export function identitiesOf(session: Pick<Session, 'userId' | 'identities'>): ReadonlySet<string> {
  return session.identities ?? new Set([session.userId]);
}

/**
 * Turns tokens into identities: invite tokens and room sessions (one room each, as before
 * accounts existed) and browser sessions of people, whose access to a room is worked out per
 * room (`roomRoleOf`). Also creates room sessions from invites and browser sessions for people.
 */
export class IdentityService {
  readonly #stores: IdentityStores;
  readonly #sessionTtlMs: number;
  readonly people: PeopleDirectory;
  readonly #renameListeners: Array<(userId: string, name: string) => void> = [];

  constructor(stores: IdentityStores, sessionTtlMs: number) {
    this.#stores = stores;
    this.#sessionTtlMs = sessionTtlMs;
    this.people = new PeopleDirectory(stores);
  }

  /** How long a new session lives. */
  get sessionTtlMs(): number {
    return this.#sessionTtlMs;
  }

  /** Checks an invite by token hash: it must exist, be unrevoked and unexpired. */
  async #usableInvite(inviteHash: string, now: number): Promise<{ ok: true; value: InviteRecord } | { ok: false; error: CredentialError }> {
    const invite = await this.#stores.invites.findByHash(inviteHash);
    if (!invite) return { ok: false, error: 'unknown' };
    if (invite.revoked) return { ok: false, error: 'revoked' };
    if (invite.expiresAt !== null && invite.expiresAt <= now) return { ok: false, error: 'expired' };
    return { ok: true, value: invite };
  }

  async #identity(userId: string, room: string, role: Role, via: Session['via'], inviteHash: string): Promise<Session> {
    return { userId, room, role, via, inviteHash, name: (await this.#stores.profiles.getName(userId)) ?? defaultName(role, userId) };
  }

  /**
   * Resolves a room session token or an invite token (browser sessions of people are not
   * bound to a room: see `resolveForRoom`). An invite used directly gets a stable identity
   * derived from the invite (`i-` and 16 hex digits of its hash): every program holding the same
   * invite is the same user. A room session works only while its invite is usable.
   */
  async resolveToken(token: string, now = Date.now()): Promise<CredentialResult> {
    const tokenHash = hashToken(token);
    const session = await this.#stores.sessions.findByHash(tokenHash);
    if (session) {
      if (session.expiresAt <= now) return { ok: false, error: 'expired' };
      const invite = await this.#usableInvite(session.inviteHash, now);
      if (!invite.ok) return invite;
      return { ok: true, value: await this.#identity(session.userId, session.room, session.role, 'session', session.inviteHash) };
    }
    const invite = await this.#usableInvite(tokenHash, now);
    if (!invite.ok) return invite;
    const userId = `i-${tokenHash.slice(0, 16)}`;
    return { ok: true, value: await this.#identity(userId, invite.value.room, invite.value.role, 'invite', tokenHash) };
  }

  /** The person of a browser session token (an account or a guest), or why there is none. */
  personOf(token: string, now = Date.now()): Promise<{ ok: true; value: WebPerson } | { ok: false; error: CredentialError }> {
    return this.personOfHash(hashToken(token), now);
  }

  /** `personOf` by the token's hash (the sweep of open sockets knows only hashes). */
  async personOfHash(tokenHash: string, now = Date.now()): Promise<{ ok: true; value: WebPerson } | { ok: false; error: CredentialError }> {
    const session = await this.#stores.webSessions.findByHash(tokenHash);
    if (!session) return { ok: false, error: 'unknown' };
    if (session.expiresAt <= now) return { ok: false, error: 'expired' };
    return { ok: true, value: { ...(await this.people.person(session.userId)), session } };
  }

  /** Whether a token is any usable credential at all (before a room is considered), or why not. */
  async credentialProblem(token: string, now = Date.now()): Promise<CredentialError | null> {
    const person = await this.personOf(token, now);
    if (person.ok) return null;
    const resolved = await this.resolveToken(token, now);
    return resolved.ok ? null : person.error === 'expired' ? 'expired' : resolved.error;
  }

  /** The identity of a person in a room, or null when they have no access to it. */
  async #personInRoom(person: WebPerson, room: string, now: number): Promise<Session | null> {
    const record = await this.#stores.rooms.get(room);
    if (!record) return null;
    const role = await roomRoleOf(this.#stores, { userId: person.userId, isAdmin: person.account?.isAdmin ?? false }, record, now);
    if (!role) return null;
    return {
      userId: person.userId,
      room,
      role: role.role,
      via: 'web',
      inviteHash: role.inviteHash ?? '',
      name: person.name,
      identities: person.identities,
      credentialHash: person.session.tokenHash,
    };
  }

  /**
   * Resolves any token for one room: an invite or room session of that room (another room's is
   * `forbidden`), or a browser session whose person has a role there (none: `forbidden`).
   */
  async resolveForRoom(token: string, room: string, now = Date.now()): Promise<RoomIdentityResult> {
    const person = await this.personOf(token, now);
    if (person.ok) {
      const session = await this.#personInRoom(person.value, room, now);
      return session ? { ok: true, value: session } : { ok: false, error: 'forbidden' };
    }
    const resolved = await this.resolveToken(token, now);
    if (!resolved.ok) return resolved;
    return resolved.value.room === room ? resolved : { ok: false, error: 'forbidden' };
  }

  /**
   * Checks an open connection's identity again (the sweep of open sockets): returns why it no
   * longer holds — signed out, expired, removed from the seminar, a changed role — or null.
   */
  async recheck(session: Session, now = Date.now()): Promise<{ code: 'unauthorized' | 'forbidden'; reason: string } | null> {
    if (session.via !== 'web' || session.credentialHash === undefined) return null;
    const person = await this.personOfHash(session.credentialHash, now);
    if (!person.ok) return { code: 'unauthorized', reason: person.error === 'expired' ? 'session expired' : 'signed out' };
    const current = await this.#personInRoom(person.value, session.room, now);
    if (!current) return { code: 'forbidden', reason: 'no longer a member' };
    if (current.role !== session.role) return { code: 'forbidden', reason: 'role changed' };
    return null;
  }

  /** Creates a room session (a new user) from an invite token. */
  async createSession(inviteToken: string, now = Date.now()): Promise<{ ok: true; value: CreatedSession } | { ok: false; error: CredentialError }> {
    const inviteHash = hashToken(inviteToken);
    const invite = await this.#usableInvite(inviteHash, now);
    if (!invite.ok) return invite;
    const token = generateToken();
    const userId = generateUserId();
    const { room, role } = invite.value;
    await this.#stores.sessions.insert({ tokenHash: hashToken(token), userId, room, role, inviteHash, createdAt: now, expiresAt: now + this.#sessionTtlMs });
    return { ok: true, value: { token, session: await this.#identity(userId, room, role, 'session', inviteHash) } };
  }

  /** Starts a browser session for a person; returns its token (set as the cookie, stored hashed). */
  async createWebSession(userId: string, now = Date.now()): Promise<string> {
    const token = generateToken();
    await this.#stores.webSessions.insert({ tokenHash: hashToken(token), userId, createdAt: now, expiresAt: now + this.#sessionTtlMs });
    return token;
  }

  /** Records a validated display name for a user; returns the updated identity. */
  async rename(session: Session, name: string): Promise<Session> {
    await this.setName(session.userId, name);
    return { ...session, name };
  }

  /** Records a validated display name for a user (every rename passes here). */
  async setName(userId: string, name: string): Promise<void> {
    await this.#stores.profiles.setName(userId, name);
    for (const listener of this.#renameListeners) listener(userId, name);
  }

  /** Tells `listener` of every rename made here (the access checks keep current names: names.ts). */
  onRenamed(listener: (userId: string, name: string) => void): void {
    this.#renameListeners.push(listener);
  }
}
