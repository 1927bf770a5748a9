import { describe, expect, it } from 'vitest';
import { hashPassword, needsRehash, SCRYPT_PARAMETERS, validateNewPassword, verifyPassword } from '../../server/auth/passwords.ts';
import { limitMessage, SignInLimiter } from '../../server/auth/sign-in-limits.ts';
import { readableId, slugOf } from '../../server/seminars/readable-ids.ts';
import { signInLimitCases } from '../helpers/sign-in-limit-cases.ts';

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

  signInLimitCases(() => new SignInLimiter(settings));
  it('words a refusal the same whether or not an account exists', () => {
    expect(limitMessage({ scope: 'address', retryAfterMs: 59_990 })).toBe('Too many attempts from your network. Try again in 1 minute.');
    expect(limitMessage({ scope: 'account', retryAfterMs: 125_000 })).toBe('Too many failed sign-ins for this address. Try again in 3 minutes.');
  });
});

describe('readable ids', () => {
  it('makes a slug of a title: accents dropped, punctuation a hyphen, at most 40 characters', () => {
    expect(slugOf('History 204: The Soviet 1930s')).toBe('history-204-the-soviet-1930s');
    expect(slugOf('Zur Geschichte der Sowjetunion — Übungen')).toBe('zur-geschichte-der-sowjetunion-ubungen');
    expect(slugOf('Сталин')).toBe('');
    expect(slugOf('a'.repeat(80)).length).toBe(40);
  });

  it('adds a random suffix and tries again while an id is taken', async () => {
    const taken = new Set<string>();
    const first = await readableId('Seminar', (id) => taken.has(id));
    expect(first).toMatch(/^seminar-[a-z2-9]{4}$/);
    expect(await readableId('Сталин', () => false, 'chapter')).toMatch(/^chapter-[a-z2-9]{4}$/);
    let calls = 0;
    // Each retry takes a longer suffix, so a crowded title space ends quickly.
    expect(await readableId('x', () => ++calls < 3)).toMatch(/^x-[a-z2-9]{6}$/);
    expect(calls).toBe(3);
  });
});
