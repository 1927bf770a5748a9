import { describe, expect, it } from 'vitest';
import type { Node as PMNode } from 'prosemirror-model';
import { buildFootnoteReport, chapterFootnotes, footnotesNearRange } from '../../client/model/footnote-report.ts';
import type { AnnotationView } from '../../client/model/annotation-view.ts';
import { chapterDoc, heading, note, para } from '../helpers/chapter-doc-builder.ts';

/** ProseMirror range of the first occurrence of `words` in `doc`. */
function rangeOf(doc: PMNode, words: string): { from: number; to: number } {
  let found: { from: number; to: number } | null = null;
  doc.descendants((node, pos) => {
    if (found || !node.isText) return !found;
    const at = node.text!.indexOf(words);
    if (at >= 0) found = { from: pos + at, to: pos + at + words.length };
    return false;
  });
  if (!found) throw new Error(`"${words}" is not in the document`);
  return found;
}

const doc = chapterDoc(
  heading('5. A chapter', 1),
  para('A moderate turn.^130 Then prices fell.^131^132 Nothing here cites anything.'),
  para('Rations ended in 1935,^135 and wages changed.'),
  note(130, 'Khlevniuk, p. 177.'),
  note(131, 'Barsenkov, p. 231.'),
  note(132, 'Khlevniuk, pp. 179–180.'),
  note(135, 'Ibid., p. 220.'),
);

describe('footnotes offered for a new claim', () => {
  it('offers the marker right after the selection, across closing punctuation', () => {
    const { from, to } = rangeOf(doc, 'A moderate turn');
    expect(footnotesNearRange(doc, from, to)).toEqual([130]);
  });

  it('offers every marker inside the selection and the run of markers after it', () => {
    const start = rangeOf(doc, 'A moderate').from;
    const end = rangeOf(doc, 'prices fell').to;
    expect(footnotesNearRange(doc, start, end)).toEqual([130, 131, 132]);
  });

  it('offers the marker just before the selection when the selection starts after it', () => {
    const { from, to } = rangeOf(doc, 'and wages changed');
    expect(footnotesNearRange(doc, from, to)).toEqual([135]);
  });

  it('offers nothing when real words separate the selection from any marker', () => {
    const { from, to } = rangeOf(doc, 'cites');
    expect(footnotesNearRange(doc, from, to)).toEqual([]);
  });
});

describe('the footnote panel', () => {
  const claim = (fields: Partial<AnnotationView>): AnnotationView => ({
    id: fields.id ?? 'a-x', kind: 'claim', claimStatus: 'sourced', problemType: null, status: 'open', note: '', correction: '',
    footnotes: [], authorId: 'u', authorName: 'U', created: 0, modified: 0, quote: 'q', anchorState: 'anchored',
    from: 1, to: 2, suggested: false, findingId: null, statusByName: null, appliedOriginal: null, replies: [], ...fields,
  });

  it('lists claims per footnote, footnotes no claim cites and sourced claims without a footnote', () => {
    const report = buildFootnoteReport(chapterFootnotes(doc), [
      claim({ id: 'a-cites-130', footnotes: [130], from: 5 }),
      claim({ id: 'a-cites-both', claimStatus: 'contested', footnotes: [130, 135], from: 1 }),
      claim({ id: 'a-unsupported', footnotes: [] }),
      claim({ id: 'a-interpretive', claimStatus: 'interpretive', footnotes: [] }),
      claim({ id: 'a-problem', kind: 'problem', claimStatus: null, problemType: 'citation', footnotes: [131] }),
    ]);
    expect(report.footnotes.find((f) => f.n === 130)?.claims.map((c) => c.id)).toEqual(['a-cites-both', 'a-cites-130']);
    expect(report.uncited.map((f) => f.n)).toEqual([131, 132]);
    expect(report.unsupported.map((c) => c.id)).toEqual(['a-unsupported']);
    expect(report.footnotes.find((f) => f.n === 132)?.text).toBe('Khlevniuk, pp. 179–180.');
  });
});
