import { describe, expect, it } from 'vitest';
import { ChapterTextBuilder, findingsOf, importOk, lineOf, sup } from '../helpers/chapter-text-builder.ts';

// Synthetic chapters for headings, footnote numbering, markers and inline markup.

describe('headings', () => {
  it('reads the numbered first line as the title and short standalone lines as section headings', () => {
    const text = new ChapterTextBuilder()
      .title('7. The Thaw and Its Limits')
      .heading('Khrushchev’s Secret Speech')
      .paragraph('In February 1956 the congress heard a speech.')
      .heading('The Return of the Prisoners')
      .paragraph('Millions came back from the camps.')
      .build();
    const chapter = importOk(text);
    expect(chapter.title).toBe('7. The Thaw and Its Limits');
    expect(chapter.headings).toEqual(['7. The Thaw and Its Limits', 'Khrushchev’s Secret Speech', 'The Return of the Prisoners']);
    expect(chapter.doc.child(0).attrs).toEqual({ level: 1, id: 'h-1' });
    expect(chapter.doc.child(3).attrs).toEqual({ level: 2, id: 'h-3' });
    expect(chapter.paragraphs).toHaveLength(2);
  });

  it('does not take a short unpunctuated paragraph at a page bottom, above footnotes, for a heading', () => {
    const text = new ChapterTextBuilder().title()
      .paragraph(`A whole paragraph.${sup(1)}`)
      .paragraph('The Soviet delegation at Geneva')
      .footnote(1, 'A note.')
      .paragraph('was led by Litvinov.')
      .build();
    const chapter = importOk(text);
    expect(chapter.headings).toEqual(['1. A Chapter for Tests']);
    expect(chapter.paragraphs).toEqual(['A whole paragraph.', 'The Soviet delegation at Geneva was led by Litvinov.']);
  });

  it('does not take a short fragment followed by its lower-case continuation for a heading', () => {
    const text = new ChapterTextBuilder().title()
      .paragraph('The Soviet Delegation in Geneva')
      .paragraph('was led by Litvinov.')
      .build();
    expect(importOk(text).paragraphs).toEqual(['The Soviet Delegation in Geneva was led by Litvinov.']);
  });

  it('does not take a short sentence with a full stop for a heading', () => {
    const text = new ChapterTextBuilder().title().paragraph('Kirov was dead.').paragraph('The terror began.').build();
    expect(importOk(text).headings).toHaveLength(1);
  });

  it('reports a chapter whose first line is not a title and imports it without one', () => {
    const text = new ChapterTextBuilder().paragraph('The chapter starts with a sentence, not a title.').build();
    const chapter = importOk(text);
    expect(chapter.title).toBe('');
    expect(chapter.headings).toEqual([]);
    expect(findingsOf(chapter, 'missing-title').map((f) => f.line)).toEqual([1]);
  });
});

describe('footnote numbers and markers', () => {
  it('does not mistake a paragraph that starts with a year for a footnote', () => {
    const text = new ChapterTextBuilder().title()
      .paragraph(`The plan was adopted.${sup(1)}`)
      .footnote(1, 'A note.')
      .paragraph('1935 also saw the Stakhanovite movement.')
      .build();
    const chapter = importOk(text);
    expect(chapter.paragraphs).toEqual(['The plan was adopted.', '1935 also saw the Stakhanovite movement.']);
    expect([...chapter.footnotes.keys()]).toEqual([1]);
  });

  it('reports a marker without a footnote and keeps the marker', () => {
    const text = new ChapterTextBuilder().title()
      .paragraph(`First claim.${sup(1)} Second claim.${sup(2)}`)
      .footnote(1, 'A note.')
      .build();
    const chapter = importOk(text);
    expect(chapter.refs).toEqual([1, 2]);
    expect(findingsOf(chapter, 'marker-without-footnote')).toEqual([
      { code: 'marker-without-footnote', line: lineOf(text, 'First claim'), message: 'marker 2 has no footnote 2', n: 2 },
    ]);
  });

  it('reads a footnote without a marker as a footnote when it continues the sequence, and reports it', () => {
    const text = new ChapterTextBuilder().title()
      .paragraph(`First claim.${sup(130)} Second claim.`)
      .footnote(130, 'A note.')
      .footnote(131, 'A note nobody refers to.')
      .build();
    const chapter = importOk(text);
    expect([...chapter.footnotes.keys()]).toEqual([130, 131]);
    expect(findingsOf(chapter, 'footnote-without-marker').map((f) => [f.line, f.n])).toEqual([[lineOf(text, '131 A note'), 131]]);
  });

  it('keeps both copies of a duplicated footnote number, with distinct ids, and reports the second', () => {
    const text = new ChapterTextBuilder().title()
      .paragraph(`First.${sup(1)} Second.${sup(2)}`)
      .footnote(1, 'One.')
      .footnote(2, 'Two.')
      .footnote(2, 'Two again.')
      .build();
    const chapter = importOk(text);
    const notes = chapter.doc.content.content.filter((n) => n.type.name === 'footnote');
    expect(notes.map((n) => [n.attrs.id, n.textContent])).toEqual([['fn-1', 'One.'], ['fn-2', 'Two.'], ['fn-2-2', 'Two again.']]);
    expect(findingsOf(chapter, 'duplicate-footnote').map((f) => [f.line, f.n])).toEqual([[lineOf(text, '2 Two again'), 2]]);
  });

  it('reports out-of-order footnotes and still lists footnotes in number order', () => {
    const text = new ChapterTextBuilder().title()
      .paragraph(`First.${sup(1)} Second.${sup(2)} Third.${sup(3)}`)
      .footnote(1, 'One.')
      .footnote(3, 'Three.')
      .footnote(2, 'Two.')
      .build();
    const chapter = importOk(text);
    expect([...chapter.footnotes.entries()]).toEqual([[1, 'One.'], [2, 'Two.'], [3, 'Three.']]);
    expect(findingsOf(chapter, 'out-of-order-footnote').map((f) => [f.line, f.n])).toEqual([[lineOf(text, '2 Two'), 2]]);
  });

  it('reports markers that repeat a number or run backwards', () => {
    const text = new ChapterTextBuilder().title()
      .paragraph(`First.${sup(2)} Second.${sup(1)} Third.${sup(2)}`)
      .footnote(1, 'One.')
      .footnote(2, 'Two.')
      .build();
    const chapter = importOk(text);
    expect(chapter.report.findings.map((f) => [f.code, f.n])).toEqual([['out-of-order-marker', 1], ['duplicate-marker', 2]]);
  });

  it('reads a block starting with the next footnote number as a paragraph when no marker or footnote supports it, and reports the doubt', () => {
    const text = new ChapterTextBuilder().title()
      .paragraph(`The congress met.${sup(1)}`)
      .footnote(1, 'A note.')
      .paragraph('The vote was taken at noon.')
      .paragraph('2 delegates walked out of the hall.')
      .paragraph('The rest stayed.')
      .build();
    const chapter = importOk(text);
    expect(chapter.paragraphs).toEqual(['The congress met.', 'The vote was taken at noon.', '2 delegates walked out of the hall.', 'The rest stayed.']);
    expect(findingsOf(chapter, 'ambiguous-footnote-number').map((f) => f.line)).toEqual([lineOf(text, '2 delegates')]);
  });

  it('keeps superscript digits far from the footnote numbers as text', () => {
    const text = new ChapterTextBuilder().title()
      .paragraph(`The camp covered 40 km².${sup(130)}`)
      .footnote(130, 'A note.')
      .build();
    const chapter = importOk(text);
    expect(chapter.paragraphs).toEqual(['The camp covered 40 km².']);
    expect(chapter.refs).toEqual([130]);
    expect(findingsOf(chapter, 'superscript-not-marker')).toHaveLength(1);
  });
});

describe('blocks that fit nowhere', () => {
  it('keeps a block that starts mid-sentence after a finished paragraph and reports it', () => {
    const text = new ChapterTextBuilder().title().paragraph('A finished paragraph.').paragraph('and a stray fragment.').build();
    const chapter = importOk(text);
    expect(chapter.paragraphs).toEqual(['A finished paragraph.', 'and a stray fragment.']);
    expect(findingsOf(chapter, 'unplaced-block').map((f) => f.line)).toEqual([lineOf(text, 'and a stray')]);
  });

  it('reports a last paragraph that ends mid-sentence', () => {
    const text = new ChapterTextBuilder().title().paragraph('The text simply stops in the middle of').build();
    const chapter = importOk(text);
    expect(findingsOf(chapter, 'unfinished-paragraph').map((f) => f.line)).toEqual([3]);
  });

  it('keeps an unmatched asterisk as text and reports its line', () => {
    const text = new ChapterTextBuilder().title().paragraph('An *italic* title and a lone * star.').build();
    const chapter = importOk(text);
    expect(chapter.paragraphs).toEqual(['An italic title and a lone * star.']);
    expect(findingsOf(chapter, 'unmatched-asterisk').map((f) => f.line)).toEqual([3]);
  });

  it('joins the lines of a hard-wrapped block and reports findings on the right line', () => {
    const text = new ChapterTextBuilder().title()
      .block(`The first line of a wrapped paragraph\nand its second line with a marker.${sup(9)}`)
      .build();
    const chapter = importOk(text);
    expect(chapter.paragraphs).toEqual(['The first line of a wrapped paragraph and its second line with a marker.']);
    expect(findingsOf(chapter, 'marker-without-footnote').map((f) => f.line)).toEqual([4]);
  });
});
