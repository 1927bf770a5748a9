// Runs a built entry of scripts/build-server.mjs, building it first when a source file is newer
// (a fresh clone, or after an edit): `node scripts/run-built.mjs import-chapter [args…]`. The
// package scripts (`npm start`, `npm run import`, …) go through here, so none of them needs a
// TypeScript transpiler at run time, and esbuild is loaded only when a build is due.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { builtFile, ensureServerBuilt, SERVER_ENTRIES } from './build-server.mjs';

const name = process.argv[2];
if (!name || !Object.hasOwn(SERVER_ENTRIES, name)) {
  process.stderr.write(`usage: node scripts/run-built.mjs <${Object.keys(SERVER_ENTRIES).join('|')}> [arguments]\n`);
  process.exit(2);
}
await ensureServerBuilt();
// The entry reads its own arguments from process.argv.slice(2), as when run directly.
process.argv.splice(1, 2, path.resolve(builtFile(name)));
await import(pathToFileURL(builtFile(name)).href);
