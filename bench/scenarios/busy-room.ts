// busy-room: 200 clients in one room, each creating one annotation a second for 60 s (200
// updates a second; the room grows by 12,000 annotations during the run), no presence: the
// server's longest event-loop stall, creation → every other client latency, what was lost, and
// the server's memory at the end. Apparatus and the reference side by side, same load generator
// (bench/lib/fanout-runner.ts). Writes bench/results/busy-room.json.
//   node --import tsx bench/scenarios/busy-room.ts [--quick] [--repetitions N] [--duration S]
import { fanoutFigures, runFanout } from '../lib/fanout-runner.ts';
import type { FanoutRun } from '../lib/fanout-runner.ts';
import type { ServerKind } from '../lib/bench-servers.ts';
import { beginScenario, writeResult } from '../lib/result-writer.ts';
import { scenarioOptions } from '../lib/scenario-options.ts';
import { round, spreadOf } from '../lib/stats.ts';

const options = scenarioOptions();
const run = beginScenario('busy-room', options.quick);
const plan = {
  clients: 200,
  stockClients: 5,
  annotationIntervalMs: 1000,
  presenceIntervalMs: null,
  durationMs: (options.durationS ?? (options.quick ? 20 : 60)) * 1000,
  repetitions: options.repetitions ?? (options.quick ? 1 : 2),
  servers: ['apparatus', 'reference'] as ServerKind[],
  sampledReplicas: 10,
  seed: 201,
};
console.log(`busy-room: ${plan.clients} clients, one annotation per client every ${plan.annotationIntervalMs} ms, ${plan.durationMs / 1000} s × ${plan.repetitions} repetitions per server`);
const runs = await runFanout(plan);

/**
 * The longest stall (over 50 ms) that began while the clients were annotating, from the probe's
 * list; 0 when there was none. The probe's window also holds what follows the run (the drain, and
 * a fresh client joining the grown room to compare replicas): `stall_max_ms` covers it all.
 */
function stallDuringRunMs(run: FanoutRun): number {
  const stalls = (run.probe as { stalls?: number[][] }).stalls ?? [];
  return Math.max(0, ...stalls.filter(([at]) => at! < plan.durationMs).map(([, length]) => length!));
}

/** The figures for one server: the longest stall, relay p99, memory at the end. */
function busyFigures(kind: ServerKind) {
  const mine: FanoutRun[] = runs.filter((r) => r.server === kind);
  const figures = fanoutFigures(runs, kind);
  return {
    stall_max_during_run_ms: Math.max(...mine.map(stallDuringRunMs)),
    stall_max_ms: spreadOf(mine.map((r) => r.probe.loopDelayMs.max)).max,
    p99_ms: figures.p99_ms,
    p50_ms: figures.p50_ms,
    lost: figures.lost,
    created: mine.reduce((sum, r) => sum + r.crowd.created, 0),
    rss_mib: round(Math.max(...mine.map((r) => r.probe.memory.rss)) / 2 ** 20, 1),
    loop_delay_p99_ms: figures.loop_delay_p99_ms,
    server_cpu_share: figures.server_cpu_share,
    converged: figures.converged,
  };
}
const apparatus = busyFigures('apparatus');
const reference = busyFigures('reference');
console.log(`  apparatus: stall ${apparatus.stall_max_during_run_ms} ms while annotating (${apparatus.stall_max_ms} ms with the join after), p99 ${apparatus.p99_ms} ms, ${apparatus.rss_mib} MiB; reference: stall ${reference.stall_max_ms} ms, p99 ${reference.p99_ms} ms, ${reference.rss_mib} MiB`);
writeResult(run, plan.repetitions, { clients: plan.clients, apparatus, reference, converged: apparatus.converged && reference.converged, plan, runs });
