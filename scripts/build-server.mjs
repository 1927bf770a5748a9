// Builds the server and the command-line tools into plain JavaScript with esbuild, so that they
// start without a TypeScript transpiler: dist/server.mjs (`npm start`) and one file per CLI
// (dist/import-chapter.mjs, …). Each bundles the project's own code (schema/ and server/) and the
// packages it uses into one module; only the native SQLite binding stays in node_modules. The files sit directly in dist/, one level
// below the project root like server/ itself, so paths the code derives from import.meta.url
// (the client build, the fixture chapter) stay right.
//   node scripts/build-server.mjs            build now
//   import { ensureServerBuilt } from …      build only when a source file is newer than the build
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const out = path.join(root, 'dist');

/** Entry points, by the name of the file each becomes in dist/ (`<name>.mjs`). */
export const SERVER_ENTRIES = Object.freeze({
  server: 'server/main.ts',
  'import-chapter': 'server/cli/import-chapter.ts',
  'export-room': 'server/cli/export-room.ts',
  'analyze-chapter': 'server/cli/analyze-chapter.ts',
  // The heavy-work thread's entry, found by server/heavy/heavy-work.ts beside the built server.
  'heavy-worker': 'server/heavy/heavy-worker-loop.ts',
});

/** The folders whose TypeScript the bundles are made of. */
const SOURCE_DIRS = ['server', 'schema'];

/** The built file of an entry. */
export function builtFile(name) {
  return path.join(out, `${name}.mjs`);
}

/** The newest modification time (ms) of any source file the bundles read. */
function newestSource() {
  let newest = 0;
  const visit = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(file);
      else if (/\.(ts|mjs|js|json)$/.test(entry.name)) newest = Math.max(newest, statSync(file).mtimeMs);
    }
  };
  for (const dir of SOURCE_DIRS) visit(path.join(root, dir));
  return Math.max(newest, statSync(path.join(root, 'scripts', 'build-server.mjs')).mtimeMs);
}

/** Whether every bundle exists and is newer than every source file. */
export function serverBuildIsCurrent() {
  const files = Object.keys(SERVER_ENTRIES).map(builtFile);
  if (!files.every((file) => existsSync(file))) return false;
  const oldest = Math.min(...files.map((file) => statSync(file).mtimeMs));
  return oldest >= newestSource();
}

/** Bundles every entry (esbuild, Node 20, ESM). */
export async function buildServer() {
  const { build } = await import('esbuild');
  // Written aside, then renamed into place: a process starting meanwhile (tests run CLIs in
  // parallel) never loads a half-written file.
  const staging = path.join(out, `.server-build-${process.pid}`);
  mkdirSync(staging, { recursive: true });
  const started = performance.now();
  await build({
    entryPoints: Object.fromEntries(Object.entries(SERVER_ENTRIES).map(([name, file]) => [name, path.join(root, file)])),
    outdir: staging,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Packages are bundled too (one file loads far faster than hundreds of modules); the native
    // SQLite binding cannot be. CommonJS packages in an ESM bundle need a real `require`.
    external: ['better-sqlite3'],
    banner: { js: "import { createRequire as __apparatusRequire } from 'node:module'; const require = __apparatusRequire(import.meta.url);" },
    // No shared chunks: code that derives paths from import.meta.url must sit in dist/ itself.
    logLevel: 'warning',
    legalComments: 'none',
  });
  for (const name of Object.keys(SERVER_ENTRIES)) renameSync(path.join(staging, `${name}.mjs`), builtFile(name));
  rmSync(staging, { recursive: true, force: true });
  console.error(`[build] server and CLIs → dist/{${Object.keys(SERVER_ENTRIES).join(',')}}.mjs (${Math.round(performance.now() - started)} ms)`);
}

/** Builds when the bundles are missing or older than a source file; returns whether it built. */
export async function ensureServerBuilt() {
  if (serverBuildIsCurrent()) return false;
  await buildServer();
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await buildServer();
