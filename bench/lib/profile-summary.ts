// Summarises a V8 CPU profile (`node --cpu-prof`, BENCH_CPU_PROF_DIR for bench servers, or
// Chromium's Profiler domain) as text: the functions with the most inclusive time, or what a
// given function spends its time in.
//   node --import tsx bench/lib/profile-summary.ts FILE.cpuprofile [--callees NAME] [--depth N] [--top N] [--cpu]
// --cpu weighs each sample by the sampling interval (the median gap) instead of the gap until
// the next sample: on a loaded machine a process waits for the core, and that wait would land on
// whatever function ran last (a 537 ms gap once made one regular expression look like a tenth
// of a run).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** A sampled stack, root first, as `function file:line` frames, with the time it stood for (ms). */
interface Stack {
  frames: string[];
  ms: number;
}

function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  return `${functionName || '(anonymous)'} ${url.split('/').pop() ?? ''}:${lineNumber + 1}`;
}

/** Expands the samples into stacks (root first), with the time until the next sample (or, `cpu`, the sampling interval). */
function stacksOf(profile: CpuProfile, cpu: boolean): Stack[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const sorted = [...profile.timeDeltas].sort((a, b) => a - b);
  const interval = sorted[sorted.length >> 1] ?? 0;
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  return profile.samples.map((id, i) => {
    const frames: string[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) frames.push(frameName(byId.get(at)!));
    return { frames: frames.reverse(), ms: (cpu ? interval : (profile.timeDeltas[i] ?? 0)) / 1000 };
  });
}

/** Inclusive time per function (counted once per stack, however deep the recursion). */
function inclusiveTimes(stacks: Stack[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const stack of stacks) for (const frame of new Set(stack.frames)) totals.set(frame, (totals.get(frame) ?? 0) + stack.ms);
  return totals;
}

/** Time below the first frame starting with `name`, by the next `depth` frames. */
function calleeTimes(stacks: Stack[], name: string, depth: number): Map<string, number> {
  const totals = new Map<string, number>();
  for (const stack of stacks) {
    const at = stack.frames.findIndex((frame) => frame.startsWith(name));
    if (at < 0) continue;
    const path = stack.frames.slice(at + 1, at + 1 + depth).join(' > ') || '(self)';
    totals.set(path, (totals.get(path) ?? 0) + stack.ms);
  }
  return totals;
}

function print(totals: Map<string, number>, top: number): void {
  const rows = [...totals].sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [frame, ms] of rows) console.log(`${ms.toFixed(1).padStart(9)} ms  ${frame}`);
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { callees: { type: 'string' }, depth: { type: 'string', default: '1' }, top: { type: 'string', default: '50' }, cpu: { type: 'boolean', default: false } },
});
if (positionals.length !== 1) throw new TypeError('usage: profile-summary.ts FILE.cpuprofile [--callees NAME] [--depth N] [--top N] [--cpu]');
const stacks = stacksOf(JSON.parse(readFileSync(positionals[0]!, 'utf8')) as CpuProfile, values.cpu ?? false);
print(values.callees ? calleeTimes(stacks, values.callees, Number(values.depth)) : inclusiveTimes(stacks), Number(values.top));
