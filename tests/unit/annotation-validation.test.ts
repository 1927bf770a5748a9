import { describe, expect, it } from 'vitest';
import type { Annotation, Reply } from '../../schema/annotations/model.ts';
import { newAnnotationId, newReplyId, ANNOTATION_ID_PATTERN, REPLY_ID_PATTERN } from '../../schema/annotations/model.ts';
import { validateAnnotation, validateDismissal, validateReply } from '../../schema/annotations/validation.ts';

const footnoteNumbers = new Set([130, 131, 132]);

/** A valid claim; `changes` override fields (use `undefined` via `drop` to remove one). */
function claim(changes: Record<string, unknown> = {}): Record<string, unknown> {
  const base: Annotation = {
    id: 'a-AAAAAAAAAAAAAAAA',
    kind: 'claim',
    claimStatus: 'contested',
    problemType: null,
    footnotes: [130, 132],
    note: 'Khlevniuk says otherwise.',
    correction: null,
    status: 'open',
    statusBy: null,
    statusByName: null,
    statusAt: null,
    authorId: 'u-1',
    authorName: 'Ada',
    created: '2025-03-01T10:00:00.000Z',
    modified: '2025-03-01T10:05:00.000Z',
    related: [],
    anchor: {
      start: { item: { client: 1, clock: 10 }, assoc: 0 },
      end: { item: { client: 1, clock: 24 }, assoc: -1 },
      quote: { exact: 'a moderate turn', prefix: 'described as ', suffix: '. This entailed' },
      position: { start: 100, end: 115 },
      blockId: 'p-1',
      occurrences: 1,
    },
    provenance: null,
    applied: null,
    v: 1,
  };
  return { ...base, ...changes };
}

function errorsOf(value: unknown): string[] {
  const result = validateAnnotation(value, { footnoteNumbers });
  return result.ok ? [] : result.errors;
}

describe('annotation validation', () => {
  it('accepts a valid claim, problem and comment', () => {
    expect(errorsOf(claim())).toEqual([]);
    expect(errorsOf(claim({ kind: 'problem', claimStatus: null, problemType: 'typo', correction: 'turn' }))).toEqual([]);
    expect(errorsOf(claim({ kind: 'comment', claimStatus: null, footnotes: [] }))).toEqual([]);
  });

  it('rejects unknown and missing fields by name', () => {
    const { note: _dropped, ...withoutNote } = claim();
    expect(errorsOf({ ...withoutNote, colour: 'red' })).toEqual(['annotation: unknown field "colour"', 'annotation: missing field note', 'note: expected a string']);
  });

  it('keeps kind, claim status, problem type and correction consistent', () => {
    expect(errorsOf(claim({ claimStatus: null }))).toEqual(['claimStatus: a claim needs one of sourced, contested, interpretive']);
    expect(errorsOf(claim({ problemType: 'typo' }))).toEqual(['problemType: only problems have a problem type; expected null']);
    expect(errorsOf(claim({ correction: 'x' }))).toEqual(['correction: only problems carry a proposed correction']);
    expect(errorsOf(claim({ kind: 'problem', claimStatus: null }))[0]).toMatch(/^problemType: a problem needs a problem type/);
    expect(errorsOf(claim({ kind: 'opinion' }))[0]).toBe('kind: unknown kind "opinion"');
  });

  it('enforces the length limits of note, correction and names', () => {
    expect(errorsOf(claim({ note: 'x'.repeat(10_001) }))).toEqual(['note: longer than 10000 characters']);
    expect(errorsOf(claim({ note: 'x'.repeat(10_000) }))).toEqual([]);
    expect(errorsOf(claim({ kind: 'problem', claimStatus: null, problemType: 'typo', correction: 'y'.repeat(2_001) }))).toEqual(['correction: longer than 2000 characters']);
    expect(errorsOf(claim({ authorName: 'n'.repeat(61) }))).toEqual(['authorName: longer than 60 characters']);
    expect(errorsOf(claim({ authorName: '   ' }))).toEqual(['authorName: must not be blank']);
    expect(errorsOf(claim({ authorName: 'Ada\u202eevil' }))).toEqual(['authorName: contains control or bidirectional-override characters']);
  });

  it('accepts only sorted, unique footnote numbers that exist in the chapter', () => {
    expect(errorsOf(claim({ footnotes: [129] }))).toEqual(['footnotes: the chapter has no footnote 129']);
    expect(errorsOf(claim({ footnotes: [132, 130] }))).toEqual(['footnotes: must be ascending without duplicates']);
    expect(errorsOf(claim({ footnotes: [130, 130] }))).toEqual(['footnotes: must be ascending without duplicates']);
    expect(errorsOf(claim({ footnotes: ['130'] }))).toEqual(['footnotes[0]: expected a positive integer']);
    expect(validateAnnotation(claim({ footnotes: [129] })).ok).toBe(true);
  });

  it('ties statuses to kinds, status stamps and the applied record', () => {
    const stamped = { statusBy: 'u-2', statusByName: 'Ben', statusAt: '2025-03-02T09:00:00Z' };
    expect(errorsOf(claim({ status: 'resolved', ...stamped }))).toEqual([]);
    expect(errorsOf(claim({ status: 'resolved' }))).toEqual(['statusBy: a status other than open records who set it']);
    expect(errorsOf(claim({ status: 'rejected', ...stamped }))).toEqual(['status: only problems can be rejected']);
    const problem = { kind: 'problem', claimStatus: null, problemType: 'typo', correction: 'turn', ...stamped };
    expect(errorsOf(claim({ ...problem, status: 'applied' }))).toEqual(['applied: present exactly when the status is applied']);
    expect(errorsOf(claim({ ...problem, status: 'applied', applied: { original: 'trun', by: 'u-owner', at: '2025-03-02T09:00:00Z' } }))).toEqual([]);
  });

  it('checks ids, times, relations, provenance and the layout version', () => {
    expect(errorsOf(claim({ id: 'a-short' }))[0]).toMatch(/^id: "a-short" is not an annotation id/);
    expect(errorsOf(claim({ created: '2025-03-01' }))).toEqual(['created: expected an ISO 8601 date-time, got "2025-03-01"']);
    expect(errorsOf(claim({ related: [{ id: 'a-AAAAAAAAAAAAAAAA', relation: 'duplicate-of' }] }))).toEqual(['related[0].id: an annotation cannot relate to itself']);
    expect(errorsOf(claim({ related: [{ id: 'a-BBBBBBBBBBBBBBBB', relation: 'rhymes-with' }] }))).toEqual(['related[0].relation: unknown relation "rhymes-with"']);
    expect(errorsOf(claim({ provenance: { source: 'assistant', findingId: 'f-1', score: 0.8 } }))).toEqual([]);
    expect(errorsOf(claim({ provenance: { source: 'assistant', nested: { a: 1 } } }))).toEqual(['provenance.nested: expected a string, number, boolean or null']);
    expect(errorsOf(claim({ provenance: { source: 'magic' } }))).toEqual(['provenance.source: expected import or assistant']);
    expect(errorsOf(claim({ v: 2 }))).toEqual(['v: expected layout version 1']);
  });

  it('checks the anchor: relative positions, quote, position length and occurrences', () => {
    const anchor = claim().anchor as Annotation['anchor'];
    expect(errorsOf(claim({ anchor: { ...anchor, start: {} } }))).toEqual(['anchor.start: needs item, tname or type']);
    expect(errorsOf(claim({ anchor: { ...anchor, end: { item: { client: -1, clock: 2 } } } }))).toEqual(['anchor.end.item.client: expected a non-negative integer']);
    expect(errorsOf(claim({ anchor: { ...anchor, quote: { ...anchor.quote, exact: '' } } }))).toContain('anchor.quote.exact: must not be empty');
    expect(errorsOf(claim({ anchor: { ...anchor, position: { start: 100, end: 120 } } }))).toEqual(['anchor.position: end - start must equal the length of anchor.quote.exact']);
    expect(errorsOf(claim({ anchor: { ...anchor, occurrences: -1 } }))).toEqual(['anchor.occurrences: expected a non-negative integer']);
  });

  it('reports every problem at once', () => {
    expect(errorsOf(claim({ note: 5, status: 'done', v: 0 }))).toEqual([
      'note: expected a string',
      'status: unknown status "done"',
      'statusBy: a status other than open records who set it',
      'v: expected layout version 1',
    ]);
  });
});

describe('reply and dismissal validation', () => {
  const reply = (changes: Partial<Record<keyof Reply, unknown>> = {}) => ({
    id: 'r-AAAAAAAAAAAAAAAA',
    annotationId: 'a-AAAAAAAAAAAAAAAA',
    authorId: 'u-3',
    authorName: 'Cy',
    body: 'I agree.',
    created: '2025-03-01T10:00:00.000Z',
    modified: '2025-03-01T10:00:00.000Z',
    ...changes,
  });

  it('accepts a valid reply and rejects an empty or oversized body', () => {
    expect(validateReply(reply()).ok).toBe(true);
    expect(validateReply(reply({ body: '' }))).toEqual({ ok: false, errors: ['body: must not be empty'] });
    expect(validateReply(reply({ body: 'b'.repeat(10_001) }))).toEqual({ ok: false, errors: ['body: longer than 10000 characters'] });
    expect(validateReply(reply({ annotationId: 'nope' }))).toEqual({ ok: false, errors: ['annotationId: not an annotation id'] });
  });

  it('accepts a dismissal {by, at} under a finding id', () => {
    expect(validateDismissal('finding-12', { by: 'u-1', at: '2025-03-01T10:00:00Z' }).ok).toBe(true);
    expect(validateDismissal('has space', { by: 'u-1', at: 'yesterday' })).toEqual({
      ok: false,
      errors: ['finding id: contains whitespace or control characters', 'dismissal.at: expected an ISO 8601 date-time, got "yesterday"'],
    });
  });

  it('generates ids that match the id patterns and do not repeat', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newAnnotationId()));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(ANNOTATION_ID_PATTERN);
    expect(newReplyId()).toMatch(REPLY_ID_PATTERN);
  });
});
