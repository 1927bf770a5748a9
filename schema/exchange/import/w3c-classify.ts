import type { BodyReading, TaggedGroup } from './w3c-bodies.ts';
import type { AnnotationKind, AnnotationStatus, ClaimStatus, ProblemType } from '../../annotations/vocabulary.ts';

/** The annotation fields a W3C annotation's bodies and motivation decide. */
export interface Classified {
  kind: AnnotationKind;
  claimStatus: ClaimStatus | null;
  problemType: ProblemType | null;
  note: string;
  correction: string | null;
  status: AnnotationStatus;
  applied: { original: string; by: null; at: null } | null;
}

/**
 * Decides kind, claim status, problem type, status, note and correction from what the bodies
 * say. A kind tag wins; otherwise a claim-status tag makes a claim, a problem-type tag, an
 * `editing` body or motivation makes a problem (type `other` when untagged), and anything
 * else is a comment. Contradictions (two claim statuses, a claim status on a problem, a
 * claim without a status) are refused rather than guessed. Unknown tags end the note as a
 * line `Tags: a, b`.
 */
export function classify(bodies: BodyReading, motivations: unknown[], appliedOriginal: unknown): Classified | string {
  const single = singleTerms(bodies);
  if (typeof single === 'string') return single;
  if (bodies.corrections.length > 1) return 'more than one editing body: an annotation proposes at most one correction';
  const correction = bodies.corrections[0] ?? null;
  const kind = (single.kind ?? inferKind(single, correction, motivations)) as AnnotationKind;
  const mismatch = kindMismatch(kind, single, correction);
  if (mismatch) return mismatch;
  const status = (single.status ?? 'open') as AnnotationStatus;
  let applied: Classified['applied'] = null;
  if (status === 'applied') {
    if (typeof appliedOriginal !== 'string') return 'status applied: apparatus:appliedOriginal (the text the correction replaced) is missing';
    applied = { original: appliedOriginal, by: null, at: null };
  }
  return {
    kind,
    claimStatus: (single['claim-status'] ?? null) as ClaimStatus | null,
    problemType: (kind === 'problem' ? (single['problem-type'] ?? 'other') : null) as ProblemType | null,
    note: noteWithTags(bodies),
    correction,
    status,
    applied,
  };
}

function singleTerms(bodies: BodyReading): Partial<Record<TaggedGroup, string>> | string {
  const single: Partial<Record<TaggedGroup, string>> = {};
  for (const [group, values] of Object.entries(bodies.terms) as [TaggedGroup, string[]][]) {
    const distinct = [...new Set(values)];
    if (distinct.length > 1) return `conflicting ${group} tags: ${distinct.join(', ')}`;
    if (distinct.length === 1) single[group] = distinct[0]!;
  }
  return single;
}

function inferKind(single: Partial<Record<TaggedGroup, string>>, correction: string | null, motivations: unknown[]): AnnotationKind {
  if (single['claim-status']) return 'claim';
  if (single['problem-type'] || correction !== null || motivations.includes('editing')) return 'problem';
  return 'comment';
}

function kindMismatch(kind: AnnotationKind, single: Partial<Record<TaggedGroup, string>>, correction: string | null): string | null {
  if (kind === 'claim' && !single['claim-status']) return 'a claim needs a claim-status tag (sourced, contested or interpretive)';
  if (kind !== 'claim' && single['claim-status']) return `claim status "${single['claim-status']}" tagged on a ${kind}`;
  if (kind !== 'problem' && single['problem-type']) return `problem type "${single['problem-type']}" tagged on a ${kind}`;
  if (kind !== 'problem' && correction !== null) return `an editing body (a correction) on a ${kind}: only problems propose corrections`;
  return null;
}

function noteWithTags(bodies: BodyReading): string {
  const note = bodies.notes.join('\n\n');
  if (bodies.unknownTags.length === 0) return note;
  const tagLine = `Tags: ${bodies.unknownTags.join(', ')}`;
  return note === '' ? tagLine : `${note}\n\n${tagLine}`;
}
