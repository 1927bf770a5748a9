import { describe, expect, it } from 'vitest';
import { analyzeChapter } from '../../schema/analysis/analyze-chapter.ts';
import type { Finding } from '../../schema/analysis/finding.ts';
import { quantityCues } from '../../schema/analysis/quantity-cues.ts';
import { chapterDoc, heading, note, para } from '../helpers/chapter-doc-builder.ts';

function unsourced(...paragraphs: string[]): Finding[] {
  const doc = chapterDoc(heading('A chapter', 1), ...paragraphs.map(para), note(1, 'Source A.'), note(2, 'Source B.'));
  return analyzeChapter(doc, { types: ['unsourced'] }).findings;
}

const quoted = (findings: Finding[]) => findings.map((f) => f.quotes[0]!.exact);

describe('quantity cues', () => {
  it('weighs figures, percentages, amounts, multipliers, counts and dates', () => {
    const cues = quantityCues('On 29 December 1934, 15 of the 37,000 (about 4.5%) were freed; output would double, 2.1 times the plan, and fourteen men and 3 million others in 1935.');
    expect(cues.map((c) => [c.text, c.weight])).toEqual([
      ['29 December 1934', 2], ['15', 2], ['37,000', 3], ['4.5%', 3], ['would double', 2], ['2.1', 3], ['fourteen', 2], ['3 million', 3], ['1935', 0.5],
    ]);
  });

  it('ignores page numbers, decades, ordinals, five-year plans and relative time', () => {
    expect(quantityCues('See p. 45 on the 1930s, the 17th congress and the first five-year plan; two years later it ended.')).toEqual([]);
  });

  it('ignores numbers naming a document or a place in one, and list enumerators', () => {
    expect(quantityCues('Under Article 58 and Order No. 447, as section 7 says: (1) arrest and 2) exile.')).toEqual([]);
    expect(quantityCues('3. The accused were tried.')).toEqual([]);
  });
});

describe('unsourced claims detector', () => {
  it('flags a sentence with figures and no footnote, ranked by the weight of its figures', () => {
    const findings = unsourced(
      'The party had 3.5 million members in 1933. Its influence grew. Nobody doubted it.',
      'Output would double within the plan. Few believed it. The plan was revised.',
    );
    expect(quoted(findings)).toEqual(['The party had 3.5 million members in 1933.', 'Output would double within the plan.']);
    expect(findings[0]!.score).toBeGreaterThan(findings[1]!.score);
    expect(findings[0]).toMatchObject({ severity: 'warning', suggestion: { kind: 'problem', problemType: 'citation' } });
  });

  it('accepts a footnote in the sentence or in the next one', () => {
    expect(unsourced(
      'The party had 3.5 million members in 1933.^1 Its influence grew.',
      'Some 90,000 rulings were vacated. The amnesty followed in May.^2',
    )).toEqual([]);
  });

  it('does not carry a footnote over from the next paragraph', () => {
    expect(quoted(unsourced('Some 90,000 rulings were vacated.', 'The amnesty followed.^1'))).toEqual(['Some 90,000 rulings were vacated.']);
  });

  it('lets a lone date or year pass: dating an event is not the claim that needs a source', () => {
    expect(unsourced('In March 1935 Germany reintroduced conscription. The USSR joined the League of Nations in 1934. In the 1930s the country changed.')).toEqual([]);
  });

  it('stays quiet on interpretive prose without figures', () => {
    expect(unsourced('The leadership wished to calm the situation down. It was a turn of great consequence, and one or two observers saw it.')).toEqual([]);
  });
});
