// Installs what `npm start` / `npm test` need on a fresh machine, then builds the client.
// Dependency-free on purpose: it runs before node_modules exists.
import { execSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const mode = process.argv[2] ?? 'start';

function run(command) {
  console.error(`[setup] ${command}`);
  execSync(command, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
}

/** Reinstalls npm packages when node_modules is missing or older than the lockfile. */
function ensurePackages() {
  const lock = path.join(root, 'package-lock.json');
  const stamp = path.join(root, 'node_modules', '.apparatus-lock-hash');
  const hash = createHash('sha256').update(readFileSync(lock)).digest('hex');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) return;
  run('npm ci --no-audit --no-fund');
  writeFileSync(stamp, hash);
}

/** Installs Debian's chromium for the browser tests (a test tool's own download cannot work here). */
function ensureChromium() {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (existsSync(chromium)) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const sudo = isRoot ? '' : 'sudo ';
  run(`${sudo}apt-get update -qq`);
  run(`${sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium`);
  if (!existsSync(chromium)) {
    console.error(`[setup] chromium is still missing at ${chromium}; set CHROMIUM_PATH to a Chromium binary.`);
    process.exit(1);
  }
}

ensurePackages();
if (mode === 'test') ensureChromium();
run('node scripts/build-client.mjs');
