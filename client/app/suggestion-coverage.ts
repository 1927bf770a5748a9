import type { AnnotationKind, Finding, ProblemType } from '../../schema/index.ts';

/** An annotation that might already record what a finding suggests, with its live range. */
export interface CoverCandidate {
  id: string;
  kind: AnnotationKind;
  problemType: ProblemType | null;
  from: number;
  to: number;
}

/**
 * Whether two ranges share at least half of the shorter one: the same words, give or take a
 * word or the sentence's punctuation, not merely neighbours.
 */
function samePassage(a: { from: number; to: number }, b: { from: number; to: number }): boolean {
  const overlap = Math.min(a.to, b.to) - Math.max(a.from, b.from);
  const shorter = Math.min(a.to - a.from, b.to - b.from);
  return overlap > 0 && overlap * 2 >= shorter;
}

/** Whether an annotation records what the finding would: a problem of the same type, a claim, a comment. */
function recordsTheSame(finding: Finding, candidate: CoverCandidate): boolean {
  const suggestion = finding.suggestion;
  if (candidate.kind !== suggestion.kind) return false;
  return suggestion.kind !== 'problem' || candidate.problemType === (suggestion.problemType ?? null);
}

/**
 * The annotation that already covers a finding — on the same passage as its first quote, of
 * the kind (and problem type) it suggests — or null. Accepting a covered finding would only
 * double what exists (issue 13: a second Duplication problem on the same words). Of several,
 * the one closest in extent wins.
 */
export function coveringAnnotation(finding: Finding, findingRange: { from: number; to: number } | null, candidates: readonly CoverCandidate[]): CoverCandidate | null {
  if (!findingRange) return null;
  let best: CoverCandidate | null = null;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (!recordsTheSame(finding, candidate) || !samePassage(findingRange, candidate)) continue;
    const distance = Math.abs(candidate.from - findingRange.from) + Math.abs(candidate.to - findingRange.to);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}
