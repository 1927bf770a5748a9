// cli-start: how long the command-line tools and the server take to start, as a user runs them.
// `npm run --silent import -- fixtures/chapter-5.txt` (the built CLI through npm and
// scripts/run-built.mjs) is timed against the same import run through tsx as it used to be, and
// against npm's own start-up (a script that runs `node -e 0` through the same npm); the server
// from spawn until its start-up banner, built against run through tsx. Interleaved, median of
// repetitions, all on the server core. Writes bench/results/cli-start.json.
//   node --import tsx bench/scenarios/cli-start.ts [--quick] [--repetitions N]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// @ts-expect-error -- a plain JavaScript build script without types
import { ensureServerBuilt } from '../../scripts/build-server.mjs';
import { PROJECT_ROOT } from '../lib/machine-info.ts';
import { pinningAvailable, SERVER_CORE } from '../lib/process-launcher.ts';
import { beginScenario, writeResult } from '../lib/result-writer.ts';
import { scenarioOptions } from '../lib/scenario-options.ts';
import { round, spreadOf } from '../lib/stats.ts';

const options = scenarioOptions();
const run = beginScenario('cli-start', options.quick);
const repetitions = options.repetitions ?? (options.quick ? 5 : 15);
const FIXTURE = 'fixtures/chapter-5.txt';

/** The command pinned to the server core where pinning works. */
function pinned(command: string[]): string[] {
  return pinningAvailable() ? ['taskset', '-c', String(SERVER_CORE), ...command] : command;
}

/** Runs a command to completion; returns its wall time in ms (throws on a non-zero exit). */
function timed(command: string[], env: Record<string, string> = {}): number {
  const [file, ...args] = pinned(command);
  const started = performance.now();
  const result = spawnSync(file!, args, { cwd: PROJECT_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 << 20 });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`${command.join(' ')} exited ${result.status}: ${result.stderr?.toString('utf8').slice(0, 500)}`);
  return ms;
}

/** Starts a server command on port 0 with a fresh data directory; resolves with ms until its banner, then stops it. */
function serverStart(command: string[]): Promise<number> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'apparatus-cli-start-'));
  const [file, ...args] = pinned(command);
  const started = performance.now();
  const child = spawn(file!, args, { cwd: PROJECT_ROOT, env: { ...process.env, PORT: '0', DATA_DIR: dataDir, ADMIN_TOKEN: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (!output.includes('Apparatus listening on')) return;
      const ms = performance.now() - started;
      child.kill('SIGTERM');
      child.once('exit', () => {
        rmSync(dataDir, { recursive: true, force: true });
        resolve(ms);
      });
    });
    child.once('exit', (code) => {
      if (!output.includes('Apparatus listening on')) reject(new Error(`${command.join(' ')} exited ${code} before listening: ${output.slice(0, 500)}`));
    });
  });
}

await ensureServerBuilt();
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const measured: Record<string, number[]> = { npm_import: [], tsx_import: [], built_import: [], npm_noop: [], server_built: [], server_tsx: [] };
// npm's own start-up: the same npm running a script that starts node and does nothing.
const noopDir = mkdtempSync(path.join(os.tmpdir(), 'apparatus-npm-noop-'));
spawnSync('sh', ['-c', `printf '%s' '{"name":"noop","private":true,"scripts":{"noop":"node -e 0"}}' > package.json`], { cwd: noopDir });
for (let i = 0; i < repetitions; i++) {
  measured.npm_import!.push(timed([npm, 'run', '--silent', 'import', '--', FIXTURE]));
  measured.tsx_import!.push(timed([process.execPath, '--import', 'tsx', 'server/cli/import-chapter.ts', FIXTURE]));
  measured.built_import!.push(timed([process.execPath, 'dist/import-chapter.mjs', FIXTURE]));
  measured.npm_noop!.push(timed([npm, 'run', '--silent', '--prefix', noopDir, 'noop']));
  measured.server_built!.push(await serverStart([process.execPath, 'scripts/run-built.mjs', 'server']));
  measured.server_tsx!.push(await serverStart([process.execPath, '--import', 'tsx', 'server/main.ts']));
}
rmSync(noopDir, { recursive: true, force: true });
const spreads = Object.fromEntries(Object.entries(measured).map(([name, values]) => [name, spreadOf(values.map((v) => round(v, 1)))]));
for (const [name, spread] of Object.entries(spreads)) console.log(`  ${name.padEnd(13)} median ${spread.median} ms (${spread.min}–${spread.max})`);
writeResult(run, repetitions, {
  apparatus: {
    npm_import_ms: spreads.npm_import!.median,
    built_import_ms: spreads.built_import!.median,
    npm_overhead_ms: spreads.npm_noop!.median,
    server_start_ms: spreads.server_built!.median,
  },
  before: { tsx_import_ms: spreads.tsx_import!.median, server_start_tsx_ms: spreads.server_tsx!.median },
  spreads,
  converged: true,
});
