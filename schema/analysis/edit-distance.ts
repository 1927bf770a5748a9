/**
 * Levenshtein distance (insertions, deletions, substitutions, each costing 1), bounded: once
 * every alignment costs more than `limit` the computation stops and returns `limit + 1`.
 * The bound keeps clustering all title words of a chapter cheap.
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (limit < 0) throw new RangeError(`editDistance limit must be >= 0, got ${limit}`);
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMinimum = i;
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      const value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
      current.push(value);
      rowMinimum = Math.min(rowMinimum, value);
    }
    if (rowMinimum > limit) return limit + 1;
    previous = current;
  }
  const distance = previous[b.length] ?? 0;
  return distance > limit ? limit + 1 : distance;
}
