// Bundles client/ into dist/client with esbuild: one JS bundle (one copy of yjs), the service
// worker, and the static shell (HTML, CSS, icon). Served by the server; no inline scripts, so a
// strict CSP holds. The bundle's metafile goes to dist/client-meta.json (inputs and sizes).
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const out = path.join(root, 'dist', 'client');
const entry = path.join(root, 'client', 'main.ts');
const serviceWorker = path.join(root, 'client', 'service-worker.ts');

/** The esbuild options of the app bundle; tests reuse them to inspect the bundle's inputs. */
export function appBuildOptions() {
  return {
    entryPoints: { app: entry },
    outdir: out,
    bundle: true,
    format: 'esm',
    target: 'es2022',
    sourcemap: true,
    minify: process.env.NODE_ENV === 'production',
    metafile: true,
    logLevel: 'warning',
    legalComments: 'none',
  };
}

async function main() {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  if (existsSync(path.join(root, 'client', 'static'))) {
    cpSync(path.join(root, 'client', 'static'), out, { recursive: true });
  }
  if (existsSync(entry)) {
    const result = await build(appBuildOptions());
    writeFileSync(path.join(root, 'dist', 'client-meta.json'), JSON.stringify(result.metafile));
  }
  if (existsSync(serviceWorker)) {
    // A classic script: service workers registered without `type: 'module'` cannot be ESM.
    await build({ entryPoints: { sw: serviceWorker }, outdir: out, bundle: true, format: 'iife', target: 'es2022', logLevel: 'warning' });
  }
  console.error(`[build] client → ${path.relative(root, out)}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
