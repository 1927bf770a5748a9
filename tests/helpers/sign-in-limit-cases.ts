import { expect, it } from 'vitest';
import type { SignInLimits } from '../../server/auth/sign-in-limits.ts';

/**
 * The behaviour every keeper of sign-in limits shows (3 failures per account, 5 attempts per
 * address, a one-minute window): this process's memory, and Redis shared by several server
 * processes. `make` returns a fresh, empty one.
 */
export function signInLimitCases(make: () => SignInLimits | Promise<SignInLimits>): void {
  it('locks a typed address after its failures until the oldest leaves the window, whoever asks', async () => {
    const limiter = await make();
    for (let i = 0; i < 3; i++) {
      expect(await limiter.admit(`10.0.0.${i}`, 'ada@example.org', 1000 + i)).toBeNull();
      await limiter.failed('ada@example.org', 1000 + i);
    }
    expect(await limiter.admit('10.0.0.9', 'ada@example.org', 2000)).toEqual({ scope: 'account', retryAfterMs: 59_000 });
    expect(await limiter.admit('10.0.0.9', 'bob@example.org', 2000)).toBeNull();
    expect(await limiter.admit('10.0.0.9', 'ada@example.org', 61_001)).toBeNull();
  });

  it('forgets an address’s failures after a success', async () => {
    const limiter = await make();
    for (let i = 0; i < 2; i++) await limiter.failed('ada@example.org', i);
    await limiter.succeeded('ada@example.org');
    await limiter.failed('ada@example.org', 10);
    expect(await limiter.admit('10.0.0.1', 'ada@example.org', 20)).toBeNull();
  });

  it('limits attempts per network address, refused ones not counted', async () => {
    const limiter = await make();
    for (let i = 0; i < 5; i++) expect(await limiter.admit('10.0.0.1', `user${i}@example.org`, i)).toBeNull();
    expect(await limiter.admit('10.0.0.1', 'user9@example.org', 10)).toEqual({ scope: 'address', retryAfterMs: 59_990 });
    expect(await limiter.admit('10.0.0.1', 'user9@example.org', 59_999)).toEqual({ scope: 'address', retryAfterMs: 1 });
    expect(await limiter.admit('10.0.0.2', 'user9@example.org', 10)).toBeNull();
  });
}
