// fanout-50: 50 clients in one room each create an annotation every 2 s (25 a second in all);
// latency from creation to arrival at every other client, Apparatus and the reference
// y-websocket server side by side with the same load generator. Writes bench/results/fanout-50.json.
//   node --import tsx bench/scenarios/fanout-50.ts [--quick] [--repetitions N] [--duration S]
import { fanoutFigures, runFanout } from '../lib/fanout-runner.ts';
import { beginScenario, writeResult } from '../lib/result-writer.ts';
import { scenarioOptions } from '../lib/scenario-options.ts';

const options = scenarioOptions();
const run = beginScenario('fanout-50', options.quick);
const plan = {
  clients: 50,
  stockClients: 5,
  annotationIntervalMs: 2000,
  presenceIntervalMs: null,
  // Full runs last long enough (1,125 annotations) for one automatic compaction of the log to happen while measured.
  durationMs: (options.durationS ?? (options.quick ? 15 : 45)) * 1000,
  repetitions: options.repetitions ?? (options.quick ? 3 : 5),
  servers: ['apparatus', 'reference'] as const,
  sampledReplicas: 10,
  seed: 50,
};
console.log(`fanout-50: ${plan.clients} clients (${plan.stockClients} stock y-websocket), one annotation per client every ${plan.annotationIntervalMs} ms, ${plan.durationMs / 1000} s × ${plan.repetitions} repetitions per server`);
const runs = await runFanout({ ...plan, servers: [...plan.servers] });
const apparatus = fanoutFigures(runs, 'apparatus');
const reference = fanoutFigures(runs, 'reference');
writeResult(run, plan.repetitions, {
  clients: plan.clients,
  apparatus: { p50_ms: apparatus.p50_ms, p99_ms: apparatus.p99_ms },
  reference: { p50_ms: reference.p50_ms, p99_ms: reference.p99_ms },
  converged: apparatus.converged && reference.converged,
  ratio_p99: Math.round((apparatus.p99_ms / reference.p99_ms) * 100) / 100,
  plan,
  figures: { apparatus, reference },
  runs,
});
