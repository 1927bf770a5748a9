// append-rate: wraps bench/server-durability.ts (durable appends: store alone, one transaction per
// update and group commits of 100; end to end, 20,000 real annotation updates flooded over one
// socket to a server process until the MESSAGE_STORED ack covers them all; for FULL and NORMAL)
// in fresh processes (not pinned: the script and the server it spawns share the machine), and
// rewrites bench/results/append-rate.json with the common header. The
// headline figure is the end-to-end rate with the default `synchronous = FULL`.
//   node --import tsx bench/scenarios/append-rate.ts [--quick] [--repetitions N]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { launchNode, runToCompletion } from '../lib/process-launcher.ts';
import { beginScenario, RESULTS_DIR, writeResult } from '../lib/result-writer.ts';
import { scenarioOptions } from '../lib/scenario-options.ts';
import { spreadOf } from '../lib/stats.ts';

interface DurabilityLevel {
  storeSingleTransactionPerSec: number;
  storeGroupCommit100PerSec: number;
  endToEndAckedPerSec: number;
}
interface DurabilityResult {
  date: string;
  FULL: DurabilityLevel;
  NORMAL: DurabilityLevel;
  room: Record<string, number>;
}

const options = scenarioOptions();
const run = beginScenario('append-rate', options.quick);
const repetitions = options.repetitions ?? (options.quick ? 1 : 3);
const file = path.join(RESULTS_DIR, 'append-rate.json');
const results: DurabilityResult[] = [];

for (let i = 0; i < repetitions; i++) {
  const started = new Date();
  // Not pinned: the script floods a server it spawns itself, which would inherit one core with it.
  const script = launchNode({ core: null, args: ['--import', 'tsx', 'bench/server-durability.ts'] });
  const code = await runToCompletion(script, 10 * 60_000);
  if (code !== 0) throw new Error(`bench/server-durability.ts ${code === null ? 'did not finish in 10 minutes' : `exited with ${code}`}`);
  const measured = JSON.parse(readFileSync(file, 'utf8')) as DurabilityResult;
  if (new Date(measured.date) < started) throw new Error(`${file} was not rewritten by this run`);
  results.push(measured);
}

const level = (name: 'FULL' | 'NORMAL') => ({
  end_to_end_acked_per_s: spreadOf(results.map((r) => r[name].endToEndAckedPerSec)),
  store_single_transaction_per_s: spreadOf(results.map((r) => r[name].storeSingleTransactionPerSec)),
  store_group_commit_100_per_s: spreadOf(results.map((r) => r[name].storeGroupCommit100PerSec)),
});
const full = level('FULL');
writeResult(run, repetitions, {
  apparatus: { updates_per_s: full.end_to_end_acked_per_s.median },
  synchronous: { FULL: full, NORMAL: level('NORMAL') },
  room: results.at(-1)?.room,
  // The flood ends when the stored ack covers every update sent: the server stored exactly what was sent.
  converged: true,
  converged_means: 'the MESSAGE_STORED ack covered the state vector of all 20,000 updates sent',
});
