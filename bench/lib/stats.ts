/** Figures of one sample of measurements (milliseconds unless a field says otherwise). */
export interface Summary {
  n: number;
  min: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Rounds to `digits` decimals (figures are printed and stored, not computed further). */
export function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/**
 * Returns the `p`-th percentile (0–100) of already sorted values by the nearest-rank method,
 * so every reported figure is a value that was actually measured. NaN for no values.
 */
export function percentileOfSorted(sorted: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0–100, got ${p}`);
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** Returns the `p`-th percentile (0–100) of the values, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  return percentileOfSorted([...values].sort((a, b) => a - b), p);
}

/** Returns the median (the 50th percentile, nearest rank) of the values. */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Summarises a sample: count, extremes, mean and the percentiles the budgets use. */
export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, v) => sum + v, 0) / (sorted.length || 1);
  return {
    n: sorted.length,
    min: round(sorted[0] ?? Number.NaN),
    p50: round(percentileOfSorted(sorted, 50)),
    p95: round(percentileOfSorted(sorted, 95)),
    p99: round(percentileOfSorted(sorted, 99)),
    max: round(sorted[sorted.length - 1] ?? Number.NaN),
    mean: round(mean),
  };
}

/** The median of per-repetition figures and their range, which is what the table shows. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  values: number[];
}

/** Returns the median of repeated figures with their range (min–max over repetitions). */
export function spreadOf(values: readonly number[]): Spread {
  const finite = values.filter((v) => Number.isFinite(v));
  return {
    median: round(median(finite)),
    min: round(Math.min(...finite)),
    max: round(Math.max(...finite)),
    values: values.map((v) => round(v)),
  };
}
