import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Returns a fresh random token: 32 bytes, base64url (43 characters). */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Returns the SHA-256 of a token, hex: the only form in which tokens are stored. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Derives a token from the server secret and a purpose string (`invite|chapter-5|owner|1`),
 * as HMAC-SHA256 in base64url. The same secret and purpose always give the same token.
 */
export function deriveToken(secret: Buffer, purpose: string): string {
  return createHmac('sha256', secret).update(purpose, 'utf8').digest('base64url');
}

/** Compares two secrets in constant time (by their hashes, so lengths may differ). */
export function secretsEqual(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

/** Returns a short random user id (`u-` and 16 hex digits). */
export function generateUserId(): string {
  return `u-${randomBytes(8).toString('hex')}`;
}
