import type { IncomingMessage } from 'node:http';
import type { CollabConnection } from './collab-connection.ts';
import type { AcceptedUpgrade } from './upgrade-auth.ts';

/**
 * The seam through which the access-control layer (`server/access/`) guards the collaboration
 * endpoint: origin and rate checks before the handshake, socket caps after authentication,
 * per-frame rate limits, and the awareness rewrite. Every method but `vetUpgrade` is synchronous
 * and never throws for bad input. Without a guard the endpoint applies none of these.
 */
export interface ConnectionGuard {
  /** Before the WebSocket handshake: refuse with an HTTP status (403 foreign origin, 429 too many upgrades). */
  screenUpgrade(request: IncomingMessage): { ok: true } | { ok: false; status: number; reason: string };
  /**
   * After authentication, before the handshake completes: a decision that reads the store
   * (asynchronous, unlike the rest); a refusal closes the socket with its code. Optional.
   */
  vetUpgrade?(accepted: AcceptedUpgrade): Promise<{ code: number; reason: string } | null>;
  /** After authentication: refuse with a close code (1013 too many sockets). */
  admitConnection(request: IncomingMessage, accepted: AcceptedUpgrade): { ok: true } | { ok: false; code: number; reason: string };
  /** A connection was attached to its document. */
  attached(connection: CollabConnection, request: IncomingMessage): void;
  /** A connection's socket closed. */
  detached(connection: CollabConnection): void;
  /** Whether to handle a frame of `bytes` bytes now; false drops it (the guard may have closed the connection). */
  admitFrame(connection: CollabConnection, frame: Uint8Array): boolean;
  /** Takes an incoming awareness update (already decoded once); the guard applies what it allows. */
  receiveAwareness(connection: CollabConnection, update: Uint8Array): void;
}
