// Installs what `npm start` / `npm test` need on a fresh machine, then builds the client, the
// server and the command-line tools (plain JavaScript: nothing transpiles TypeScript at run time).
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

/**
 * What the tests need from Debian, as [binary that proves it is installed, package]. A test
 * tool's own browser or binary download cannot work on this machine; Debian's packages can.
 */
const TEST_PACKAGES = [
  [process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', 'chromium'],
  ['/usr/bin/xmllint', 'libxml2-utils'], // validates the TEI export against tei_all.rng
  ['/usr/bin/pdftotext', 'poppler-utils'], // reads back the printed apparatus
  ['/usr/lib/python3/dist-packages/pandas/__init__.py', 'python3-pandas'], // reads the CSV export as researchers do
  ['/usr/bin/pg_ctlcluster', 'postgresql'], // several servers over one PostgreSQL, whichever major Debian ships (docs/several-servers.md)
  ['/usr/bin/redis-server', 'redis-server'], // relays updates and presence between those servers
  ['/usr/sbin/haproxy', 'haproxy'], // the load balancer in front of them, with WebSocket upgrade
];

/** Installs the Debian packages of `wanted` whose binary is missing, in one apt-get run. */
function ensureDebianPackages(wanted) {
  const missing = wanted.filter(([binary]) => !existsSync(binary));
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const sudo = isRoot ? '' : 'sudo ';
  run(`${sudo}apt-get update -qq`);
  run(`${sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${missing.map(([, pkg]) => pkg).join(' ')}`);
  const still = missing.filter(([binary]) => !existsSync(binary));
  if (still.length > 0) {
    console.error(`[setup] still missing after apt-get: ${still.map(([binary, pkg]) => `${binary} (${pkg})`).join(', ')}; set CHROMIUM_PATH for a Chromium elsewhere.`);
    process.exit(1);
  }
}

ensurePackages();
if (mode === 'test') ensureDebianPackages(TEST_PACKAGES);
run('node scripts/build-client.mjs');
run('node scripts/build-server.mjs');
