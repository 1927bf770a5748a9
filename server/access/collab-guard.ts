import type { IncomingMessage } from 'node:http';
import type { CollabConnection } from '../collab/collab-connection.ts';
import type { ConnectionGuard } from '../collab/connection-guard.ts';
import type { AcceptedUpgrade } from '../collab/upgrade-auth.ts';
import type { ServerConfig } from '../config.ts';
import type { Logger } from '../logger.ts';
import { AwarenessGuard } from './awareness-guard.ts';
import { enforceFrameVerdict, FrameBudget } from './frame-budget.ts';
import { hostRefusal } from './host-policy.ts';
import type { HostPolicy } from './host-policy.ts';
import { upgradeOriginRefusal } from './origin-policy.ts';
import type { OriginPolicy } from './origin-policy.ts';
import { WindowCounter } from './rate-limits.ts';

/** WebSocket close code "try again later" (RFC 6455 registry): too many sockets now. */
export const CLOSE_TRY_AGAIN_LATER = 1013;

/** The limits the guard enforces (a subset of ServerConfig). */
export type CollabGuardLimits = Pick<
  ServerConfig,
  | 'maxPayloadBytes'
  | 'messagesPerSecond'
  | 'bytesPerSecond'
  | 'floodThrottleLimit'
  | 'connectionsPerMinute'
  | 'maxSocketsPerAddress'
  | 'maxSocketsPerRoom'
  | 'awarenessMaxBytes'
  | 'awarenessPerSecond'
>;

/** What the guard needs besides its limits. */
export interface CollabGuardOptions {
  limits: CollabGuardLimits;
  origins: OriginPolicy;
  /** The names this server answers to; without it any Host passes. */
  hosts?: HostPolicy;
  log: Logger;
  currentName?: (userId: string) => string | null;
  /** Told of each user whose connection is attached (their current name is read then). */
  attachedUser?: (userId: string) => void;
}

/** The address a request came from (the TCP peer; a reverse proxy's address if there is one). */
export function remoteAddressOf(request: IncomingMessage): string {
  return request.socket.remoteAddress ?? 'unknown';
}

function increment(counts: Map<string, number>, key: string, by: number): void {
  const next = (counts.get(key) ?? 0) + by;
  if (next <= 0) counts.delete(key);
  else counts.set(key, next);
}

/**
 * The access layer's guard of the collaboration endpoint (`ConnectionGuard`): Origin allow-list
 * and upgrades per address per minute before the handshake; open sockets per address and per
 * room after authentication; per-connection frame budgets; awareness rewriting.
 */
export class CollabGuard implements ConnectionGuard {
  readonly #options: CollabGuardOptions;
  readonly #upgrades: WindowCounter;
  readonly #socketsByAddress = new Map<string, number>();
  readonly #socketsByRoom = new Map<string, number>();
  readonly #addressOf = new WeakMap<CollabConnection, string>();
  readonly #budgets = new WeakMap<CollabConnection, FrameBudget>();
  readonly awareness: AwarenessGuard;
  #lastSweep = 0;

  constructor(options: CollabGuardOptions) {
    this.#options = options;
    this.#upgrades = new WindowCounter(options.limits.connectionsPerMinute, 60_000);
    this.awareness = new AwarenessGuard({ maxBytes: options.limits.awarenessMaxBytes, perSecond: options.limits.awarenessPerSecond, currentName: options.currentName });
  }

  screenUpgrade(request: IncomingMessage): { ok: true } | { ok: false; status: number; reason: string } {
    const misdirected = this.#options.hosts ? hostRefusal(request.headers.host, this.#options.hosts) : null;
    if (misdirected) return { ok: false, status: 403, reason: misdirected };
    const refusal = upgradeOriginRefusal(request, this.#options.origins);
    if (refusal) return { ok: false, status: 403, reason: refusal };
    const now = Date.now();
    if (now - this.#lastSweep > 60_000) {
      this.#upgrades.sweep(now);
      this.#lastSweep = now;
    }
    if (!this.#upgrades.hit(remoteAddressOf(request), now)) {
      return { ok: false, status: 429, reason: `more than ${this.#options.limits.connectionsPerMinute} connections per minute from this address` };
    }
    return { ok: true };
  }

  admitConnection(request: IncomingMessage, accepted: AcceptedUpgrade): { ok: true } | { ok: false; code: number; reason: string } {
    const { maxSocketsPerAddress, maxSocketsPerRoom } = this.#options.limits;
    if ((this.#socketsByAddress.get(remoteAddressOf(request)) ?? 0) >= maxSocketsPerAddress) {
      return { ok: false, code: CLOSE_TRY_AGAIN_LATER, reason: 'too many connections from this address' };
    }
    if ((this.#socketsByRoom.get(accepted.room) ?? 0) >= maxSocketsPerRoom) return { ok: false, code: CLOSE_TRY_AGAIN_LATER, reason: 'too many connections to this room' };
    return { ok: true };
  }

  attached(connection: CollabConnection, request: IncomingMessage): void {
    const address = remoteAddressOf(request);
    this.#addressOf.set(connection, address);
    increment(this.#socketsByAddress, address, 1);
    increment(this.#socketsByRoom, connection.doc.room, 1);
    this.#budgets.set(connection, new FrameBudget(this.#options.limits, Date.now()));
    this.#options.attachedUser?.(connection.session.userId);
  }

  detached(connection: CollabConnection): void {
    const address = this.#addressOf.get(connection);
    if (address === undefined) return;
    this.#addressOf.delete(connection);
    increment(this.#socketsByAddress, address, -1);
    increment(this.#socketsByRoom, connection.doc.room, -1);
    this.#budgets.get(connection)?.dispose();
    this.#budgets.delete(connection);
    this.awareness.detached(connection);
  }

  admitFrame(connection: CollabConnection, frame: Uint8Array): boolean {
    // Frames still arriving on a closing socket (the rest of a flood) are dropped uncounted.
    if (!connection.open) return false;
    const budget = this.#budgets.get(connection);
    if (!budget) return true;
    const now = Date.now();
    const verdict = budget.charge(frame, now);
    if (verdict === 'close') this.#options.log.warn('collab.flood-closed', { doc: connection.doc.name, user: connection.session.userId, reason: budget.closeReason });
    return enforceFrameVerdict(budget, connection, verdict, now);
  }

  receiveAwareness(connection: CollabConnection, update: Uint8Array): void {
    this.awareness.receive(connection, update);
  }

  /** Open sockets per address and per room (for /healthz-style figures and tests). */
  counts(): { addresses: number; rooms: number; sockets: number } {
    let sockets = 0;
    for (const n of this.#socketsByAddress.values()) sockets += n;
    return { addresses: this.#socketsByAddress.size, rooms: this.#socketsByRoom.size, sockets };
  }
}
