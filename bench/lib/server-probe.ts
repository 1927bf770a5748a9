// Preloaded into a server under test (`node --import tsx --import ./bench/lib/server-probe.ts …`),
// Apparatus and the reference alike, so both are observed the same way without changing either:
// it watches the event loop (perf_hooks.monitorEventLoopDelay) and answers probe requests on
// the IPC channel the benchmark opened. Without an IPC channel it does nothing.
import { monitorEventLoopDelay } from 'node:perf_hooks';
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
      memory: { rss: memory.rss, heapUsed: memory.heapUsed, external: memory.external, arrayBuffers: memory.arrayBuffers },
    });
    if (message.reset) {
      histogram.reset();
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
