/** Sampling interval of the event-loop monitor in a server under test, in milliseconds. */
export const PROBE_RESOLUTION_MS = 10;

/** A request to the probe preloaded in a server process (see server-probe.ts). */
export interface ProbeRequest {
  type: 'bench-probe';
  id: number;
  /** Collect garbage first, so memory figures mean live data. */
  gc?: boolean;
  /** Start a new measuring window after answering (event-loop histogram, CPU time). */
  reset?: boolean;
}

/** What the probe measured since its last reset. Memory figures are bytes. */
export interface ProbeReply {
  type: 'bench-probe-reply';
  id: number;
  /** Event-loop delay beyond the sampling interval: percentiles of the timer samples, and the worst. */
  loopDelayMs: { p50: number; p99: number; max: number; samples: number };
  /** Garbage collections since the last reset: count, total and longest pause (ms), the longest one's kind. */
  stalls?: number[][];
  gc?: { count: number; totalMs: number; maxMs: number; maxKind: string; major: number; over50: number };
  /** CPU time (user + system) the server used in the window. */
  cpuMs: number;
  wallMs: number;
  memory: { rss: number; heapUsed: number; external: number; arrayBuffers: number };
}
