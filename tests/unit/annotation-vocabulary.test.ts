import { describe, expect, it } from 'vitest';
import {
  ANNOTATION_KINDS,
  ANNOTATION_STATUSES,
  CLAIM_STATUSES,
  PROBLEM_TYPES,
  RELATION_TYPES,
  VOCABULARY_NAMESPACE,
  iriOf,
  isProblemType,
  labelOf,
  termByIri,
  termOf,
  vocabularyTerms,
} from '../../schema/annotations/vocabulary.ts';

describe('controlled vocabulary', () => {
  it('has exactly the kinds, claim statuses, problem types and statuses of the product brief', () => {
    expect(ANNOTATION_KINDS.map((t) => t.term)).toEqual(['claim', 'problem', 'comment']);
    expect(CLAIM_STATUSES.map((t) => t.term)).toEqual(['sourced', 'contested', 'interpretive']);
    expect(PROBLEM_TYPES.map((t) => t.term)).toEqual([
      'duplication', 'mistranslation', 'grammar', 'typo', 'transliteration', 'citation', 'typography', 'omission', 'other',
    ]);
    expect(ANNOTATION_STATUSES.map((t) => t.term)).toEqual(['open', 'resolved', 'applied', 'rejected']);
    expect(RELATION_TYPES.map((t) => t.term)).toContain('duplicate-of');
  });

  it('gives every term a distinct IRI in the Apparatus namespace, a label and a one-sentence definition', () => {
    const terms = vocabularyTerms();
    expect(new Set(terms.map((t) => t.iri)).size).toBe(terms.length);
    for (const term of terms) {
      expect(term.iri).toBe(`${VOCABULARY_NAMESPACE}${term.term}`);
      expect(term.label.length).toBeGreaterThan(0);
      expect(term.definition).toMatch(/^[A-Z].*\.$/);
    }
    expect(iriOf('claim-status', 'contested')).toBe('https://w3id.org/apparatus/vocab#contested');
    expect(iriOf('problem-type', 'mistranslation')).toBe('https://w3id.org/apparatus/vocab#mistranslation');
  });

  it('looks terms up by term and by IRI, and refuses terms outside a group', () => {
    expect(termByIri('https://w3id.org/apparatus/vocab#typo')).toMatchObject({ term: 'typo', group: 'problem-type', label: 'Typo' });
    expect(termByIri('https://example.org/vocab#typo')).toBeUndefined();
    expect(termOf('status', 'applied')?.label).toBe('Applied');
    expect(termOf('status', 'typo')).toBeUndefined();
    expect(labelOf('kind', 'comment')).toBe('Comment');
    expect(() => iriOf('kind', 'sourced')).toThrow(RangeError);
    expect(isProblemType('omission')).toBe(true);
    expect(isProblemType('contested')).toBe(false);
  });

  it('cannot be changed at run time', () => {
    expect(Object.isFrozen(PROBLEM_TYPES)).toBe(true);
    expect(Object.isFrozen(PROBLEM_TYPES[0])).toBe(true);
  });
});
