import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { ScryptOptions } from 'node:crypto';

/**
 * Password hashing with scrypt from node:crypto at the OWASP Password Storage Cheat Sheet's
 * parameters. The cheat sheet lists five equally strong settings (N=2^17 r=8 p=1 … N=2^13
 * r=8 p=10); this one, N=2^15 r=8 p=3, needs 32 MiB per hash instead of 128 MiB, which matters
 * when a class signs in at once, and measured the fastest of them here (bench: sign-in). Hashes
 * carry their parameters, so a later change re-hashes each password at its next sign-in.
 */

/** The scrypt cost parameters in use. */
export const SCRYPT_PARAMETERS = Object.freeze({ N: 2 ** 15, r: 8, p: 3 });
const KEY_LENGTH = 32;
const SALT_BYTES = 16;
/** The shortest and longest passwords accepted, in characters. */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;
// At most this many hashes at once: each holds 128·N·r bytes, and the thread pool has 4 threads.
const MAX_CONCURRENT_HASHES = 2;

interface ScryptParameters {
  N: number;
  r: number;
  p: number;
}

let running = 0;
const waiting: Array<() => void> = [];

/** Runs scrypt in the thread pool, at most MAX_CONCURRENT_HASHES at a time (the rest queue). */
async function derive(password: string, salt: Buffer, parameters: ScryptParameters): Promise<Buffer> {
  if (running >= MAX_CONCURRENT_HASHES) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    const options: ScryptOptions = { ...parameters, maxmem: 256 * parameters.N * parameters.r + 1024 * 1024 };
    return await new Promise<Buffer>((resolve, reject) => scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))));
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function encode(parameters: ScryptParameters, salt: Buffer, key: Buffer): string {
  return `scrypt$N=${parameters.N},r=${parameters.r},p=${parameters.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** Reads a stored hash; null for anything not written by `hashPassword` (or with absurd parameters). */
function decode(stored: string): { parameters: ScryptParameters; salt: Buffer; key: Buffer } | null {
  const match = /^scrypt\$N=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/.exec(stored);
  if (!match) return null;
  const [N, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (N < 2 || N > 2 ** 20 || (N & (N - 1)) !== 0 || r < 1 || r > 32 || p < 1 || p > 16) return null;
  return { parameters: { N, r, p }, salt: Buffer.from(match[4]!, 'base64url'), key: Buffer.from(match[5]!, 'base64url') };
}

/** Hashes a password with a fresh salt: `scrypt$N=…,r=…,p=…$<salt>$<key>` (base64url). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  return encode(SCRYPT_PARAMETERS, salt, await derive(password, salt, SCRYPT_PARAMETERS));
}

/**
 * Checks a password against a stored hash in constant time. A missing or unreadable hash is
 * checked against a throwaway one, so that the answer takes as long as a real check: how long
 * a sign-in takes never tells whether the account exists.
 */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const decoded = stored === null ? null : decode(stored);
  const target = decoded ?? { parameters: SCRYPT_PARAMETERS, salt: randomBytes(SALT_BYTES), key: randomBytes(KEY_LENGTH) };
  const key = await derive(password, target.salt, target.parameters);
  return decoded !== null && key.length === target.key.length && timingSafeEqual(key, target.key);
}

/** Whether a stored hash uses other parameters than today's (re-hash it after a successful sign-in). */
export function needsRehash(stored: string): boolean {
  const decoded = decode(stored);
  return decoded === null || decoded.parameters.N !== SCRYPT_PARAMETERS.N || decoded.parameters.r !== SCRYPT_PARAMETERS.r || decoded.parameters.p !== SCRYPT_PARAMETERS.p;
}

/** Checks a new password from an untrusted request: a string of 10 to 256 characters. */
export function validateNewPassword(value: unknown): { ok: true; value: string } | { ok: false; error: string } {
  if (typeof value !== 'string') return { ok: false, error: 'password must be a string' };
  const length = [...value].length;
  if (length < PASSWORD_MIN_LENGTH) return { ok: false, error: `Choose a password of at least ${PASSWORD_MIN_LENGTH} characters.` };
  if (length > PASSWORD_MAX_LENGTH) return { ok: false, error: `A password may have at most ${PASSWORD_MAX_LENGTH} characters.` };
  return { ok: true, value };
}
