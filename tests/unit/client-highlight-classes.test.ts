import { describe, expect, it } from 'vitest';
import { highlightClasses } from '../../client/editor/annotation-decorations.ts';
import type { HighlightSpec } from '../../client/editor/annotation-decorations.ts';

/** A highlight as the layer describes it: an open comment on a fine anchor unless told otherwise. */
function spec(fields: Partial<HighlightSpec> = {}): HighlightSpec {
  return { id: 'a-AAAAAAAAAAAAAAAA', from: 3, to: 9, category: 'comment', status: 'open', degraded: false, ...fields };
}

describe('highlight classes', () => {
  it('gives an open highlight without emphasis a single class, its category (one classList call per span)', () => {
    expect(highlightClasses(spec(), false, false).split(' ')).toEqual(['ap-hl--comment']);
    expect(highlightClasses(spec({ category: 'contested' }), false, false).split(' ')).toEqual(['ap-hl--contested']);
  });

  it('adds the status when closed, anchor trouble, and emphasis', () => {
    expect(highlightClasses(spec({ category: 'problem', status: 'rejected', degraded: true }), true, true).split(' ')).toEqual([
      'ap-hl--problem',
      'ap-hl--rejected',
      'ap-hl--degraded',
      'ap-hl--active',
      'ap-hl--hover',
    ]);
  });
});
