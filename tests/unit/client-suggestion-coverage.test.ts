import { describe, expect, it } from 'vitest';
import type { Finding } from '../../schema/index.ts';
import { coveringAnnotation } from '../../client/app/suggestion-coverage.ts';
import type { CoverCandidate } from '../../client/app/suggestion-coverage.ts';

/** A finding suggesting `suggestion` on one quote. */
function finding(suggestion: Finding['suggestion']): Finding {
  return {
    id: 'f-1',
    type: 'duplication',
    rule: 'paraphrase',
    message: '',
    quotes: [{ exact: 'x', start: 0, end: 1, blockId: 'p-1' }],
    footnotes: [],
    severity: 'warning',
    score: 1,
    suggestion,
    details: { type: 'duplication', similarity: 1, sharedWords: [] },
  };
}

const duplication = finding({ kind: 'problem', problemType: 'duplication', note: '' });
const range = { from: 100, to: 200 };
const problem = (id: string, from: number, to: number, problemType: CoverCandidate['problemType'] = 'duplication'): CoverCandidate => ({ id, kind: 'problem', problemType, from, to });

describe('whether an annotation already covers a suggestion', () => {
  it('finds a problem of the suggested type on the same words, the closest of several', () => {
    expect(coveringAnnotation(duplication, range, [problem('loose', 90, 230), problem('exact', 100, 199)])?.id).toBe('exact');
  });

  it('ignores other kinds, other problem types, neighbours and small overlaps', () => {
    const others: CoverCandidate[] = [
      { id: 'claim', kind: 'claim', problemType: null, from: 100, to: 200 },
      problem('typo', 100, 200, 'typo'),
      problem('after', 200, 260),
      problem('sliver', 180, 300),
    ];
    expect(coveringAnnotation(duplication, range, others)).toBeNull();
    expect(coveringAnnotation(duplication, null, [problem('exact', 100, 200)])).toBeNull();
  });

  it('counts any claim for a claim suggestion and any comment for a comment', () => {
    const claim = finding({ kind: 'claim', claimStatus: 'contested', note: '' });
    expect(coveringAnnotation(claim, range, [{ id: 'sourced', kind: 'claim', problemType: null, from: 120, to: 190 }])?.id).toBe('sourced');
    const comment = finding({ kind: 'comment', note: '' });
    expect(coveringAnnotation(comment, range, [{ id: 'c', kind: 'comment', problemType: null, from: 100, to: 160 }])?.id).toBe('c');
  });
});
