/**
 * Krippendorff's alpha for nominal data with missing values (Krippendorff 2011, "Computing
 * Krippendorff's Alpha-Reliability", section A): the agreement between independent readers
 * who each assigned a category to some of the units.
 *
 * Only the values of a unit matter, not who gave them: a unit is the list of values its readers
 * assigned (a reader who left it out contributes nothing). A unit with fewer than two values
 * cannot be paired and is left out; the rest are "pairable values", `n`. Then
 *
 *   observed disagreement  D_o = 1/n · Σ_u (m_u² − Σ_c n_uc²) / (m_u − 1)
 *   expected disagreement  D_e = 1/(n(n − 1)) · (n² − Σ_c n_c²)
 *   α = 1 − D_o / D_e
 *
 * where m_u is the number of values in unit u, n_uc how many of them are c, and n_c how many of
 * all pairable values are c. With fewer than two pairable values there is nothing to compare;
 * with a single category among them D_e is 0 and α is undefined (agreement is perfect, but by
 * default, not by judgement). Both are reported as "not computable", never as a number.
 */

/** Why α has no value. */
export type AlphaUndefinedReason = 'too-few-values' | 'no-variation';

/** Krippendorff's alpha over a set of units, or why it cannot be computed. */
export type AlphaResult =
  | {
      computable: true;
      alpha: number;
      /** Values in units that hold at least two (the n of the formula). */
      pairable: number;
      /** Units that hold at least two values. */
      pairableUnits: number;
      observedDisagreement: number;
      expectedDisagreement: number;
    }
  | { computable: false; reason: AlphaUndefinedReason; pairable: number; pairableUnits: number };

/** Counts how often each value occurs in a unit. */
function valueCounts<V>(values: Iterable<V>): Map<V, number> {
  const counts = new Map<V, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

/** Σ n_uc² of a unit's value counts. */
function sumOfSquares(counts: Iterable<number>): number {
  let sum = 0;
  for (const count of counts) sum += count * count;
  return sum;
}

/**
 * The share of disagreeing pairs among the pairs of values of one unit: 0 when all its values
 * agree, 1 when no two do, and 0 for a unit with fewer than two values (nothing to pair).
 */
export function unitDisagreement<V>(values: readonly V[]): number {
  const m = values.length;
  if (m < 2) return 0;
  return (m * m - sumOfSquares(valueCounts(values).values())) / (m * (m - 1));
}

/**
 * Krippendorff's alpha for nominal values. `units` holds, per unit, the values its readers gave
 * (missing data simply left out; `null` and `undefined` entries are skipped, so a units × readers
 * table with gaps can be passed as it is). Values are compared with `===`.
 */
export function krippendorffAlpha<V>(units: Iterable<Iterable<V | null | undefined>>): AlphaResult {
  const totals = new Map<V, number>();
  let pairable = 0;
  let pairableUnits = 0;
  let observed = 0;
  for (const unit of units) {
    const values: V[] = [];
    for (const value of unit) if (value !== null && value !== undefined) values.push(value);
    const m = values.length;
    // A unit with one value has no pair: it contributes nothing to either disagreement.
    if (m < 2) continue;
    const counts = valueCounts(values);
    observed += (m * m - sumOfSquares(counts.values())) / (m - 1);
    for (const [value, count] of counts) totals.set(value, (totals.get(value) ?? 0) + count);
    pairable += m;
    pairableUnits++;
  }
  if (pairable < 2) return { computable: false, reason: 'too-few-values', pairable, pairableUnits };
  const n = pairable;
  const expected = (n * n - sumOfSquares(totals.values())) / (n * (n - 1));
  if (expected === 0) return { computable: false, reason: 'no-variation', pairable, pairableUnits };
  const observedDisagreement = observed / n;
  return { computable: true, alpha: 1 - observedDisagreement / expected, pairable, pairableUnits, observedDisagreement, expectedDisagreement: expected };
}

/** Says in words why α could not be computed, for the report and the UI. */
export function describeUndefinedAlpha(reason: AlphaUndefinedReason): string {
  return reason === 'too-few-values'
    ? 'not computable: fewer than two pairable values (no sentence was tagged by two readers)'
    : 'not computable: every pairable value is the same status, so there is no variation to measure agreement against';
}
