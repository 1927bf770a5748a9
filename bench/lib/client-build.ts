import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from './machine-info.ts';

/** The newest modification time (ms) of any file under `dir`. */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * Builds the browser client (`scripts/build-client.mjs` → dist/client) unless the bundle is
 * newer than every client and schema source, so a fresh clone works and a current build is
 * not replaced under someone else's running browser tests.
 */
export function ensureClientBuilt(): void {
  const bundle = path.join(PROJECT_ROOT, 'dist', 'client', 'index.html');
  let built = 0;
  try {
    built = statSync(bundle).mtimeMs;
  } catch {
    // No bundle yet: build it.
  }
  const sources = Math.max(newestMtime(path.join(PROJECT_ROOT, 'client')), newestMtime(path.join(PROJECT_ROOT, 'schema')));
  if (built > sources) return;
  console.log('building the client (dist/client)…');
  execFileSync(process.execPath, ['scripts/build-client.mjs'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
}
