import type { Statement } from 'better-sqlite3';
import { COLLAB_CLOSE } from '../../schema/index.ts';
import type { IdentityService } from '../auth/identity.ts';
import type { CollabConnection } from '../collab/collab-connection.ts';
import type { Logger } from '../logger.ts';
import type { AppDatabase } from '../persistence/database.ts';
import type { InviteStore } from '../persistence/invite-store.ts';

/**
 * Closes collaboration connections whose credential stopped being valid while they were open:
 * the invite behind them was revoked or expired, the room session expired, or — for people
 * signed in — their browser session ended (signed out, everywhere too) or their role in the
 * room changed (removed from the seminar, another role given: 4403). Revoking
 * through the API closes the invite's connections at once (`closeConnectionsOfInvite`); the
 * sweep (every `intervalMs`, default 1 s) catches expiry and revocations made any other way.
 */

/** Session expiry by user id (a session is one user), read from the server's `sessions` table. */
export class SessionExpiry {
  readonly #select: Statement<[string], { expires_at: number }>;

  constructor(db: AppDatabase) {
    this.#select = db.prepare('SELECT expires_at FROM sessions WHERE user_id = ?');
  }

  /** When the session of `userId` ends (epoch ms), or null if it has none. */
  expiresAt(userId: string): number | null {
    return this.#select.get(userId)?.expires_at ?? null;
  }
}

/** Returns why an invite no longer admits anyone, or null while it does. */
function inviteProblem(invites: InviteStore, inviteHash: string, now: number): string | null {
  const invite = invites.findByHash(inviteHash);
  if (!invite) return 'invite removed';
  if (invite.revoked) return 'invite revoked';
  if (invite.expiresAt !== null && invite.expiresAt <= now) return 'invite expired';
  return null;
}

/** Closes every open connection made with the invite `inviteHash`; returns how many. */
export function closeConnectionsOfInvite(connections: Iterable<CollabConnection>, inviteHash: string, reason: string): number {
  return closeConnectionsWhere(connections, (connection) => connection.session.inviteHash === inviteHash, COLLAB_CLOSE.unauthorized, reason);
}

/**
 * Closes every open connection whose identity matches `predicate` with `code` (a member removed
 * from a seminar: 4403; every session of a person ended: 4401); returns how many.
 */
export function closeConnectionsWhere(connections: Iterable<CollabConnection>, predicate: (connection: CollabConnection) => boolean, code: number, reason: string): number {
  let closed = 0;
  for (const connection of [...connections]) {
    if (!connection.open || !predicate(connection)) continue;
    connection.close(code, reason);
    closed++;
  }
  return closed;
}

/** What the sweeper checks against. */
export interface CredentialSweeperOptions {
  connections: () => Iterable<CollabConnection>;
  invites: InviteStore;
  sessions: SessionExpiry;
  /** Checks browser sessions of people again (signed out, removed, role changed); none: not checked. */
  identity?: IdentityService | undefined;
  intervalMs: number;
  log: Logger;
}

/** The periodic check of open connections' credentials. */
export class CredentialSweeper {
  readonly #options: CredentialSweeperOptions;
  #timer: NodeJS.Timeout | null = null;

  constructor(options: CredentialSweeperOptions) {
    this.#options = options;
  }

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => this.sweep(), this.#options.intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** Checks every open connection once (one lookup per invite); returns how many it closed. */
  sweep(now = Date.now()): number {
    const { invites, sessions, log } = this.#options;
    const verdicts = new Map<string, string | null>();
    let closed = 0;
    try {
      for (const connection of [...this.#options.connections()]) {
        if (!connection.open) continue;
        const { inviteHash, userId, via } = connection.session;
        if (via === 'web') {
          closed += this.#recheckPerson(connection, now);
          continue;
        }
        if (!verdicts.has(inviteHash)) verdicts.set(inviteHash, inviteProblem(invites, inviteHash, now));
        let problem = verdicts.get(inviteHash) ?? null;
        const sessionEnds = via === 'session' ? sessions.expiresAt(userId) : null;
        if (!problem && via === 'session' && (sessionEnds === null || sessionEnds <= now)) problem = 'session expired';
        if (!problem) continue;
        connection.close(COLLAB_CLOSE.unauthorized, problem);
        log.info('collab.credential-ended', { doc: connection.doc.name, user: userId, reason: problem });
        closed++;
      }
    } catch (error) {
      // The database may be closing (shutdown): try again next time rather than crash the timer.
      log.warn('collab.credential-sweep-failed', { error });
    }
    return closed;
  }

  /** Closes a person's connection whose session ended or whose role in the room changed; returns 1 if it did. */
  #recheckPerson(connection: CollabConnection, now: number): number {
    const problem = this.#options.identity?.recheck(connection.session, now) ?? null;
    if (!problem) return 0;
    connection.close(COLLAB_CLOSE[problem.code], problem.reason);
    this.#options.log.info('collab.credential-ended', { doc: connection.doc.name, user: connection.session.userId, reason: problem.reason });
    return 1;
  }
}
