// The long convergence fuzz (docs/reliability.md C1): many seeds × many operations, five replicas
// of both documents. Prints each seed (replay one with --seed N) and a summary, writes
// bench/results/fuzz-convergence.json, exits 1 on the first failing seed.
//
//   node --import tsx scripts/fuzz-convergence.ts --seeds 50 --ops 2000
//   node --import tsx scripts/fuzz-convergence.ts --seed 17 --ops 2000
//   options: --first N (first seed, default 1); --index-check all|rotate|none (which replicas'
//   AnchorIndex is compared with a full resolution after each step; default all, rotate = one per step)
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runConvergenceFuzz } from '../tests/helpers/convergence-fuzz.ts';
import type { FuzzReport } from '../tests/helpers/convergence-fuzz.ts';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '50' },
    ops: { type: 'string', default: '2000' },
    seed: { type: 'string' },
    first: { type: 'string', default: '1' },
    'index-check': { type: 'string', default: 'all' },
  },
});

function positiveInteger(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`--${name} must be a non-negative integer, got ${text}`);
  return n;
}

const ops = positiveInteger('ops', values.ops);
const indexCheck = values['index-check'];
if (indexCheck !== 'all' && indexCheck !== 'rotate' && indexCheck !== 'none') throw new RangeError(`--index-check must be all, rotate or none, got ${indexCheck}`);
const seeds = values.seed !== undefined
  ? [positiveInteger('seed', values.seed)]
  : Array.from({ length: positiveInteger('seeds', values.seeds) }, (_, i) => positiveInteger('first', values.first) + i);

const totals: Record<string, number> = {};
const states: Record<string, number> = {};
const orphanCauses: Record<string, number> = {};
const started = performance.now();
let failed: FuzzReport | null = null;
for (const seed of seeds) {
  const t0 = performance.now();
  const report = runConvergenceFuzz({ seed, ops, indexCheck });
  for (const [name, n] of Object.entries(report.counts)) totals[name] = (totals[name] ?? 0) + n;
  for (const [name, n] of Object.entries(report.finalStates)) states[name] = (states[name] ?? 0) + n;
  for (const [name, n] of Object.entries(report.orphanCauses)) orphanCauses[name] = (orphanCauses[name] ?? 0) + n;
  const verdict = report.failures.length === 0 ? 'ok' : 'FAILED';
  console.log(`seed ${seed}: ${verdict} — ${ops} ops, ${report.annotations} annotations at the end ${JSON.stringify(report.finalStates)} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  if (report.failures.length > 0) {
    console.log(report.failures.slice(0, 3).join('\n'));
    console.log(`replay: node --import tsx scripts/fuzz-convergence.ts --seed ${seed} --ops ${ops}`);
    failed = report;
    break;
  }
}

const seconds = (performance.now() - started) / 1000;
const summary = {
  scenario: 'fuzz-convergence',
  date: new Date().toISOString(),
  node: process.version,
  seeds: failed ? seeds.slice(0, seeds.indexOf(failed.seed) + 1) : seeds,
  opsPerSeed: ops,
  totalOps: (failed ? seeds.indexOf(failed.seed) + 1 : seeds.length) * ops,
  indexCheckEachStep: indexCheck,
  seconds: Number(seconds.toFixed(1)),
  operationCounts: Object.fromEntries(Object.entries(totals).sort()),
  finalAnchorStates: states,
  orphanCauses,
  failedSeed: failed?.seed ?? null,
};
console.log(`\n${summary.totalOps} operations over ${summary.seeds.length} seeds in ${summary.seconds} s; ${failed ? `seed ${failed.seed} FAILED` : 'all converged'}`);
console.log('operations:', JSON.stringify(summary.operationCounts));
console.log('final anchor states:', JSON.stringify(states), 'orphans:', JSON.stringify(orphanCauses));
const out = path.resolve(import.meta.dirname, '../bench/results/fuzz-convergence.json');
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(summary, null, 2)}\n`);
process.exitCode = failed ? 1 : 0;
