// Bundles client/ into dist/client with esbuild: one JS bundle (one copy of yjs), one CSS file,
// and the static HTML shell. Served by the server; no inline scripts, so a strict CSP holds.
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const out = path.join(root, 'dist', 'client');
const entry = path.join(root, 'client', 'main.ts');

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
if (existsSync(path.join(root, 'client', 'static'))) {
  cpSync(path.join(root, 'client', 'static'), out, { recursive: true });
}
if (existsSync(entry)) {
  await build({
    entryPoints: { app: entry },
    outdir: out,
    bundle: true,
    format: 'esm',
    target: 'es2022',
    sourcemap: true,
    minify: process.env.NODE_ENV === 'production',
    metafile: false,
    logLevel: 'warning',
    legalComments: 'none',
  });
}
console.error(`[build] client → ${path.relative(root, out)}`);
