/**
 * Small rate-limiting primitives: a token bucket (sustained rate plus a burst) and a per-address
 * counter over fixed one-minute windows. Both take the time as an argument so tests and the
 * caller share one clock, and both keep O(1) state per key.
 */

/** A token bucket: `capacity` tokens, refilled at `ratePerSecond`; taking may go into debt. */
export class TokenBucket {
  readonly #ratePerMs: number;
  readonly #capacity: number;
  #tokens: number;
  #updatedAt: number;

  /** Starts full at time `now` (ms). Throws a RangeError for a non-positive rate or capacity. */
  constructor(ratePerSecond: number, capacity: number, now: number) {
    if (!(ratePerSecond > 0)) throw new RangeError(`rate must be positive, got ${ratePerSecond}`);
    if (!(capacity > 0)) throw new RangeError(`capacity must be positive, got ${capacity}`);
    this.#ratePerMs = ratePerSecond / 1000;
    this.#capacity = capacity;
    this.#tokens = capacity;
    this.#updatedAt = now;
  }

  #refill(now: number): void {
    const elapsed = Math.max(0, now - this.#updatedAt);
    this.#tokens = Math.min(this.#capacity, this.#tokens + elapsed * this.#ratePerMs);
    this.#updatedAt = now;
  }

  /** Takes `amount` tokens and returns what is left (negative: in debt by that much). */
  take(amount: number, now: number): number {
    this.#refill(now);
    this.#tokens -= amount;
    return this.#tokens;
  }

  /** Milliseconds until the bucket holds at least zero tokens again (0 when it already does). */
  msUntilSolvent(now: number): number {
    this.#refill(now);
    return this.#tokens >= 0 ? 0 : Math.ceil(-this.#tokens / this.#ratePerMs);
  }

  /** How deep the bucket may go into debt before the sender counts as flooding: one more burst. */
  get capacity(): number {
    return this.#capacity;
  }
}

/**
 * Counts events per key (an address) in fixed windows of `windowMs`; `hit` says whether the
 * key is still within `limit` in the current window. Old windows are dropped as keys are seen
 * and by `sweep`, so memory stays bounded by the keys active in one window.
 */
export class WindowCounter {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #counts = new Map<string, { windowStart: number; count: number }>();

  constructor(limit: number, windowMs: number) {
    this.#limit = limit;
    this.#windowMs = windowMs;
  }

  /** Records one event for `key` at `now`; returns false once the key is over its limit. */
  hit(key: string, now: number): boolean {
    let entry = this.#counts.get(key);
    if (!entry || now - entry.windowStart >= this.#windowMs) {
      entry = { windowStart: now, count: 0 };
      this.#counts.set(key, entry);
    }
    entry.count++;
    return entry.count <= this.#limit;
  }

  /** Forgets every key whose window has ended. */
  sweep(now: number): void {
    for (const [key, entry] of this.#counts) if (now - entry.windowStart >= this.#windowMs) this.#counts.delete(key);
  }

  /** How many keys are tracked (for tests and figures). */
  get size(): number {
    return this.#counts.size;
  }
}
