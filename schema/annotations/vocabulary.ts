/**
 * The controlled vocabulary of Apparatus: annotation kinds, claim statuses, problem types,
 * annotation statuses and relations between annotations. Every term has a stable IRI
 * (`VOCABULARY_NAMESPACE` + term), a label and a one-sentence definition. The UI, the
 * filters, the validators and the exporters all read these tables; nothing else spells a
 * term out.
 */

/** The namespace every term's IRI starts with; the term itself is the fragment. */
export const VOCABULARY_NAMESPACE = 'https://w3id.org/apparatus/vocab#';

/** The groups the vocabulary is made of. */
export type VocabularyGroup = 'kind' | 'claim-status' | 'problem-type' | 'status' | 'relation';

/** One term of the vocabulary, as shown to users and written into exports. */
export interface VocabularyTerm<T extends string = string> {
  term: T;
  group: VocabularyGroup;
  iri: string;
  label: string;
  definition: string;
}

/** What an annotation is about. */
export type AnnotationKind = 'claim' | 'problem' | 'comment';
/** How well a claim is supported by the chapter's sources. */
export type ClaimStatus = 'sourced' | 'contested' | 'interpretive';
/** The kind of textual problem a reviewer found. */
export type ProblemType =
  | 'duplication'
  | 'mistranslation'
  | 'grammar'
  | 'typo'
  | 'transliteration'
  | 'citation'
  | 'typography'
  | 'omission'
  | 'other';
/** Where an annotation's discussion, or a problem's review, stands. */
export type AnnotationStatus = 'open' | 'resolved' | 'applied' | 'rejected';
/** How one annotation relates to another. */
export type RelationType = 'duplicate-of' | 'see-also';

function defineGroup<T extends string>(group: VocabularyGroup, entries: readonly [T, string, string][]): readonly VocabularyTerm<T>[] {
  return Object.freeze(
    entries.map(([term, label, definition]) => Object.freeze({ term, group, iri: VOCABULARY_NAMESPACE + term, label, definition })),
  );
}

/** Annotation kinds, in the order the UI offers them. */
export const ANNOTATION_KINDS = defineGroup<AnnotationKind>('kind', [
  ['claim', 'Claim', 'A statement of fact or judgement in the text, assessed against its sources.'],
  ['problem', 'Problem', 'A fault in the text or its translation that should be corrected.'],
  ['comment', 'Comment', 'A remark or question about the passage that is neither a claim nor a problem.'],
]);

/** Claim statuses, in the order the UI offers them. */
export const CLAIM_STATUSES = defineGroup<ClaimStatus>('claim-status', [
  ['sourced', 'Sourced', 'The claim is supported by the cited or linked sources.'],
  ['contested', 'Contested', 'The claim is disputed by other sources or by the historiography.'],
  ['interpretive', 'Interpretive', 'The claim is the author’s interpretation rather than a documented fact.'],
]);

/** Problem types, in the order the UI offers them. */
export const PROBLEM_TYPES = defineGroup<ProblemType>('problem-type', [
  ['duplication', 'Duplication', 'A passage repeats text that already appears elsewhere.'],
  ['mistranslation', 'Mistranslation', 'The translation misrepresents the meaning of the original.'],
  ['grammar', 'Grammar', 'The sentence is ungrammatical or its syntax obscures the meaning.'],
  ['typo', 'Typo', 'A misspelt, missing or doubled character or word.'],
  ['transliteration', 'Transliteration', 'A name or term is transliterated inconsistently or wrongly.'],
  ['citation', 'Citation', 'A footnote reference or bibliographic citation is wrong, incomplete or broken.'],
  ['typography', 'Typography', 'Quotation marks, dashes, spacing or other typographic conventions are wrong.'],
  ['omission', 'Omission', 'Text that belongs here is missing.'],
  ['other', 'Other', 'A problem that fits none of the other types.'],
]);

/** Annotation statuses, in workflow order. */
export const ANNOTATION_STATUSES = defineGroup<AnnotationStatus>('status', [
  ['open', 'Open', 'The annotation is under discussion or waiting for review.'],
  ['resolved', 'Resolved', 'The discussion is closed; for a problem, the problem was accepted.'],
  ['applied', 'Applied', 'The owner applied the proposed correction to the text.'],
  ['rejected', 'Rejected', 'The problem was reviewed and judged not to be a problem.'],
]);

/** Relations between annotations. */
export const RELATION_TYPES = defineGroup<RelationType>('relation', [
  ['duplicate-of', 'Duplicate of', 'This annotation marks a passage that duplicates the passage of the related annotation.'],
  ['see-also', 'See also', 'The related annotation discusses a connected passage or question.'],
]);

const allTerms: readonly VocabularyTerm[] = [...ANNOTATION_KINDS, ...CLAIM_STATUSES, ...PROBLEM_TYPES, ...ANNOTATION_STATUSES, ...RELATION_TYPES];
const byIri = new Map(allTerms.map((t) => [t.iri, t]));
const byGroup = new Map<VocabularyGroup, readonly VocabularyTerm[]>([
  ['kind', ANNOTATION_KINDS],
  ['claim-status', CLAIM_STATUSES],
  ['problem-type', PROBLEM_TYPES],
  ['status', ANNOTATION_STATUSES],
  ['relation', RELATION_TYPES],
]);

/** Every term of every group, in group order. */
export function vocabularyTerms(): readonly VocabularyTerm[] {
  return allTerms;
}

/** Returns the term of `group` spelt `term`, or undefined if the group has no such term. */
export function termOf(group: VocabularyGroup, term: string): VocabularyTerm | undefined {
  return byGroup.get(group)?.find((t) => t.term === term);
}

/** Returns the term whose IRI is `iri`, or undefined for an IRI outside the vocabulary. */
export function termByIri(iri: string): VocabularyTerm | undefined {
  return byIri.get(iri);
}

/** Returns the IRI of `term` in `group`, throwing a RangeError for a term the group lacks. */
export function iriOf(group: VocabularyGroup, term: string): string {
  const found = termOf(group, term);
  if (!found) throw new RangeError(`"${term}" is not a term of the ${group} vocabulary`);
  return found.iri;
}

/** Returns the label of `term` in `group`, throwing a RangeError for a term the group lacks. */
export function labelOf(group: VocabularyGroup, term: string): string {
  const found = termOf(group, term);
  if (!found) throw new RangeError(`"${term}" is not a term of the ${group} vocabulary`);
  return found.label;
}

/** Whether `value` is a term of `group`. */
export function isTermOf(group: VocabularyGroup, value: unknown): boolean {
  return typeof value === 'string' && termOf(group, value) !== undefined;
}

/** Type guard: whether `value` is an annotation kind. */
export function isAnnotationKind(value: unknown): value is AnnotationKind {
  return isTermOf('kind', value);
}

/** Type guard: whether `value` is a claim status. */
export function isClaimStatus(value: unknown): value is ClaimStatus {
  return isTermOf('claim-status', value);
}

/** Type guard: whether `value` is a problem type. */
export function isProblemType(value: unknown): value is ProblemType {
  return isTermOf('problem-type', value);
}

/** Type guard: whether `value` is an annotation status. */
export function isAnnotationStatus(value: unknown): value is AnnotationStatus {
  return isTermOf('status', value);
}

/** Type guard: whether `value` is a relation type. */
export function isRelationType(value: unknown): value is RelationType {
  return isTermOf('relation', value);
}
