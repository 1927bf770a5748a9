// Preloaded into a server under test (`node --import tsx --import ./bench/lib/server-probe.ts …`),
// Apparatus and the reference alike, so both are observed the same way without changing either:
// it watches the event loop (perf_hooks.monitorEventLoopDelay) and answers probe requests on
// the IPC channel the benchmark opened. Without an IPC channel it does nothing.
import { constants as perfConstants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { ProbeReply, ProbeRequest } from './probe-messages.ts';
import { PROBE_RESOLUTION_MS } from './probe-messages.ts';

/** Nanoseconds to milliseconds, minus the sampling interval the histogram includes in every value. */
function delayMs(nanoseconds: number): number {
  return Math.max(0, Math.round((nanoseconds / 1e6 - PROBE_RESOLUTION_MS) * 100) / 100);
}

/** Runs a full garbage collection (V8's gc, exposed on demand) so heap figures mean live data. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
}

function startProbe(send: (reply: ProbeReply) => void): void {
  const histogram = monitorEventLoopDelay({ resolution: PROBE_RESOLUTION_MS });
  histogram.enable();
  const gc = { count: 0, totalMs: 0, maxMs: 0, maxKind: '', major: 0, over50: 0 };
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as unknown as { detail?: { kind?: number } }).detail?.kind;
      gc.count++;
      gc.totalMs += entry.duration;
      if (entry.duration > 50) gc.over50++;
      if (kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR) gc.major++;
      if (entry.duration > gc.maxMs) { gc.maxMs = entry.duration; gc.maxKind = String(kind); }
    }
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  // Stalls over 50 ms and when they happened (ms since the last reset), to place them in the run.
  let resetAt = performance.now();
  let stalls: number[][] = [];
  let last = performance.now();
  // The main thread's own CPU time (jiffies of 10 ms, /proc/self/task/<pid>/stat) and the whole
  // process's, across each stall: a stall the main thread spent computing, or one it waited out.
  const mainThreadJiffies = (): number => {
    try {
      const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return Number(fields[11]) + Number(fields[12]);
    } catch {
      return -1;
    }
  };
  let lastMain = mainThreadJiffies();
  let lastCpu = process.cpuUsage();
  setInterval(() => {
    const now = performance.now();
    const main = mainThreadJiffies();
    const cpu = process.cpuUsage();
    if (now - last > 60) stalls.push([Math.round(last - resetAt), Math.round(now - last - 10), (main - lastMain) * 10, Math.round((cpu.user + cpu.system - lastCpu.user - lastCpu.system) / 1000)]);
    last = now;
    lastMain = main;
    lastCpu = cpu;
  }, 10).unref();
  let cpuSince = process.cpuUsage();
  let wallSince = performance.now();
  process.on('message', (message: ProbeRequest) => {
    if (message?.type !== 'bench-probe') return;
    if (message.gc) collectGarbage();
    const cpu = process.cpuUsage(cpuSince);
    const memory = process.memoryUsage();
    send({
      type: 'bench-probe-reply',
      id: message.id,
      loopDelayMs: { p50: delayMs(histogram.percentile(50)), p99: delayMs(histogram.percentile(99)), max: delayMs(histogram.max), samples: histogram.count },
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      wallMs: Math.round(performance.now() - wallSince),
      stalls,
      gc: { ...gc, totalMs: Math.round(gc.totalMs), maxMs: Math.round(gc.maxMs * 10) / 10 },
      memory: { rss: memory.rss, heapUsed: memory.heapUsed, external: memory.external, arrayBuffers: memory.arrayBuffers },
    });
    if (message.reset) {
      histogram.reset();
      resetAt = performance.now();
      stalls = [];
      Object.assign(gc, { count: 0, totalMs: 0, maxMs: 0, maxKind: '', major: 0, over50: 0 });
      cpuSince = process.cpuUsage();
      wallSince = performance.now();
    }
  });
}

if (process.send) {
  const send = process.send.bind(process);
  startProbe((reply) => send(reply));
  // The benchmark that started this server is gone (finished or crashed): stop as on SIGTERM
  // rather than linger as an orphan on the machine.
  process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}
