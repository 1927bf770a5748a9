import { describe, expect, it } from 'vitest';
import { hashPassword, needsRehash, SCRYPT_PARAMETERS, validateNewPassword, verifyPassword } from '../../server/auth/passwords.ts';
import { limitMessage, SignInLimiter } from '../../server/auth/sign-in-limits.ts';
import { readableId, slugOf } from '../../server/seminars/readable-ids.ts';

describe('password hashes', () => {
  it('stores scrypt with its parameters and a fresh salt, and checks only the right password', async () => {
    const [first, second] = [await hashPassword('correct horse battery'), await hashPassword('correct horse battery')];
    expect(first).toMatch(new RegExp(`^scrypt\\$N=${SCRYPT_PARAMETERS.N},r=${SCRYPT_PARAMETERS.r},p=${SCRYPT_PARAMETERS.p}\\$[A-Za-z0-9_-]{22}\\$[A-Za-z0-9_-]{43}$`));
    expect(second).not.toBe(first);
    expect(await verifyPassword('correct horse battery', first)).toBe(true);
    expect(await verifyPassword('correct horse batterY', first)).toBe(false);
    expect(await verifyPassword('correct horse battery', null)).toBe(false);
    expect(await verifyPassword('correct horse battery', 'md5$abc')).toBe(false);
  });

  it('asks for a re-hash of a hash made with other parameters', async () => {
    expect(needsRehash(await hashPassword('a password here'))).toBe(false);
    expect(needsRehash('scrypt$N=16384,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).toBe(true);
  });

  it('treats the composed and decomposed forms of a password as the same (NFC)', async () => {
    const hash = await hashPassword('Ünïcode passphrase');
    expect(await verifyPassword('U\u0308ni\u0308code passphrase', hash)).toBe(true);
  });

  it('asks for at least 10 characters, counting code points', () => {
    expect(validateNewPassword('short')).toEqual({ ok: false, error: 'Choose a password of at least 10 characters.' });
    expect(validateNewPassword('😀😀😀😀😀😀😀😀😀😀').ok).toBe(true);
    expect(validateNewPassword(12345678901).ok).toBe(false);
  });
});

describe('sign-in limits', () => {
  const settings = { failuresPerAccount: 3, attemptsPerAddress: 5, windowMs: 60_000 };

  it('locks a typed address after its failures until the oldest leaves the window, whoever asks', () => {
    const limiter = new SignInLimiter(settings);
    for (let i = 0; i < 3; i++) {
      expect(limiter.admit(`10.0.0.${i}`, 'ada@example.org', 1000 + i)).toBeNull();
      limiter.failed('ada@example.org', 1000 + i);
    }
    expect(limiter.admit('10.0.0.9', 'ada@example.org', 2000)).toEqual({ scope: 'account', retryAfterMs: 59_000 });
    expect(limiter.admit('10.0.0.9', 'bob@example.org', 2000)).toBeNull();
    expect(limiter.admit('10.0.0.9', 'ada@example.org', 61_001)).toBeNull();
  });

  it('forgets an address’s failures after a success', () => {
    const limiter = new SignInLimiter(settings);
    for (let i = 0; i < 2; i++) limiter.failed('ada@example.org', i);
    limiter.succeeded('ada@example.org');
    limiter.failed('ada@example.org', 10);
    expect(limiter.admit('10.0.0.1', 'ada@example.org', 20)).toBeNull();
  });

  it('limits attempts per network address, refused ones not counted', () => {
    const limiter = new SignInLimiter(settings);
    for (let i = 0; i < 5; i++) expect(limiter.admit('10.0.0.1', `user${i}@example.org`, i)).toBeNull();
    const refused = limiter.admit('10.0.0.1', 'user9@example.org', 10);
    expect(refused).toEqual({ scope: 'address', retryAfterMs: 59_990 });
    expect(limitMessage(refused!)).toBe('Too many attempts from your network. Try again in 1 minute.');
    expect(limiter.admit('10.0.0.2', 'user9@example.org', 10)).toBeNull();
  });
});

describe('readable ids', () => {
  it('makes a slug of a title: accents dropped, punctuation a hyphen, at most 40 characters', () => {
    expect(slugOf('History 204: The Soviet 1930s')).toBe('history-204-the-soviet-1930s');
    expect(slugOf('Zur Geschichte der Sowjetunion — Übungen')).toBe('zur-geschichte-der-sowjetunion-ubungen');
    expect(slugOf('Сталин')).toBe('');
    expect(slugOf('a'.repeat(80)).length).toBe(40);
  });

  it('adds a random suffix and tries again while an id is taken', () => {
    const taken = new Set<string>();
    const first = readableId('Seminar', (id) => taken.has(id));
    expect(first).toMatch(/^seminar-[a-z2-9]{4}$/);
    expect(readableId('Сталин', () => false, 'chapter')).toMatch(/^chapter-[a-z2-9]{4}$/);
    let calls = 0;
    // Each retry takes a longer suffix, so a crowded title space ends quickly.
    expect(readableId('x', () => ++calls < 3)).toMatch(/^x-[a-z2-9]{6}$/);
    expect(calls).toBe(3);
  });
});
