/**
 * The checks of an annotation update against facts only the server knows: its clock, and the
 * footnotes the room's chapter has now. Validation in schema/ checks a time's form and a footnote
 * number's form; these check that a time is not in the future and that a newly linked
 * footnote exists (issue 4: links to "footnotes that exist in the chapter").
 */

/** What the server knows when it checks one update. */
export interface UpdateCheckContext {
  /** The server's clock when the update arrived, in ms since the epoch. */
  now: number;
  /** How far ahead of `now` a time written by a client may lie (clock skew allowance). */
  clockSkewMs: number;
  /**
   * The footnote numbers of the room's chapter now, or null when it cannot be read. Absent:
   * links are not checked against the chapter.
   */
  footnoteNumbers?: () => ReadonlySet<number> | null;
}

/**
 * Returns why a time a client wrote is refused (it lies beyond the skew allowance in the
 * server's future), or null. Old times are always allowed: offline work can be days old.
 * Values that are not strings are left to validation.
 */
export function futureTimeProblem(what: string, field: string, value: unknown, context: UpdateCheckContext): string | null {
  if (typeof value !== 'string') return null;
  const at = Date.parse(value);
  if (Number.isNaN(at) || at <= context.now + context.clockSkewMs) return null;
  const server = new Date(context.now).toISOString();
  return `${what}: ${field} ${value} is in the future (the server's clock says ${server}; at most ${Math.round(context.clockSkewMs / 1000)} s ahead is allowed)`;
}

/** Returns the first refused time among `fields` of `record` (`applied.at` names the applied record's time), or null. */
export function futureTimesProblem(what: string, record: Record<string, unknown>, fields: readonly string[], context: UpdateCheckContext): string | null {
  for (const field of fields) {
    const value = field === 'applied.at' ? (record.applied as { at?: unknown } | null | undefined)?.at : record[field];
    const problem = futureTimeProblem(what, field, value, context);
    if (problem) return problem;
  }
  return null;
}

/**
 * Returns why the footnote links `linked` are refused, or null: every number not among
 * `alreadyLinked` must be a footnote of the chapter now. Links made earlier stay valid when the
 * chapter changes underneath them, so only new links are checked.
 */
export function footnoteLinkProblem(what: string, linked: unknown, alreadyLinked: unknown, context: UpdateCheckContext): string | null {
  if (!context.footnoteNumbers || !Array.isArray(linked)) return null;
  const before = new Set(Array.isArray(alreadyLinked) ? alreadyLinked : []);
  const added = linked.filter((n) => !before.has(n));
  if (added.length === 0) return null;
  const numbers = context.footnoteNumbers();
  if (numbers === null) return `${what}: footnote links cannot be checked, the room's chapter could not be read`;
  const missing = added.find((n) => !numbers.has(n as number));
  return missing === undefined ? null : `${what}: footnotes: the chapter has no footnote ${String(missing)}`;
}
