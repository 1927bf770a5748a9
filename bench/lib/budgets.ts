/** The verdict on one budget: met, missed, failed (the replicas diverged or the run broke), or not run yet. */
export type Verdict = 'met' | 'missed' | 'failed' | 'not run';

/** One row of the table in BENCHMARKS.md. */
export interface BudgetRow {
  scenario: string;
  budget: string;
  apparatus: string;
  reference: string;
  verdict: Verdict;
  /** Repetitions, load average and date of the result (or why there is none). */
  context: string;
}

/** A result file as the scenarios write it: parsed JSON, read defensively by each budget. */
export type ScenarioResult = Record<string, any>;

/** One budget of docs/performance.md: how to read it out of a scenario's result. */
interface BudgetDefinition {
  scenario: string;
  /** The row's name when a scenario carries more than one budget. */
  label?: string;
  budget: string;
  apparatus(result: ScenarioResult): string;
  reference(result: ScenarioResult): string;
  met(result: ScenarioResult): boolean;
}

/** A stall figure from the probe's list of stalls over 50 ms (0: there was none). */
const stall = (value: unknown): string => (value === 0 ? 'none over 50 ms' : ms(value));
const ms = (value: unknown): string => (typeof value === 'number' && Number.isFinite(value) ? `${value} ms` : '–');
const range = (spread: { min: number; max: number } | undefined, unit = 'ms'): string => (spread ? ` (${spread.min}–${spread.max} ${unit})` : '');

/** The budgets of docs/performance.md, in its order, each tied to the scenario that measures it. */
export const BUDGETS: readonly BudgetDefinition[] = [
  {
    scenario: 'cli-start',
    budget: '`npm run import` on the fixture < 400 ms; CLIs and server without a TypeScript transpiler at run time',
    apparatus: (r) => `npm run import ${ms(r.apparatus?.npm_import_ms)}${range(r.spreads?.npm_import)}, of which npm itself ${ms(r.apparatus?.npm_overhead_ms)}; the built CLI alone ${ms(r.apparatus?.built_import_ms)}; server start to banner ${ms(r.apparatus?.server_start_ms)}`,
    reference: (r) => `before (tsx at run time): import ${ms(r.before?.tsx_import_ms)}, server start ${ms(r.before?.server_start_tsx_ms)}`,
    met: (r) => r.apparatus.npm_import_ms < 400,
  },
  {
    scenario: 'fanout-50',
    budget: 'p50 < 5 ms, p99 < 25 ms, p99 ≤ 1.1 × reference p99',
    apparatus: (r) => `p50 ${ms(r.apparatus?.p50_ms)}, p99 ${ms(r.apparatus?.p99_ms)}${range(r.figures?.apparatus?.p99_spread)} = ${r.ratio_p99}× the reference's`,
    reference: (r) => `p50 ${ms(r.reference?.p50_ms)}, p99 ${ms(r.reference?.p99_ms)}${range(r.figures?.reference?.p99_spread)}`,
    met: (r) => r.apparatus.p50_ms < 5 && r.apparatus.p99_ms < 25 && r.apparatus.p99_ms <= 1.1 * r.reference.p99_ms,
  },
  {
    scenario: 'fanout-200-presence',
    budget: 'p99 < 100 ms, nothing lost, server loop delay p99 < 50 ms',
    apparatus: (r) => `p99 ${ms(r.apparatus?.p99_ms)}, lost ${r.apparatus?.lost}, loop p99 ${ms(r.apparatus?.loop_delay_p99_ms)}; presence p99 ${ms(r.apparatus?.presence_p99_ms)}`,
    reference: (r) => (r.reference ? `p99 ${ms(r.reference.p99_ms)}, lost ${r.reference.lost}, loop p99 ${ms(r.reference.loop_delay_p99_ms)}; presence p99 ${ms(r.reference.presence_p99_ms)}` : 'not run'),
    met: (r) => r.apparatus.p99_ms < 100 && r.apparatus.lost === 0 && r.apparatus.loop_delay_p99_ms < 50,
  },
  {
    scenario: 'busy-room',
    budget: '200 clients each creating one annotation a second for 60 s: event-loop stalls < 100 ms, creation → other client p99 < 250 ms, memory < 400 MiB, nothing lost',
    apparatus: (r) => `longest stall while annotating ${stall(r.apparatus?.stall_max_during_run_ms)} (with a fresh client's join of the grown room after the run: ${ms(r.apparatus?.stall_max_ms)}), p99 ${ms(r.apparatus?.p99_ms)}, ${r.apparatus?.rss_mib} MiB RSS, lost ${r.apparatus?.lost} (${r.apparatus?.created} created)`,
    reference: (r) => `longest stall while annotating ${stall(r.reference?.stall_max_during_run_ms)} (with the join after: ${ms(r.reference?.stall_max_ms)}), p99 ${ms(r.reference?.p99_ms)}, ${r.reference?.rss_mib} MiB RSS, lost ${r.reference?.lost}`,
    // The budget is the 60 s of annotating; results written before the stall list count everything.
    met: (r) => (r.apparatus.stall_max_during_run_ms ?? r.apparatus.stall_max_ms) < 100 && r.apparatus.p99_ms < 250 && r.apparatus.rss_mib < 400 && r.apparatus.lost === 0,
  },
  {
    scenario: 'append-rate',
    budget: '≥ 5,000 durable updates/s',
    apparatus: (r) => `${r.apparatus?.updates_per_s}/s (FULL, end to end)${range(r.synchronous?.FULL?.end_to_end_acked_per_s, '/s')}`,
    reference: () => 'n/a (no durability)',
    met: (r) => r.apparatus.updates_per_s >= 5000,
  },
  {
    scenario: 'join-after-restart',
    budget: 'the first join after a restart (the store as live use and SIGTERM leave it): 2,000 annotations < 300 ms, 20,000 < 2 s',
    apparatus: (r) => `2,000: ${ms(r.apparatus?.ms_2000)}${range(r.sizes?.['2000']?.first_join_ms)}; 20,000: ${ms(r.apparatus?.ms_20000)}${range(r.sizes?.['20000']?.first_join_ms)}`,
    reference: (r) => `the same rooms held in memory: 2,000: ${ms(r.reference?.ms_2000)}; 20,000: ${ms(r.reference?.ms_20000)}`,
    met: (r) => r.apparatus.ms_2000 < 300 && r.apparatus.ms_20000 < 2000,
  },
  {
    scenario: 'join-cold-2000',
    budget: 'a room unloaded on a running server (seeded as one snapshot), 2,000 annotations: p95 < 300 ms',
    apparatus: (r) => `p50 ${ms(r.apparatus?.p50_ms)}, p95 ${ms(r.apparatus?.p95_ms)} (room unloaded, server running); a fresh process's first join of the seeded snapshot ${ms(r.apparatus?.after_restart_ms?.median)} (not what a restart leaves: see join-after-restart)`,
    reference: (r) => `p50 ${ms(r.reference?.p50_ms)}, p95 ${ms(r.reference?.p95_ms)} (in memory)`,
    met: (r) => r.apparatus.p95_ms < 300,
  },
  {
    scenario: 'room-growth',
    budget: 'CPU per update and event-loop max flat in room size from 1k to 50k annotations (steady writes at 50/s), side by side with the reference',
    apparatus: (r) => `CPU/update ${ms(r.apparatus?.cpu_ms_per_update_first)} at ${r.steps?.[0]?.annotations} → ${ms(r.apparatus?.cpu_ms_per_update_last)} at ${r.apparatus?.annotations}; loop max (worst step) ${ms(r.apparatus?.loop_max_ms_worst)}; ${r.apparatus?.state_bytes_per_annotation} B of Yjs state, ${r.apparatus?.store_bytes_per_annotation} B stored per annotation at the end${r.apparatus?.compaction_ms_max === undefined ? '' : `; longest compaction ${ms(r.apparatus.compaction_ms_max)} (start to write, off the loop)`}${r.apparatus?.fresh_join ? `; a fresh client joins at ${r.apparatus.annotations} in ${ms(r.apparatus.fresh_join.ms)}` : ''}`,
    reference: (r) => `CPU/update ${ms(r.reference?.cpu_ms_per_update_first)} → ${ms(r.reference?.cpu_ms_per_update_last)}; loop max (worst step) ${ms(r.reference?.loop_max_ms_worst)}${r.reference?.fresh_join ? `; fresh join ${ms(r.reference.fresh_join.ms)}` : ''}`,
    met: (r) => r.apparatus.cpu_ms_per_update_last <= 1.5 * r.apparatus.cpu_ms_per_update_first && r.apparatus.loop_max_ms_worst < 100,
  },
  {
    scenario: 'room-growth',
    label: 'compact state',
    budget: 'at most ~300 bytes per typical annotation on the wire and in the store, keeping per-field merging and the documented layout',
    apparatus: (r) => {
      const stored = (r.steps ?? []).map((step: ScenarioResult) => step.apparatus?.store_bytes_per_annotation).filter((value: unknown) => typeof value === 'number');
      return `stored ${Math.min(...stored)}–${Math.max(...stored)} B per annotation over the steps (compressed snapshot + log); a fresh join at ${r.apparatus?.fresh_join?.annotations} read ${r.apparatus?.fresh_join?.wire_bytes_per_annotation} B per annotation from its socket; the Yjs state itself ${r.apparatus?.state_bytes_per_annotation} B; a live update is sent uncompressed`;
    },
    reference: (r) => `a fresh join read ${r.reference?.fresh_join?.wire_bytes_per_annotation} B per annotation (nothing stored)`,
    met: (r) => {
      const stored = (r.steps ?? []).map((step: ScenarioResult) => step.apparatus?.store_bytes_per_annotation).filter((value: unknown) => typeof value === 'number');
      return stored.length > 0 && Math.max(...stored) <= 300 && r.apparatus?.fresh_join?.wire_bytes_per_annotation <= 300;
    },
  },
  {
    scenario: 'browser-open-5000',
    budget: 'first visit (fresh context) to 5,000 annotations until every highlight in the viewport is painted and the sidebar counts are right: < 1.5 s',
    apparatus: (r) => `first visit ${ms(r.apparatus?.ms)}${range(r.open)}; reload (cached) ${ms(r.apparatus?.reload_ms)}`,
    reference: () => 'n/a (no client)',
    met: (r) => r.apparatus.ms < 1500,
  },
  {
    scenario: 'browser-open-5000',
    label: 'browser 20,000',
    budget: 'first visit to 20,000 annotations (as above) < 4 s; scrolling through them (100 px a frame) without tasks over 50 ms',
    apparatus: (r) => `first visit ${ms(r.apparatus?.ms_20000)}${range(r.large?.open)}; scrolling: ${r.apparatus?.scroll_long_tasks} tasks over 50 ms (longest ${ms(r.apparatus?.scroll_longest_task_ms)}) in ${r.large?.scroll?.frames} frames`,
    reference: () => 'n/a (no client)',
    met: (r) => r.apparatus.ms_20000 < 4000 && r.apparatus.scroll_long_tasks === 0,
  },
  {
    scenario: 'browser-open-5000',
    label: 'browser re-render',
    budget: 'a remote annotation change re-renders in < 16 ms at 2,000 annotations',
    apparatus: (r) => `p50 ${ms(r.apparatus?.rerender_ms)}, p95 ${ms(r.apparatus?.rerender_p95_ms)} (to the next paint: p50 ${ms(r.rerender?.frame_ms?.p50)})`,
    reference: () => 'n/a (no client)',
    met: (r) => r.apparatus.rerender_ms < 16,
  },
  {
    scenario: 'seminar-view',
    budget: 'seminar view of 30 people × 100 annotations: renders < 300 ms; a remote change shown within one frame',
    apparatus: (r) =>
      `render ${ms(r.apparatus?.render_ms)}${range(r.render)}; a remote change painted ${ms(r.apparatus?.update_paint_p50_ms)} after its message (p95 ${ms(r.apparatus?.update_paint_p95_ms)}), in the first frame after it (frames p50 ${r.update?.frames?.p50}, p95 ${r.apparatus?.update_frames_p95})`,
    reference: () => 'n/a (no client)',
    met: (r) => r.apparatus.render_ms < 300 && r.update.frames.p50 <= 1 && r.apparatus.update_frames_p95 <= 1,
  },
  {
    scenario: 'export-10000',
    budget: '< 300 ms (native and W3C)',
    apparatus: (r) => `${ms(r.apparatus?.ms)} (native ${ms(r.apparatus?.native_ms)}, W3C ${ms(r.apparatus?.w3c_ms)})`,
    reference: () => 'n/a (no export)',
    met: (r) => r.apparatus.ms < 300,
  },
  {
    scenario: 'accounts',
    label: 'sign-in',
    budget: 'p99 < 1 s (proposed; scrypt at the OWASP parameters is most of it)',
    apparatus: (r) => `p50 ${ms(r.apparatus?.sign_in_p50_ms)}, p99 ${ms(r.apparatus?.sign_in_p99_ms)}${range(r.sign_in?.p99_ms)}; ${r.sign_in?.burst} at once: p50 ${ms(r.sign_in?.burst_p50_ms?.median)}, p99 ${ms(r.sign_in?.burst_p99_ms?.median)}`,
    reference: () => 'n/a',
    met: (r) => r.apparatus.sign_in_p99_ms < 1000,
  },
  {
    scenario: 'accounts',
    label: 'home page, 50 seminars × 20 chapters',
    budget: 'API p99 < 100 ms, drawn in a fresh browser < 1 s (proposed)',
    apparatus: (r) => `API p50 ${ms(r.home?.api_p50_ms?.median)}, p99 ${ms(r.apparatus?.home_api_p99_ms)}; drawn ${ms(r.apparatus?.home_rendered_ms)}; a seminar page of 20 chapters p50 ${ms(r.home?.seminar_page_warm_p50_ms?.median)} (first view ${ms(r.home?.seminar_page_cold_p50_ms?.median)})`,
    reference: () => 'n/a',
    met: (r) => r.apparatus.home_api_p99_ms < 100 && r.apparatus.home_rendered_ms < 1000,
  },
  {
    scenario: 'docx-2000',
    budget: 'Word export of 2,000 annotations < 2 s (issue 18)',
    apparatus: (r) => `${ms(r.apparatus?.docx_ms)}${range(r.spread?.docx)}, ${r.apparatus?.comments} comments, ${r.apparatus?.tracked_deletions} deleted runs; text ${ms(r.apparatus?.text_ms)}, errata ${ms(r.apparatus?.errata_ms)}, printable page ${ms(r.apparatus?.print_ms)}`,
    reference: () => 'n/a (no export)',
    met: (r) => r.apparatus.docx_ms < 2000,
  },
  {
    scenario: 'heavy-requests',
    budget: 'P3/P4: /healthz and a live room < 100 ms while imports, chapter imports, exports and nested JSON arrive',
    apparatus: (r) => `/healthz p99 ${ms(r.apparatus?.health_p99_ms)} (max ${ms(r.apparatus?.health_max_ms)}), live round trip p99 ${ms(r.apparatus?.live_p99_ms)} (max ${ms(r.apparatus?.live_max_ms)})`,
    reference: (r) => (r.before ? `before (${r.before.checkout}): /healthz p99 ${ms(r.before.health_p99_ms)} (max ${ms(r.before.health_max_ms)}), live p99 ${ms(r.before.live_p99_ms)}` : 'n/a'),
    met: (r) => r.apparatus.health_p99_ms < 100 && r.apparatus.live_p99_ms < 100,
  },
  {
    scenario: 'several-servers',
    label: 'fan-out over 3 processes',
    budget: 'the one-process budgets hold over 3 processes on PostgreSQL and Redis: 50 clients p99 < 25 ms; 200 clients p99 < 100 ms, nothing lost (proposed)',
    apparatus: (r) =>
      `50 clients: p99 ${ms(r.apparatus?.fanout_50_p99_ms?.processes_3)} over 3 processes (${ms(r.apparatus?.fanout_50_p99_ms?.processes_1)} over 1); 200 clients: p99 ${ms(r.apparatus?.fanout_200_p99_ms?.processes_3)} (${ms(r.apparatus?.fanout_200_p99_ms?.processes_1)}), lost ${r.fanout?.clients_200?.processes_3?.lost}`,
    reference: () => 'n/a',
    met: (r) => r.apparatus.fanout_50_p99_ms.processes_3 < 25 && r.apparatus.fanout_200_p99_ms.processes_3 < 100 && r.fanout.clients_200.processes_3.lost === 0,
  },
  {
    scenario: 'several-servers',
    label: 'durable appends on PostgreSQL',
    budget: '≥ 5,000 durable updates/s end to end, as on SQLite',
    apparatus: (r) => `PostgreSQL ${r.apparatus?.postgres_updates_per_s}/s${range(r.appends?.postgres_end_to_end_per_s, '/s')}; SQLite in the same run ${r.apparatus?.sqlite_updates_per_s}/s; one room written through 1/2/3 processes: ${r.apparatus?.throughput_per_s?.one_room_processes_1}/${r.apparatus?.throughput_per_s?.one_room_processes_2}/${r.apparatus?.throughput_per_s?.one_room_processes_3}/s, a room each: ${r.apparatus?.throughput_per_s?.room_each_processes_1}/${r.apparatus?.throughput_per_s?.room_each_processes_2}/${r.apparatus?.throughput_per_s?.room_each_processes_3}/s`,
    reference: () => 'n/a (no durability)',
    met: (r) => r.apparatus.postgres_updates_per_s >= 5000,
  },
  {
    scenario: 'join-cold-2000',
    label: 'server memory',
    budget: '< 30 MB above an empty server (one room, chapter + 2,000 annotations)',
    apparatus: (r) => `+${r.apparatus?.memory_mb?.heap} MB live heap (after GC); RSS +${r.apparatus?.memory_mb?.rss} MB for the first room, +${r.apparatus?.memory_mb?.rss_second_room} MB for a second`,
    reference: () => 'n/a',
    met: (r) => r.apparatus.memory_mb.heap < 30,
  },
];

/** Turns one budget and its scenario's result (if any) into a table row. */
export function budgetRow(definition: BudgetDefinition, result: ScenarioResult | null): BudgetRow {
  const scenario = definition.label ? `${definition.label} (${definition.scenario})` : definition.scenario;
  if (!result) return { scenario, budget: definition.budget, apparatus: '–', reference: '–', verdict: 'not run', context: 'no result yet' };
  let verdict: Verdict;
  try {
    verdict = result.converged === false ? 'failed' : definition.met(result) ? 'met' : 'missed';
  } catch {
    verdict = 'failed';
  }
  const context = `${result.repetitions}×${result.quick ? ' (quick)' : ''}, load ${result.load_average?.start}→${result.load_average?.end}, ${String(result.date).slice(0, 10)}`;
  return { scenario, budget: definition.budget, apparatus: definition.apparatus(result), reference: definition.reference(result), verdict, context };
}
