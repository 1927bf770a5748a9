import { COLLAB_CLOSE, MESSAGE_SYNC } from '../../schema/index.ts';
import type { CollabConnection } from '../collab/collab-connection.ts';
import { TokenBucket } from './rate-limits.ts';

/**
 * Per-connection limits on what a client sends: messages per second and bytes per second
 * (token buckets with bursts), and sync step 1 requests (each one makes the server encode the
 * whole document). A connection over budget is throttled: its socket is paused until the
 * buckets refill, so TCP pushes back on the sender. Frames already read still count; a sender
 * that goes a whole burst into debt, or is throttled again and again, is closed (1008).
 */

/** The limits of one connection (from ServerConfig). */
export interface FrameLimits {
  messagesPerSecond: number;
  bytesPerSecond: number;
  /** The largest message accepted: one always fits in a full byte bucket. */
  maxPayloadBytes: number;
  /** Throttling episodes within FLOOD_WINDOW_MS after which the connection is closed. */
  floodThrottleLimit: number;
}

/** The window in which throttling episodes are counted. */
export const FLOOD_WINDOW_MS = 10_000;
/** Sync step 1 requests a connection may make in a burst, and how fast that refills (per second). */
const SYNC_REQUEST_BURST = 5;
const SYNC_REQUESTS_PER_SECOND = 0.5;

/** The outcome of admitting one frame. */
export type FrameVerdict = 'handle' | 'throttle' | 'close';

/** The budget of one connection. */
export class FrameBudget {
  readonly #messages: TokenBucket;
  readonly #bytes: TokenBucket;
  readonly #syncRequests: TokenBucket;
  readonly #floodLimit: number;
  #throttledAt: number[] = [];
  #resumeTimer: NodeJS.Timeout | null = null;
  /** Why the budget decided to close the connection, when it did. */
  closeReason = '';

  constructor(limits: FrameLimits, now: number) {
    this.#messages = new TokenBucket(limits.messagesPerSecond, limits.messagesPerSecond * 2, now);
    this.#bytes = new TokenBucket(limits.bytesPerSecond, limits.maxPayloadBytes + limits.bytesPerSecond, now);
    this.#syncRequests = new TokenBucket(SYNC_REQUESTS_PER_SECOND, SYNC_REQUEST_BURST, now);
    this.#floodLimit = limits.floodThrottleLimit;
  }

  /** Charges one frame. `throttle` means: handle it, but stop reading for `pauseMs()`. */
  charge(frame: Uint8Array, now: number): FrameVerdict {
    const messagesLeft = this.#messages.take(1, now);
    const bytesLeft = this.#bytes.take(frame.byteLength, now);
    if (messagesLeft < -this.#messages.capacity || bytesLeft < -this.#bytes.capacity) return this.#close('message flood');
    // A sync step 1 (type 0, subtype 0) makes the server encode the whole document for the sender.
    if (frame[0] === MESSAGE_SYNC && frame[1] === 0 && this.#syncRequests.take(1, now) < 0) return this.#close('too many sync requests');
    if (messagesLeft >= 0 && bytesLeft >= 0) return 'handle';
    if (this.#resumeTimer) return 'handle';
    this.#throttledAt = this.#throttledAt.filter((t) => now - t < FLOOD_WINDOW_MS);
    this.#throttledAt.push(now);
    if (this.#throttledAt.length > this.#floodLimit) return this.#close('sustained message flood');
    return 'throttle';
  }

  /** How long to stop reading so that both buckets are solvent again. */
  pauseMs(now: number): number {
    return Math.max(this.#messages.msUntilSolvent(now), this.#bytes.msUntilSolvent(now), 1);
  }

  #close(reason: string): FrameVerdict {
    this.closeReason = reason;
    return 'close';
  }

  /** Pauses the connection's socket and resumes it after `ms`, unless it closed meanwhile. */
  pause(connection: CollabConnection, ms: number): void {
    connection.socket.pause();
    this.#resumeTimer = setTimeout(() => {
      this.#resumeTimer = null;
      // Also when closing: the close handshake needs the peer's close frame to be read.
      connection.socket.resume();
    }, ms);
    this.#resumeTimer.unref();
  }

  /** Stops the pending resume (the connection closed). */
  dispose(): void {
    if (this.#resumeTimer) clearTimeout(this.#resumeTimer);
    this.#resumeTimer = null;
  }
}

/** Applies a verdict to a connection; returns whether the frame should be handled. */
export function enforceFrameVerdict(budget: FrameBudget, connection: CollabConnection, verdict: FrameVerdict, now: number): boolean {
  if (verdict === 'close') {
    connection.close(COLLAB_CLOSE.policyViolation, budget.closeReason);
    // A paused socket would never read the peer's close frame; what it still sends is ignored.
    budget.dispose();
    connection.socket.resume();
    return false;
  }
  if (verdict === 'throttle') budget.pause(connection, budget.pauseMs(now));
  return true;
}
