// docx-2000: runs bench/docx-2000.ts (the Word export of the fixture chapter with 2,000
// annotations, full path, plus the text, errata and printable-page exports of the same room) in
// a fresh process on the server core, where an export runs, and writes bench/results/docx-2000.json.
//   node --import tsx bench/scenarios/docx-2000.ts [--quick] [--repetitions N]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchNode, runToCompletion, SERVER_CORE } from '../lib/process-launcher.ts';
import { beginScenario, writeResult } from '../lib/result-writer.ts';
import { scenarioOptions } from '../lib/scenario-options.ts';

const options = scenarioOptions();
const run = beginScenario('docx-2000', options.quick);
const runs = options.repetitions ?? (options.quick ? 5 : 9);
const dir = mkdtempSync(path.join(os.tmpdir(), 'apparatus-docx-bench-'));
try {
  const out = path.join(dir, 'figures.json');
  const script = launchNode({ core: SERVER_CORE, args: ['--import', 'tsx', 'bench/docx-2000.ts', '--runs', String(runs), '--out', out] });
  const code = await runToCompletion(script, 10 * 60_000);
  if (code !== 0) throw new Error(`bench/docx-2000.ts ${code === null ? 'did not finish in 10 minutes' : `exited with ${code}`}`);
  const { runs: measured, ...fields } = JSON.parse(readFileSync(out, 'utf8')) as { runs: number } & Record<string, unknown>;
  writeResult(run, measured, fields);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
