// Builds client/ into dist/client with esbuild: one minified JS bundle (one copy of yjs), the
// stylesheet and the icon, each under a content-hashed name in /assets/ (served `immutable`: a
// new build gets new names), the HTML shell pointing at them, and the service worker, which
// learns the shell's files at build time. Every text file is also written precompressed
// (.br, .gz) for the server to send as they are. No inline scripts, so a strict CSP holds.
// The bundle's metafile goes to dist/client-meta.json (inputs and sizes).
import { build, transform } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const out = path.join(root, 'dist', 'client');
const staticDir = path.join(root, 'client', 'static');
const entry = path.join(root, 'client', 'main.ts');
const serviceWorker = path.join(root, 'client', 'service-worker.ts');

/** The folder (under dist/client and in URLs) of content-hashed files, served immutable. */
export const ASSETS_DIR = 'assets';

/**
 * Packages the browser never runs, though schema/index.ts (the one public surface) exports code
 * that uses them: the docx package writes the Word export on the server. It declares no
 * `sideEffects`, so esbuild would keep all of it (~540 kB); it has none at import time, and
 * saying so lets the unused exports drop out.
 */
const SERVER_ONLY_PACKAGES = /^docx$/;

const sideEffectFreeServerPackages = {
  name: 'side-effect-free-server-packages',
  setup(build) {
    build.onResolve({ filter: SERVER_ONLY_PACKAGES }, async (args) => {
      if (args.pluginData?.resolving) return undefined;
      const resolved = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { resolving: true } });
      return { ...resolved, sideEffects: false };
    });
  },
};

/** The esbuild options of the app bundle; tests reuse them to inspect the bundle's inputs. */
export function appBuildOptions() {
  return {
    entryPoints: { app: entry },
    outdir: path.join(out, ASSETS_DIR),
    entryNames: '[name]-[hash]',
    bundle: true,
    format: 'esm',
    target: 'es2022',
    sourcemap: 'linked',
    minify: true,
    metafile: true,
    logLevel: 'warning',
    legalComments: 'none',
    plugins: [sideEffectFreeServerPackages],
  };
}

/** Copies a static file into /assets/ under `name-<hash>.ext` (CSS minified); returns its URL path. */
async function hashedCopy(file) {
  let bytes = readFileSync(path.join(staticDir, file));
  if (file.endsWith('.css')) bytes = Buffer.from((await transform(bytes.toString('utf8'), { loader: 'css', minify: true, target: 'chrome100' })).code);
  const hash = createHash('sha256').update(bytes).digest('base64url').slice(0, 10);
  const { name, ext } = path.parse(file);
  const hashed = `${name}-${hash}${ext}`;
  writeFileSync(path.join(out, ASSETS_DIR, hashed), bytes);
  return `/${ASSETS_DIR}/${hashed}`;
}

/** The URL path of the app bundle esbuild wrote (its name carries esbuild's content hash). */
function bundlePath(metafile) {
  const output = Object.keys(metafile.outputs).find((file) => file.endsWith('.js'));
  if (!output) throw new Error('esbuild wrote no JavaScript bundle');
  return `/${ASSETS_DIR}/${path.basename(output)}`;
}

/** Writes `.br` and `.gz` beside every text file, best compression (done once, at build). */
function precompress(dir) {
  for (const entry of readdirSync(dir)) {
    const file = path.join(dir, entry);
    if (statSync(file).isDirectory()) {
      precompress(file);
      continue;
    }
    if (!/\.(js|css|html|svg|map|json|webmanifest)$/.test(entry)) continue;
    const bytes = readFileSync(file);
    writeFileSync(`${file}.br`, brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }));
    writeFileSync(`${file}.gz`, gzipSync(bytes, { level: 9 }));
  }
}

async function main() {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(path.join(out, ASSETS_DIR), { recursive: true });
  const result = await build(appBuildOptions());
  writeFileSync(path.join(root, 'dist', 'client-meta.json'), JSON.stringify(result.metafile));
  const assets = { '/app.js': bundlePath(result.metafile), '/app.css': await hashedCopy('app.css'), '/favicon.svg': await hashedCopy('favicon.svg') };
  let html = readFileSync(path.join(staticDir, 'index.html'), 'utf8');
  for (const [plain, hashed] of Object.entries(assets)) {
    if (!html.includes(`"${plain}"`)) throw new Error(`client/static/index.html does not reference ${plain}`);
    html = html.replaceAll(`"${plain}"`, `"${hashed}"`);
  }
  writeFileSync(path.join(out, 'index.html'), html);
  // The service worker keeps the shell for offline reloads; a new build is a new cache.
  const shell = ['/index.html', ...Object.values(assets)];
  const version = createHash('sha256').update(shell.join('\n')).digest('base64url').slice(0, 10);
  await build({
    entryPoints: { sw: serviceWorker },
    outdir: out,
    bundle: true,
    // A classic script: service workers registered without `type: 'module'` cannot be ESM.
    format: 'iife',
    target: 'es2022',
    minify: true,
    define: { SHELL_FILES: JSON.stringify(shell), SHELL_CACHE: JSON.stringify(`apparatus-shell-${version}`) },
    logLevel: 'warning',
  });
  precompress(out);
  console.error(`[build] client → ${path.relative(root, out)} (${Object.values(assets).join(', ')})`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (!existsSync(entry)) throw new Error(`no client entry point at ${entry}`);
  await main();
}
