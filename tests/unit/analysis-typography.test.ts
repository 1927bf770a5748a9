import { describe, expect, it } from 'vitest';
import { analyzeChapter } from '../../schema/analysis/analyze-chapter.ts';
import type { Finding } from '../../schema/analysis/finding.ts';
import { chapterDoc, heading, note, para } from '../helpers/chapter-doc-builder.ts';
import type { BlockSpec } from '../helpers/chapter-doc-builder.ts';

function typography(...blocks: BlockSpec[]): Finding[] {
  return analyzeChapter(chapterDoc(heading('A chapter', 1), ...blocks), { types: ['typography'] }).findings;
}

const summary = (findings: Finding[]) => findings.map((f) => [f.rule, f.quotes[0]!.exact, f.suggestion.correction]);

describe('typography detector: local slips', () => {
  it('finds double spaces, spaces before punctuation, doubled stops and missing spaces, each with a correction', () => {
    expect(summary(typography(
      para('The plan  failed . Its authors ,,however, were praised.'),
      note(1, 'A.Khlevniuk O., Kudriashov S.. Moscow, 2008.'),
    ))).toEqual([
      ['double-space', 'plan  failed', 'plan failed'],
      ['space-before-punctuation', 'failed .', 'failed.'],
      ['space-before-punctuation', 'authors ,', 'authors,'],
      ['doubled-punctuation', ',,however,', ',however,'],
      ['doubled-punctuation', 'S.. Moscow,', 'S. Moscow,'],
      ['missing-space', 'A.Khlevniuk', 'A. Khlevniuk'],
    ]);
  });

  it('finds a comma before a footnote marker that ends a sentence', () => {
    const findings = typography(para("They were called 'agents of foreign powers',^1 In choosing these labels, he misled them."), note(1, 'Source.'));
    expect(summary(findings)).toEqual([['comma-before-marker', "of foreign powers',", "of foreign powers'."]]);
  });

  it('accepts a comma before a marker when the sentence goes on', () => {
    expect(typography(para('Rations introduced in 1928–29,^1 and then abolished, were missed.'), note(1, 'Source.'))).toEqual([]);
  });

  it('stays quiet on clean text with initials, ellipses, abbreviations and decimals', () => {
    expect(typography(
      para('N.I. Yezhov and V.R. Menzhinsky, i.e. the police chiefs, grew 4.5 times stronger... Or so it seemed (at first).'),
      note(1, 'Khlevniuk O. V., *Politbyuro*, Moscow, 1996, pp. 3–4.'),
    )).toEqual([]);
  });
});

describe('typography detector: quotation-mark style', () => {
  it('flags each block in the minority style at its first mark, with the house-style correction', () => {
    const findings = typography(
      para("Stalin's 'moderate turn' changed the party's course."),
      para("The 'old intelligentsia' was courted; the regime's tone softened."),
      para('The ‘fellow travellers’ were tolerated.'),
    );
    expect(summary(findings)).toEqual([['quote-style', '‘fellow travellers’', "'fellow travellers'"]]);
    expect(findings[0]!.details).toEqual({ type: 'typography', count: 2 });
  });

  it('says when a block mixes both styles itself', () => {
    const findings = typography(para("Stalin's turn was ‘moderate’, the party’s tone softer, the people's mood better, the leaders' hopes high."));
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toMatch(/mixes straight and curly/);
    expect(findings[0]!.quotes[0]!.exact).toBe("Stalin's");
  });

  it('stays quiet when the chapter uses one style, and ignores primes after digits', () => {
    expect(typography(para('The ‘moderate turn’ and Stalin’s “new course” were 5\' apart.'), para('The party’s line held.'))).toEqual([]);
  });
});
