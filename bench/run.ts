// `npm run bench` runs every scenario, each in fresh processes, writes bench/results/<scenario>.json
// and regenerates the table in BENCHMARKS.md. Figures, not assertions: the exit code is non-zero
// only when a scenario could not run.
//   npm run bench                          full (repetitions and durations of the method)
//   npm run bench -- --quick               under 10 minutes on a 2-core machine
//   npm run bench -- --only fanout-50      one scenario (repeatable, or comma-separated)
//   npm run bench -- --table               only regenerate BENCHMARKS.md from the stored results
import { parseArgs } from 'node:util';
import { regenerateBenchmarksFile } from './lib/benchmarks-table.ts';
import { loadAverage } from './lib/machine-info.ts';
import { launchNode, LOAD_CORE, pinningAvailable } from './lib/process-launcher.ts';

/** Every scenario, in the order they run (cheap and independent first, the browser last). */
const SCENARIOS = ['cli-start', 'fanout-50', 'fanout-200-presence', 'busy-room', 'join-cold-2000', 'join-after-restart', 'append-rate', 'export-10000', 'room-growth', 'docx-2000', 'accounts', 'heavy-requests', 'several-servers', 'browser-open-5000', 'seminar-view'] as const;

function selectedScenarios(only: string[] | undefined): string[] {
  if (!only || only.length === 0) return [...SCENARIOS];
  const names = only.flatMap((value) => value.split(',')).map((name) => name.trim()).filter(Boolean);
  const unknown = names.filter((name) => !(SCENARIOS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new RangeError(`unknown scenario ${unknown.join(', ')}; known: ${SCENARIOS.join(', ')}`);
  return names;
}

/**
 * Runs one scenario script in its own process, pinned to the load core (its load generators
 * and browser inherit that core; the servers it starts pin themselves to the other one).
 */
async function runScenario(name: string, extraArgs: string[]): Promise<boolean> {
  console.log(`\n=== ${name} (load average ${loadAverage()}) ===`);
  const started = performance.now();
  const scenario = launchNode({ core: LOAD_CORE, args: ['--import', 'tsx', `bench/scenarios/${name}.ts`, ...extraArgs] });
  const code = await scenario.exited;
  console.log(`=== ${name}: ${code === 0 ? 'done' : `FAILED (exit ${code})`} in ${Math.round((performance.now() - started) / 1000)} s ===`);
  return code === 0;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { quick: { type: 'boolean', default: false }, only: { type: 'string', multiple: true }, table: { type: 'boolean', default: false } },
  });
  if (!values.table) {
    const scenarios = selectedScenarios(values.only);
    console.log(`bench: ${scenarios.join(', ')}${values.quick ? ' (quick)' : ''}; pinning ${pinningAvailable() ? 'with taskset (server core 1, load core 0)' : 'unavailable'}`);
    const failed: string[] = [];
    for (const name of scenarios) if (!(await runScenario(name, values.quick ? ['--quick'] : []))) failed.push(name);
    if (failed.length > 0) process.exitCode = 1;
    if (failed.length > 0) console.log(`\nscenarios that could not run: ${failed.join(', ')}`);
  }
  regenerateBenchmarksFile();
  console.log('\nregenerated the table in BENCHMARKS.md');
}

await main();
