import { describe, expect, it } from 'vitest';
import { ChapterTextBuilder, findingsOf, importOk, lineOf, sup } from '../helpers/chapter-text-builder.ts';

// Synthetic chapters for the page-break rules: paragraphs and footnotes cut by a page
// break are rejoined, with a page_break atom where the next page began.

/** A chapter whose first page ends with the open fragment `cut` above footnote 1. */
function splitAcrossFootnotes(cut: string, continuation: string): string {
  return new ChapterTextBuilder()
    .title()
    .paragraph(`The first paragraph is whole.${sup(1)} The second sentence of the page ${cut}`)
    .footnote(1, 'Smith J., *A History*, p. 1.')
    .paragraph(continuation)
    .paragraph('A new paragraph starts the rest of the page.')
    .build();
}

describe('rejoining body paragraphs across page breaks', () => {
  it('rejoins a paragraph split by a page of footnotes when the rest starts in lower case', () => {
    const chapter = importOk(splitAcrossFootnotes('also', 'opened the way for reform.'));
    expect(chapter.paragraphs).toEqual([
      'The first paragraph is whole. The second sentence of the page also opened the way for reform.',
      'A new paragraph starts the rest of the page.',
    ]);
    expect(chapter.pageBreaks).toEqual([{ page: 2, blockId: 'p-1', before: expect.stringMatching(/of the page also $/u), after: 'opened the way for reform.' }]);
    expect(chapter.report.findings).toEqual([]);
  });

  it('rejoins a continuation that starts with a capital (a name) after a word that cannot end a sentence', () => {
    const chapter = importOk(splitAcrossFootnotes('was signed by', 'Molotov and Ribbentrop in August.'));
    expect(chapter.paragraphs[0]).toContain('was signed by Molotov and Ribbentrop in August.');
    expect(chapter.paragraphs).toHaveLength(2);
    expect(chapter.report.findings).toEqual([]);
  });

  it('rejoins a continuation that starts with a year instead of reading the year as a footnote', () => {
    const chapter = importOk(splitAcrossFootnotes('was completed in', '1937 and the next plan began.'));
    expect(chapter.paragraphs[0]).toContain('was completed in 1937 and the next plan began.');
    expect([...chapter.footnotes.keys()]).toEqual([1]);
    expect(chapter.report.findings).toEqual([]);
  });

  it('rejoins a continuation that starts with an opening quote before a lower-case word', () => {
    const chapter = importOk(splitAcrossFootnotes('denounced ‘terrorists’ and', '‘agents of foreign superpowers’, as the press said.'));
    expect(chapter.paragraphs[0]).toContain('‘terrorists’ and ‘agents of foreign superpowers’, as the press said.');
    expect(chapter.report.findings).toEqual([]);
  });

  it('rejoins a paragraph split by a page break with no footnotes in between', () => {
    const text = new ChapterTextBuilder().title()
      .paragraph('He lacked any social or moral')
      .paragraph('scruples. He did find a way out of the crisis.')
      .build();
    const chapter = importOk(text);
    expect(chapter.paragraphs).toEqual(['He lacked any social or moral scruples. He did find a way out of the crisis.']);
    expect(chapter.pageBreaks.map((b) => [b.page, b.after.slice(0, 9)])).toEqual([[2, 'scruples.']]);
    expect(chapter.report.stats.pages).toBe(2);
  });

  it('keeps a word cut at a hyphen whole rather than inventing a space', () => {
    const chapter = importOk(splitAcrossFootnotes('funded uncompleted construc-', 'tion projects.'));
    expect(chapter.paragraphs[0]).toContain('uncompleted construc-tion projects.');
  });

  it('joins a capitalised continuation after a paragraph that could have ended, and reports the doubt', () => {
    const text = splitAcrossFootnotes('met Kirov', 'Afterwards the delegation left.');
    const chapter = importOk(text);
    expect(chapter.paragraphs[0]).toContain('met Kirov Afterwards the delegation left.');
    expect(findingsOf(chapter, 'ambiguous-continuation').map((f) => f.line)).toEqual([lineOf(text, 'Afterwards the delegation')]);
  });

  it('keeps an italic span whole when a page break cuts it', () => {
    const chapter = importOk(splitAcrossFootnotes('is quoted from *Pis\'ma I. V. Stalina', 'V. M. Molotovu* at length.'));
    const first = chapter.doc.child(1);
    const italic = first.content.content.filter((n) => n.marks.length > 0).map((n) => n.text);
    expect(italic).toEqual(["Pis'ma I. V. Stalina ", 'V. M. Molotovu']);
    expect(findingsOf(chapter, 'unmatched-asterisk')).toEqual([]);
  });

  it('records a page break at the start of a block when the new page starts a new paragraph', () => {
    const text = new ChapterTextBuilder().title()
      .paragraph(`A finished paragraph.${sup(1)}`)
      .footnote(1, 'A note.')
      .paragraph('Another paragraph begins the second page.')
      .build();
    const chapter = importOk(text, { firstPage: 40 });
    expect(chapter.pageBreaks).toEqual([{ page: 41, blockId: 'p-2', before: '', after: 'Another paragraph begins the s' }]);
  });
});

describe('rejoining a footnote continued on the next page', () => {
  /** Page 1 ends with footnote 2 cut after "in the absence of"; page 2 has footnote 3. */
  function continuedFootnote(placement: 'before-next-notes' | 'after-next-notes' | 'alone'): string {
    const builder = new ChapterTextBuilder().title()
      .paragraph(`The decree of December 1934 was harsh.${sup(1)} From the outset, the decree${sup(2)}`)
      .footnote(1, 'See *Reabilitatsiya*, p. 545.')
      .footnote(2, 'The decree stated: the hearing is to be held in the absence of')
      .paragraph('was meant to function as a tool against the opposition.')
      .paragraph(placement === 'alone' ? 'The Politburo approved the rulings without a quorum' : `The Politburo approved the rulings${sup(3)} without a quorum`);
    const rest = 'representatives of the parties, and sentences are final.';
    if (placement === 'before-next-notes') builder.block(rest).footnote(3, 'Reabilitatsiya, p. 551.');
    if (placement === 'after-next-notes') builder.footnote(3, 'Reabilitatsiya, p. 551.').block(rest);
    if (placement === 'alone') builder.block(rest);
    return builder.paragraph('present. Stalin meant to punish the former opposition.').build();
  }

  for (const placement of ['before-next-notes', 'after-next-notes', 'alone'] as const) {
    it(`rejoins the footnote whose continuation sits ${placement.replaceAll('-', ' ')} on the next page`, () => {
      const chapter = importOk(continuedFootnote(placement));
      expect(chapter.footnotes.get(2)).toBe('The decree stated: the hearing is to be held in the absence of representatives of the parties, and sentences are final.');
      expect(chapter.paragraphs).toEqual([
        'The decree of December 1934 was harsh. From the outset, the decree was meant to function as a tool against the opposition.',
        'The Politburo approved the rulings without a quorum present. Stalin meant to punish the former opposition.',
      ]);
      expect(chapter.pageBreaks.map((b) => [b.blockId, b.page, b.after.slice(0, 8)])).toEqual([
        ['p-1', 2, 'was mean'], ['p-2', 3, 'present.'], ['fn-2', 2, 'represen'],
      ]);
      expect(chapter.report.findings.filter((f) => f.code !== 'footnote-without-marker')).toEqual([]);
    });
  }

  it('does not let a footnote that merely lacks a full stop take a paragraph continued without footnotes', () => {
    const text = new ChapterTextBuilder().title()
      .paragraph(`A whole paragraph.${sup(1)}`)
      .footnote(1, 'See Kirilina, *Neizvestny Kirov*, passim')
      .paragraph('He lacked any social or moral')
      .paragraph(`scruples. He found a way out.${sup(2)}`)
      .footnote(2, 'A note.')
      .paragraph('The next page begins here.')
      .build();
    const chapter = importOk(text);
    expect(chapter.paragraphs).toEqual(['A whole paragraph.', 'He lacked any social or moral scruples. He found a way out.', 'The next page begins here.']);
    expect(chapter.footnotes.get(1)).toBe('See Kirilina, Neizvestny Kirov, passim');
    expect(chapter.report.findings.map((f) => [f.code, f.line])).toEqual([
      ['unfinished-footnote', lineOf(text, '1 See Kirilina')],
      ['ambiguous-continuation', lineOf(text, 'scruples.')],
    ]);
  });

  it('reports a footnote that ends mid-sentence and is never continued', () => {
    const text = new ChapterTextBuilder().title()
      .paragraph(`A whole paragraph.${sup(1)}`)
      .footnote(1, 'The decree was signed by')
      .paragraph('Another whole paragraph.')
      .build();
    const chapter = importOk(text);
    expect(chapter.footnotes.get(1)).toBe('The decree was signed by');
    expect(findingsOf(chapter, 'unfinished-footnote')).toEqual([
      { code: 'unfinished-footnote', line: lineOf(text, '1 The decree'), message: expect.any(String), n: 1 },
    ]);
  });
});
