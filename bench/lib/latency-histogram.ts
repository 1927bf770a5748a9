import { round } from './stats.ts';
import type { Summary } from './stats.ts';

/** Width of one bucket in milliseconds: percentiles are exact to this. */
const BUCKET_MS = 0.05;
/** Latencies above this (ms) are kept as exact values. */
const BUCKETED_UP_TO_MS = 5000;

/**
 * Latencies (ms) counted in 0.05 ms buckets, so millions of samples (every presence update at
 * every client) cost a fixed amount of memory. Percentiles are read from the buckets, nearest
 * rank, to bucket precision; samples over 5 s are kept exactly.
 */
export class LatencyHistogram {
  readonly #buckets = new Uint32Array(Math.ceil(BUCKETED_UP_TO_MS / BUCKET_MS) + 1);
  readonly #overflow: number[] = [];
  #count = 0;
  #sum = 0;
  #min = Number.POSITIVE_INFINITY;
  #max = Number.NEGATIVE_INFINITY;

  /** Number of samples recorded. */
  get count(): number {
    return this.#count;
  }

  /** Records one latency in milliseconds; negative values (clock trouble) are clamped to 0 and counted. */
  record(ms: number): void {
    const value = ms < 0 ? 0 : ms;
    this.#count++;
    this.#sum += value;
    this.#min = Math.min(this.#min, value);
    this.#max = Math.max(this.#max, value);
    if (value > BUCKETED_UP_TO_MS) this.#overflow.push(value);
    else this.#buckets[Math.floor(value / BUCKET_MS)]!++;
  }

  /** The `p`-th percentile (0–100), nearest rank, to bucket precision (upper edge of its bucket). */
  percentile(p: number): number {
    if (this.#count === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil((p / 100) * this.#count));
    let seen = 0;
    for (let i = 0; i < this.#buckets.length; i++) {
      seen += this.#buckets[i]!;
      if (seen >= rank) return Math.min((i + 1) * BUCKET_MS, this.#max);
    }
    return [...this.#overflow].sort((a, b) => a - b)[rank - seen - 1]!;
  }

  /** Count, extremes, mean and the percentiles the budgets use. */
  summary(): Summary {
    return {
      n: this.#count,
      min: round(this.#count ? this.#min : Number.NaN),
      p50: round(this.percentile(50)),
      p95: round(this.percentile(95)),
      p99: round(this.percentile(99)),
      max: round(this.#count ? this.#max : Number.NaN),
      mean: round(this.#sum / (this.#count || 1)),
    };
  }
}
