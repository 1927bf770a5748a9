import { importFinding } from './import-report.ts';
import type { ImportFinding } from './import-report.ts';
import type { MarkerOccurrence } from './inline.ts';

/**
 * Cross-checks a chapter's footnote markers against its footnotes: every marker should
 * have a footnote, every footnote one marker, and markers should run in number order.
 */

// Superscript digits this far outside the footnote numbers are not markers (`km²` in a
// chapter whose notes run 130–165).
const MARKER_RANGE_SLACK = 10;

/** A footnote as the checks see it: its number and the input line it starts on. */
export interface FootnoteEntry {
  n: number;
  line: number;
}

/**
 * Returns the rule deciding which superscript numbers are footnote markers: all of them
 * when the chapter has no footnotes (each will be reported), otherwise those within ten of
 * the range of footnote numbers.
 */
export function markerRule(footnoteNumbers: readonly number[]): (n: number) => boolean {
  if (footnoteNumbers.length === 0) return () => true;
  // A loop, not Math.min(...numbers): spreading a huge list overflows the call stack.
  const low = footnoteNumbers.reduce((a, b) => Math.min(a, b)) - MARKER_RANGE_SLACK;
  const high = footnoteNumbers.reduce((a, b) => Math.max(a, b)) + MARKER_RANGE_SLACK;
  return (n) => n >= low && n <= high;
}

/** Reports body markers that repeat a number or come after a higher one. */
function checkMarkerOrder(markers: readonly MarkerOccurrence[]): ImportFinding[] {
  const findings: ImportFinding[] = [];
  const seen = new Set<number>();
  let highest = Number.NEGATIVE_INFINITY;
  for (const { n, line } of markers) {
    if (seen.has(n)) {
      findings.push(importFinding('duplicate-marker', line, `marker ${n} appears again; footnote ${n} is referenced more than once`, n));
    } else if (n < highest) {
      findings.push(importFinding('out-of-order-marker', line, `marker ${n} comes after marker ${highest}`, n));
    }
    seen.add(n);
    highest = Math.max(highest, n);
  }
  return findings;
}

/**
 * Checks body markers against footnotes and returns the findings: markers without a
 * footnote, footnotes without a marker, and repeated or out-of-order markers.
 */
export function checkFootnoteReferences(markers: readonly MarkerOccurrence[], footnotes: readonly FootnoteEntry[]): ImportFinding[] {
  const footnoteNumbers = new Set(footnotes.map((f) => f.n));
  const markerNumbers = new Set(markers.map((m) => m.n));
  const findings = markers
    .filter((m) => !footnoteNumbers.has(m.n))
    .map((m) => importFinding('marker-without-footnote', m.line, `marker ${m.n} has no footnote ${m.n}`, m.n));
  const reported = new Set<number>();
  for (const footnote of footnotes) {
    if (markerNumbers.has(footnote.n) || reported.has(footnote.n)) continue;
    reported.add(footnote.n);
    findings.push(importFinding('footnote-without-marker', footnote.line, `no marker in the text refers to footnote ${footnote.n}`, footnote.n));
  }
  return [...findings, ...checkMarkerOrder(markers)];
}
