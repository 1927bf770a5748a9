import { describe, expect, it } from 'vitest';
import { countFacets, emptyFilter, filterAnnotations, isFilterActive } from '../../client/model/annotation-filter.ts';
import type { AnnotationView } from '../../client/model/annotation-view.ts';

let next = 0;
/** A small builder: an anchored open sourced claim by Ada, overridable field by field. */
function annotation(fields: Partial<AnnotationView> = {}): AnnotationView {
  next++;
  return {
    id: `a-${String(next).padStart(16, '0')}`,
    kind: 'claim',
    claimStatus: 'sourced',
    problemType: null,
    status: 'open',
    note: '',
    correction: '',
    footnotes: [],
    authorId: 'u-ada',
    authorName: 'Ada',
    created: next,
    modified: next,
    quote: 'some quoted words',
    anchorState: 'anchored',
    from: next * 10,
    to: next * 10 + 5,
    suggested: false, findingId: null,
    statusByName: null,
    appliedOriginal: null,
    replies: [],
    ...fields,
  };
}

describe('sidebar filtering', () => {
  it('lists annotations in document order, not creation order', () => {
    const late = annotation({ from: 5, to: 9 });
    const early = annotation({ from: 100, to: 120 });
    const { inText } = filterAnnotations([early, late], emptyFilter());
    expect(inText.map((a) => a.id)).toEqual([late.id, early.id]);
  });

  it('puts orphaned and degraded annotations in their own section', () => {
    const fine = annotation();
    const orphan = annotation({ anchorState: 'orphaned', from: null, to: null });
    const changed = annotation({ anchorState: 'degraded' });
    const relocated = annotation({ anchorState: 'relocated' });
    const result = filterAnnotations([fine, orphan, changed, relocated], emptyFilter());
    expect(result.inText.map((a) => a.id).sort()).toEqual([fine.id, relocated.id].sort());
    expect(result.needsAttention.map((a) => a.id).sort()).toEqual([orphan.id, changed.id].sort());
    expect(result.total).toBe(4);
  });

  it('filters by category, status, problem type, author and footnote together', () => {
    const typo = annotation({ kind: 'problem', claimStatus: null, problemType: 'typo', authorId: 'u-bo', authorName: 'Bo', footnotes: [131] });
    const otherTypo = annotation({ kind: 'problem', claimStatus: null, problemType: 'typo', authorId: 'u-ada' });
    const resolvedTypo = annotation({ kind: 'problem', claimStatus: null, problemType: 'typo', authorId: 'u-bo', status: 'resolved', footnotes: [131] });
    const claim = annotation({ authorId: 'u-bo', footnotes: [131] });
    const filter = { ...emptyFilter(), categories: new Set(['problem' as const]), statuses: new Set(['open' as const]), problemType: 'typo' as const, authorId: 'u-bo', footnote: 131 };
    expect(filterAnnotations([typo, otherTypo, resolvedTypo, claim], filter).inText.map((a) => a.id)).toEqual([typo.id]);
    expect(isFilterActive(filter)).toBe(true);
    expect(isFilterActive(emptyFilter())).toBe(false);
  });

  it('searches quotes, notes, corrections, replies and author names, ignoring case', () => {
    const byQuote = annotation({ quote: 'the Tassel Act was repealed' });
    const byNote = annotation({ note: 'Compare Khlevniuk, p. 177' });
    const byReply = annotation({ replies: [{ id: 'r-1', authorId: 'u-cy', authorName: 'Cy', body: 'Agreed: TASSEL is right', created: 1, modified: 1 }] });
    const byAuthor = annotation({ authorName: 'Tasselina' });
    const unrelated = annotation({ quote: 'five-year plan' });
    const found = filterAnnotations([byQuote, byNote, byReply, byAuthor, unrelated], { ...emptyFilter(), search: '  tassel ' }).inText.map((a) => a.id);
    expect(found.sort()).toEqual([byQuote.id, byReply.id, byAuthor.id].sort());
    expect(filterAnnotations([byNote], { ...emptyFilter(), search: 'khlevniuk' }).inText).toHaveLength(1);
  });

  it('counts every facet over all annotations, whatever the filter', () => {
    const facets = countFacets([
      annotation({ claimStatus: 'contested', footnotes: [130, 131] }),
      annotation({ kind: 'comment', claimStatus: null, authorId: 'u-bo', authorName: 'Bo' }),
      annotation({ kind: 'problem', claimStatus: null, problemType: 'citation', status: 'rejected', footnotes: [131] }),
    ]);
    expect(facets.categories.get('contested')).toBe(1);
    expect(facets.categories.get('comment')).toBe(1);
    expect(facets.statuses.get('open')).toBe(2);
    expect(facets.problemTypes.get('citation')).toBe(1);
    expect(facets.authors.get('u-ada')).toEqual({ name: 'Ada', count: 2 });
    expect(facets.footnotes.get(131)).toBe(2);
  });
});
