// export-10000: wraps bench/export-10000.ts (native and W3C export of 10,000 annotations and
// 2,000 replies, full path: read the room, resolve every anchor, export, serialise; and the
// round trip of the native file back into an empty room) in a fresh process on the server core,
// then rewrites bench/results/export-10000.json with the common header.
//   node --import tsx bench/scenarios/export-10000.ts [--quick] [--repetitions N]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { launchNode, runToCompletion, SERVER_CORE } from '../lib/process-launcher.ts';
import { beginScenario, RESULTS_DIR, writeResult } from '../lib/result-writer.ts';
import { scenarioOptions } from '../lib/scenario-options.ts';

const options = scenarioOptions();
const run = beginScenario('export-10000', options.quick);
const runs = options.repetitions ?? (options.quick ? 5 : 9);
const file = path.join(RESULTS_DIR, 'export-10000.json');
const started = new Date();

const script = launchNode({ core: SERVER_CORE, args: ['--import', 'tsx', 'bench/export-10000.ts', '--runs', String(runs)] });
const code = await runToCompletion(script, 10 * 60_000);
if (code !== 0) throw new Error(`bench/export-10000.ts ${code === null ? 'did not finish in 10 minutes' : `exited with ${code}`}`);
const measured = JSON.parse(readFileSync(file, 'utf8')) as { date: string; runs: number; apparatus: { ms: number }; spread: unknown } & Record<string, unknown>;
if (new Date(measured.date) < started) throw new Error(`${file} was not rewritten by this run`);
// The script throws if importing its own native export refuses anything: finishing means the round trip held.
const { scenario: _scenario, date: _date, machine: _machine, node: _node, commit: _commit, runs: scriptRuns, ...fields } = measured;
writeResult(run, scriptRuns, { ...fields, converged: true, converged_means: 'the native export re-imported into an empty room with nothing refused' });
