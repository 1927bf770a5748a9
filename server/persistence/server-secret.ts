import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** File name of the server secret inside DATA_DIR. */
export const SECRET_FILE = 'server-secret';

/**
 * Returns the server secret kept in `dataDir`, creating it on first start (32 random bytes,
 * hex, mode 0600, written to a temporary file and renamed so a crash never leaves half a secret).
 * Derived tokens (the default room's invites, the generated admin token) come from it, so they
 * can be printed again on every start while only their hashes are stored.
 */
export function readOrCreateServerSecret(dataDir: string): Buffer {
  const file = path.join(dataDir, SECRET_FILE);
  if (existsSync(file)) {
    const hex = readFileSync(file, 'utf8').trim();
    if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error(`${file} is not a 64-digit hex secret; restore it or delete it to rotate every derived token`);
    return Buffer.from(hex, 'hex');
  }
  const secret = randomBytes(32);
  const temporary = `${file}.tmp-${process.pid}`;
  writeFileSync(temporary, secret.toString('hex') + '\n', { mode: 0o600 });
  renameSync(temporary, file);
  return secret;
}
