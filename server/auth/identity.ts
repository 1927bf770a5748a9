import type { Role } from '../../schema/index.ts';
import type { InviteRecord, InviteStore } from '../persistence/invite-store.ts';
import type { ProfileStore } from '../persistence/profile-store.ts';
import type { SessionStore } from '../persistence/session-store.ts';
import { generateToken, generateUserId, hashToken } from './tokens.ts';

/**
 * Who is on the other end of a request or socket: the identity every permission check uses.
 * It always comes from the server's records, never from what a client claims.
 */
export interface Session {
  userId: string;
  room: string;
  role: Role;
  /** Display name: the one the user chose, or a default made from role and id. */
  name: string;
  /** Whether the caller presented a session token (cookie or bearer) or an invite token itself. */
  via: 'session' | 'invite';
  /** Hash of the invite behind this identity, so that revoking the invite can close its sockets. */
  inviteHash: string;
}

/** Why a token was not accepted. */
export type CredentialError = 'unknown' | 'expired' | 'revoked';

/** A resolved identity, or why the token does not give one. */
export type CredentialResult = { ok: true; value: Session } | { ok: false; error: CredentialError };

/** A newly created session and its token (shown once, stored hashed). */
export interface CreatedSession {
  token: string;
  session: Session;
}

/** Returns the name shown for a user who has not chosen one (`Annotator 3f2a`). */
function defaultName(role: Role, userId: string): string {
  return `${role.charAt(0).toUpperCase()}${role.slice(1)} ${userId.slice(-4)}`;
}

/** Turns invite and session tokens into identities, and creates sessions from invites. */
export class IdentityService {
  readonly #invites: InviteStore;
  readonly #sessions: SessionStore;
  readonly #profiles: ProfileStore;
  readonly #sessionTtlMs: number;

  constructor(stores: { invites: InviteStore; sessions: SessionStore; profiles: ProfileStore }, sessionTtlMs: number) {
    this.#invites = stores.invites;
    this.#sessions = stores.sessions;
    this.#profiles = stores.profiles;
    this.#sessionTtlMs = sessionTtlMs;
  }

  /** Checks an invite by token hash: it must exist, be unrevoked and unexpired. */
  #usableInvite(inviteHash: string, now: number): { ok: true; value: InviteRecord } | { ok: false; error: CredentialError } {
    const invite = this.#invites.findByHash(inviteHash);
    if (!invite) return { ok: false, error: 'unknown' };
    if (invite.revoked) return { ok: false, error: 'revoked' };
    if (invite.expiresAt !== null && invite.expiresAt <= now) return { ok: false, error: 'expired' };
    return { ok: true, value: invite };
  }

  #identity(userId: string, room: string, role: Role, via: Session['via'], inviteHash: string): Session {
    return { userId, room, role, via, inviteHash, name: this.#profiles.getName(userId) ?? defaultName(role, userId) };
  }

  /**
   * Resolves a session token or an invite token. An invite used directly gets a stable identity
   * derived from the invite (`i-` and 16 hex digits of its hash): every program holding the same
   * invite is the same user. A session works only while its invite is usable.
   */
  resolveToken(token: string, now = Date.now()): CredentialResult {
    const tokenHash = hashToken(token);
    const session = this.#sessions.findByHash(tokenHash);
    if (session) {
      if (session.expiresAt <= now) return { ok: false, error: 'expired' };
      const invite = this.#usableInvite(session.inviteHash, now);
      if (!invite.ok) return invite;
      return { ok: true, value: this.#identity(session.userId, session.room, session.role, 'session', session.inviteHash) };
    }
    const invite = this.#usableInvite(tokenHash, now);
    if (!invite.ok) return invite;
    const userId = `i-${tokenHash.slice(0, 16)}`;
    return { ok: true, value: this.#identity(userId, invite.value.room, invite.value.role, 'invite', tokenHash) };
  }

  /** Creates a session (a new user) from an invite token. */
  createSession(inviteToken: string, now = Date.now()): { ok: true; value: CreatedSession } | { ok: false; error: CredentialError } {
    const inviteHash = hashToken(inviteToken);
    const invite = this.#usableInvite(inviteHash, now);
    if (!invite.ok) return invite;
    const token = generateToken();
    const userId = generateUserId();
    const { room, role } = invite.value;
    this.#sessions.insert({ tokenHash: hashToken(token), userId, room, role, inviteHash, createdAt: now, expiresAt: now + this.#sessionTtlMs });
    return { ok: true, value: { token, session: this.#identity(userId, room, role, 'session', inviteHash) } };
  }

  /** Records a validated display name for a user; returns the updated identity. */
  rename(session: Session, name: string): Session {
    this.#profiles.setName(session.userId, name);
    return { ...session, name };
  }
}
