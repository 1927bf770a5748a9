/**
 * Footnote markers as printed: runs of Unicode superscript digits (`¹³⁰`) in running text.
 * Converts between those runs and numbers and finds them in a string.
 */

const SUPERSCRIPT_DIGITS = '⁰¹²³⁴⁵⁶⁷⁸⁹';
const SUPERSCRIPT_RUN = /[⁰¹²³⁴⁵⁶⁷⁸⁹]+/g;

/** One superscript run in a string: its number and its UTF-16 span. */
export interface SuperscriptRun {
  n: number;
  start: number;
  end: number;
}

/** Reads a run of superscript digits as a number; throws a RangeError for anything else. */
export function superscriptToNumber(run: string): number {
  if (run === '') throw new RangeError('superscriptToNumber: empty string is not a superscript number');
  let value = 0;
  for (const char of run) {
    const digit = SUPERSCRIPT_DIGITS.indexOf(char);
    if (digit === -1) throw new RangeError(`superscriptToNumber: ${JSON.stringify(run)} contains a non-superscript character`);
    value = value * 10 + digit;
  }
  return value;
}

/** Writes a non-negative integer in superscript digits (`130` → `¹³⁰`). */
export function numberToSuperscript(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`numberToSuperscript: ${n} is not a non-negative integer`);
  return [...String(n)].map((d) => SUPERSCRIPT_DIGITS[Number(d)]).join('');
}

/** Finds every superscript run in `text`, in order. */
export function findSuperscriptRuns(text: string): SuperscriptRun[] {
  return [...text.matchAll(SUPERSCRIPT_RUN)].map((m) => ({
    n: superscriptToNumber(m[0]),
    start: m.index,
    end: m.index + m[0].length,
  }));
}
