/**
 * Rate limits of sign-in (README of docs/accounts-and-seminars.md, "Limits"): failed attempts
 * per account and attempts of any kind per address, each in a sliding window. The account key
 * is the address a person types (lower case), whether or not an account has it: a locked-out
 * name answers the same for an account that exists and one that does not.
 */

/** The limits: how many events in how long. */
export interface SignInLimitSettings {
  /** Failed sign-ins per account within `windowMs` before it is locked until the oldest ages out. */
  failuresPerAccount: number;
  /** Attempts (sign-in, sign-up, setup, password change) per address within `windowMs`. */
  attemptsPerAddress: number;
  windowMs: number;
}

/** Why an attempt may not go ahead now, and for how long. */
export interface LimitRefusal {
  scope: 'account' | 'address';
  retryAfterMs: number;
}

/**
 * Where the counts live: this process's memory (one server), or a store every process shares
 * (Redis, when several run: docs/several-servers.md), so a lock-out holds whichever process
 * the next attempt reaches.
 */
export interface SignInLimits {
  /**
   * Records an attempt from `address` (for `account`, when the attempt names one) and says
   * whether it may go ahead. A refused attempt is not counted against the account.
   */
  admit(address: string, account: string | null, now?: number): Promise<LimitRefusal | null>;
  /** Records a failed attempt for an account name. */
  failed(account: string, now?: number): Promise<void>;
  /** Clears an account's failures after a successful sign-in. */
  succeeded(account: string): Promise<void>;
}

/** Recent event times per key, oldest first, at most `limit` kept. */
class SlidingWindow {
  readonly #times = new Map<string, number[]>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  #recent(key: string, now: number): number[] {
    const times = (this.#times.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (times.length === 0) this.#times.delete(key);
    else this.#times.set(key, times);
    return times;
  }

  /** Milliseconds until `key` may have another event (0: now). */
  waitFor(key: string, now: number): number {
    const times = this.#recent(key, now);
    return times.length < this.limit ? 0 : times[times.length - this.limit]! + this.windowMs - now;
  }

  record(key: string, now: number): void {
    const times = this.#recent(key, now);
    times.push(now);
    if (times.length > this.limit) times.splice(0, times.length - this.limit);
    this.#times.set(key, times);
  }

  clear(key: string): void {
    this.#times.delete(key);
  }

  /** Forgets keys with nothing left in the window (memory stays bounded by recent keys). */
  sweep(now: number): void {
    for (const key of [...this.#times.keys()]) this.#recent(key, now);
  }
}

/** Counts sign-in attempts and failures in this process's memory, and refuses attempts over the limits. */
export class SignInLimiter implements SignInLimits {
  readonly #failures: SlidingWindow;
  readonly #attempts: SlidingWindow;
  #lastSweep = 0;

  constructor(settings: SignInLimitSettings) {
    this.#failures = new SlidingWindow(settings.failuresPerAccount, settings.windowMs);
    this.#attempts = new SlidingWindow(settings.attemptsPerAddress, settings.windowMs);
  }

  async admit(address: string, account: string | null, now = Date.now()): Promise<LimitRefusal | null> {
    if (now - this.#lastSweep > 60_000) {
      this.#failures.sweep(now);
      this.#attempts.sweep(now);
      this.#lastSweep = now;
    }
    const addressWait = this.#attempts.waitFor(address, now);
    if (addressWait > 0) return { scope: 'address', retryAfterMs: addressWait };
    this.#attempts.record(address, now);
    const accountWait = account === null ? 0 : this.#failures.waitFor(account, now);
    return accountWait > 0 ? { scope: 'account', retryAfterMs: accountWait } : null;
  }

  /** Records a failed attempt for an account name. */
  async failed(account: string, now = Date.now()): Promise<void> {
    this.#failures.record(account, now);
  }

  /** Clears an account's failures after a successful sign-in. */
  async succeeded(account: string): Promise<void> {
    this.#failures.clear(account);
  }
}

/** The message of a refusal, the same whether or not an account exists. */
export function limitMessage(refusal: LimitRefusal): string {
  const minutes = Math.max(1, Math.ceil(refusal.retryAfterMs / 60_000));
  const wait = `Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
  return refusal.scope === 'account' ? `Too many failed sign-ins for this address. ${wait}` : `Too many attempts from your network. ${wait}`;
}
