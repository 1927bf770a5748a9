import { COLLAB_CLOSE } from '../../schema/index.ts';
import type { IdentityService } from '../auth/identity.ts';
import type { CollabConnection } from '../collab/collab-connection.ts';
import type { Logger } from '../logger.ts';
import type { InviteStore } from '../persistence/invite-store.ts';
import type { SessionStore } from '../persistence/session-store.ts';
import { rerunAfter } from '../rerun-after.ts';
import type { CurrentNames } from './current-names.ts';

/**
 * Closes collaboration connections whose credential stopped being valid while they were open:
 * the invite behind them was revoked or expired, the room session expired, or — for people
 * signed in — their browser session ended (signed out, everywhere too) or their role in the
 * room changed (removed from the seminar, another role given: 4403). Revoking
 * through the API closes the invite's connections at once (`closeConnectionsOfInvite`); the
 * sweep (every `intervalMs`, default 1 s) catches expiry and revocations made any other way.
 */

/** Returns why an invite no longer admits anyone, or null while it does. */
async function inviteProblem(invites: InviteStore, inviteHash: string, now: number): Promise<string | null> {
  const invite = await invites.findByHash(inviteHash);
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
  sessions: SessionStore;
  /** Forgets the names of users no longer connected. */
  names?: CurrentNames | undefined;
  /** Checks browser sessions of people again (signed out, removed, role changed); none: not checked. */
  identity?: IdentityService | undefined;
  intervalMs: number;
  log: Logger;
}

/**
 * The periodic check of open connections' credentials. Every server process sweeps its own
 * sockets against the shared store, so a revocation or a role change made through any process
 * closes the sockets of every process within one interval (default 1 s), or at once when that
 * process is told (`sweepSoon`, docs/several-servers.md).
 */
export class CredentialSweeper {
  readonly #options: CredentialSweeperOptions;
  #timer: NodeJS.Timeout | null = null;

  constructor(options: CredentialSweeperOptions) {
    this.#options = options;
  }

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.sweepSoon(), this.#options.intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** Sweeps now, or right after the sweep running now (which may have read the store before the change); resolves with how many it closed. */
  readonly sweepSoon: () => Promise<number> = rerunAfter(() => this.sweep());

  /** Checks every open connection once (one lookup per invite, one per person and room); returns how many it closed. */
  async sweep(now = Date.now()): Promise<number> {
    const { invites, sessions, log, names } = this.#options;
    const verdicts = new Map<string, string | null>();
    const people = new Map<string, { code: 'unauthorized' | 'forbidden'; reason: string } | null>();
    let closed = 0;
    try {
      const connections = [...this.#options.connections()];
      names?.retain(new Set(connections.map((connection) => connection.session.userId)));
      for (const connection of connections) {
        if (!connection.open) continue;
        const { inviteHash, userId, via } = connection.session;
        if (via === 'web') {
          closed += await this.#recheckPerson(connection, people, now);
          continue;
        }
        if (!verdicts.has(inviteHash)) verdicts.set(inviteHash, await inviteProblem(invites, inviteHash, now));
        let problem = verdicts.get(inviteHash) ?? null;
        const sessionEnds = via === 'session' ? await sessions.expiresAtOfUser(userId) : null;
        if (!problem && via === 'session' && (sessionEnds === null || sessionEnds <= now)) problem = 'session expired';
        if (!problem) continue;
        connection.close(COLLAB_CLOSE.unauthorized, problem);
        log.info('collab.credential-ended', { doc: connection.doc.name, user: userId, reason: problem });
        closed++;
      }
    } catch (error) {
      // The database may be closing (shutdown) or out of reach: try again next time rather than crash the timer.
      log.warn('collab.credential-sweep-failed', { error });
    }
    return closed;
  }

  /** Closes a person's connection whose session ended or whose role in the room changed; returns 1 if it did. */
  async #recheckPerson(connection: CollabConnection, people: Map<string, { code: 'unauthorized' | 'forbidden'; reason: string } | null>, now: number): Promise<number> {
    const { session } = connection;
    // The text and annotation sockets of one person in one room: one check.
    const key = `${session.credentialHash ?? ''}\u0000${session.room}\u0000${session.role}`;
    if (!people.has(key)) people.set(key, (await this.#options.identity?.recheck(session, now)) ?? null);
    const problem = people.get(key) ?? null;
    if (!problem) return 0;
    connection.close(COLLAB_CLOSE[problem.code], problem.reason);
    this.#options.log.info('collab.credential-ended', { doc: connection.doc.name, user: session.userId, reason: problem.reason });
    return 1;
  }
}
