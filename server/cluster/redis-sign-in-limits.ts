import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { SignInLimiter } from '../auth/sign-in-limits.ts';
import type { LimitRefusal, SignInLimitSettings, SignInLimits } from '../auth/sign-in-limits.ts';
import type { Logger } from '../logger.ts';
import { REDIS_PREFIX } from './redis-cluster.ts';

// One sliding window in a sorted set (score: the time of each event): forget what left the
// window; if the set is full, say how long until its oldest counting event leaves; else, when
// ARGV[4] is 1, record this event (keeping at most `limit`). Returns that wait (0: go ahead).
const WINDOW_SCRIPT = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], count - limit, count - limit, 'WITHSCORES')
  return tonumber(oldest[2]) + window - now
end
if ARGV[4] == '1' then
  redis.call('ZADD', KEYS[1], now, ARGV[5])
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(limit + 1))
  redis.call('PEXPIRE', KEYS[1], window)
end
return 0
`;

/**
 * The sign-in limits of docs/accounts-and-seminars.md kept in Redis, so that every server
 * process counts the same attempts: a lock-out holds whichever process the next attempt reaches
 * (docs/several-servers.md). Each check and record is one script, run atomically by Redis. While
 * Redis does not answer, this process counts in its own memory (the limits then hold per
 * process), and says so in the log.
 */
export class RedisSignInLimits implements SignInLimits {
  readonly #redis: Redis;
  readonly #settings: SignInLimitSettings;
  readonly #fallback: SignInLimiter;
  readonly #log: Logger;
  #degraded = false;

  constructor(redis: Redis, settings: SignInLimitSettings, log: Logger) {
    this.#redis = redis;
    this.#settings = settings;
    this.#fallback = new SignInLimiter(settings);
    this.#log = log;
  }

  #key(kind: 'attempts' | 'failures', key: string): string {
    return `${REDIS_PREFIX}:sign-in:${kind}:${key}`;
  }

  async #window(key: string, limit: number, now: number, record: boolean): Promise<number> {
    const member = `${now}-${randomBytes(4).toString('hex')}`;
    return Number(await this.#redis.eval(WINDOW_SCRIPT, 1, key, now, this.#settings.windowMs, limit, record ? '1' : '0', member));
  }

  /** Runs `shared`; when Redis fails, `local` instead (logged once per outage). */
  async #either<T>(shared: () => Promise<T>, local: () => Promise<T>): Promise<T> {
    try {
      const result = await shared();
      if (this.#degraded) this.#log.info('cluster.sign-in-limits-shared-again');
      this.#degraded = false;
      return result;
    } catch (error) {
      if (!this.#degraded) this.#log.warn('cluster.sign-in-limits-local', { error, note: 'Redis does not answer: sign-in limits count per process until it does' });
      this.#degraded = true;
      return local();
    }
  }

  admit(address: string, account: string | null, now = Date.now()): Promise<LimitRefusal | null> {
    return this.#either(
      async () => {
        const addressWait = await this.#window(this.#key('attempts', address), this.#settings.attemptsPerAddress, now, true);
        if (addressWait > 0) return { scope: 'address', retryAfterMs: addressWait };
        const accountWait = account === null ? 0 : await this.#window(this.#key('failures', account), this.#settings.failuresPerAccount, now, false);
        return accountWait > 0 ? { scope: 'account', retryAfterMs: accountWait } : null;
      },
      () => this.#fallback.admit(address, account, now),
    );
  }

  failed(account: string, now = Date.now()): Promise<void> {
    return this.#either(
      async () => void (await this.#window(this.#key('failures', account), this.#settings.failuresPerAccount, now, true)),
      () => this.#fallback.failed(account, now),
    );
  }

  succeeded(account: string): Promise<void> {
    return this.#either(
      async () => void (await this.#redis.del(this.#key('failures', account))),
      () => this.#fallback.succeeded(account),
    );
  }
}
