import { describe, expect, it } from 'vitest';
import { agreementReport, chapterSentences, krippendorffAlpha, sentenceUnits, unitDisagreement } from '../../schema/index.ts';
import type { ClaimPlacement, ClaimStatus } from '../../schema/index.ts';
import { projectChapter } from '../../schema/chapter/text-projection.ts';
import { chapterDoc, heading, note, para } from '../helpers/chapter-doc-builder.ts';

const _ = null;

/** Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section A: 4 observers × 12 units, nominal, with gaps. */
const WORKED_EXAMPLE = {
  A: [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
  B: [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
  C: [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
  D: [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
};

/** Turns observer rows into units (columns). */
function unitsOf(rows: (number | string | null)[][]): (number | string | null)[][] {
  return rows[0]!.map((_value, u) => rows.map((row) => row[u] ?? null));
}

describe("Krippendorff's alpha (nominal)", () => {
  it('reproduces the published worked example: 4 observers × 12 units with missing values, alpha = 0.743', () => {
    const result = krippendorffAlpha(unitsOf(Object.values(WORKED_EXAMPLE)));
    expect(result.computable).toBe(true);
    if (!result.computable) return;
    expect(result.alpha).toBeCloseTo(0.743, 3);
    // The example's n: 40 pairable values in the 11 units that hold two or more.
    expect(result.pairable).toBe(40);
    expect(result.pairableUnits).toBe(11);
  });

  it('gives 1 for perfect agreement', () => {
    const result = krippendorffAlpha([['a', 'a', 'a'], ['b', 'b'], ['c', 'c', null], ['a', 'a']]);
    expect(result).toMatchObject({ computable: true, alpha: 1, pairable: 9 });
  });

  it('leaves out a unit with a single value: adding one changes nothing', () => {
    const base = unitsOf(Object.values(WORKED_EXAMPLE));
    const withLonely = [...base, [_, _, 'lonely', _], ['x']];
    expect(krippendorffAlpha(withLonely)).toEqual(krippendorffAlpha(base));
  });

  it('says "not computable" with fewer than two pairable values, not a number', () => {
    expect(krippendorffAlpha([])).toEqual({ computable: false, reason: 'too-few-values', pairable: 0, pairableUnits: 0 });
    expect(krippendorffAlpha([['a'], ['b', null], [null, 'c']])).toEqual({ computable: false, reason: 'too-few-values', pairable: 0, pairableUnits: 0 });
  });

  it('says "not computable" when every pairable value is the same (no variation), not 1 or NaN', () => {
    expect(krippendorffAlpha([['a', 'a'], ['a', 'a', 'a']])).toMatchObject({ computable: false, reason: 'no-variation', pairable: 5 });
  });

  it('is below zero when readers disagree systematically', () => {
    const result = krippendorffAlpha([['a', 'b'], ['b', 'a'], ['a', 'b'], ['b', 'a']]);
    expect(result.computable && result.alpha).toBeLessThan(0);
  });

  it('scores a unit by its share of disagreeing pairs', () => {
    expect(unitDisagreement(['a', 'a', 'a'])).toBe(0);
    expect(unitDisagreement(['a', 'b'])).toBe(1);
    expect(unitDisagreement(['a', 'a', 'b'])).toBeCloseTo(2 / 3);
    expect(unitDisagreement(['a'])).toBe(0);
  });
});

const doc = chapterDoc(
  heading('The chapter', 1),
  para('First sentence is here. Second one follows it. Third closes.^1'),
  para('Another paragraph speaks. It has two sentences.'),
  note(1, 'A source.'),
);
const projection = projectChapter(doc);
const sentences = chapterSentences(projection);
const at = (text: string) => {
  const start = projection.text.indexOf(text);
  if (start < 0) throw new Error(`"${text}" is not in the chapter`);
  return { start, end: start + text.length };
};
let claimSerial = 0;
const claim = (readerId: string, status: ClaimStatus, text: string, modified = '2025-03-01T10:00:00.000Z'): ClaimPlacement => ({
  id: `a-${String(++claimSerial).padStart(16, '0')}`,
  readerId,
  status,
  modified,
  ...at(text),
});

describe('sentences as units of agreement', () => {
  it('splits only the paragraphs, in projection coordinates, with the assistants’ splitter', () => {
    expect(sentences.map((s) => s.text)).toEqual(['First sentence is here.', 'Second one follows it.', 'Third closes.', 'Another paragraph speaks.', 'It has two sentences.']);
    for (const s of sentences) expect(projection.text.slice(s.start, s.end)).toBe(s.text);
    expect(sentences.map((s) => [s.blockId, s.ordinal])).toEqual([['p-1', 0], ['p-1', 1], ['p-1', 2], ['p-2', 0], ['p-2', 1]]);
  });

  it('gives a reader’s status to a sentence only when their claim covers most of it', () => {
    const units = sentenceUnits(sentences, [
      claim('ann', 'sourced', 'First sentence is here.'),
      claim('ben', 'contested', 'sentence is here. Second'), // covers 17 of 23 characters of the first, 6 of 22 of the second
      claim('cy', 'interpretive', 'Second one'), // 10 of 22: not most
    ]);
    expect(Object.fromEntries(units[0]!.values)).toEqual({ ann: 'sourced', ben: 'contested' });
    expect(units[1]!.values.size).toBe(0);
  });

  it('lets the claim covering most of the sentence decide when a reader made several, then the later one', () => {
    const units = sentenceUnits(sentences, [
      claim('ann', 'sourced', 'First sentence is'),
      claim('ann', 'contested', 'First sentence is here.'),
      claim('ben', 'sourced', 'Another paragraph speaks.', '2025-03-01T10:00:00.000Z'),
      claim('ben', 'interpretive', 'Another paragraph speaks.', '2025-03-01T11:00:00.000Z'),
    ]);
    expect(units[0]!.values.get('ann')).toBe('contested');
    expect(units[3]!.values.get('ben')).toBe('interpretive');
  });

  it('lets a claim spanning sentences tag each sentence it mostly covers', () => {
    const units = sentenceUnits(sentences, [claim('ann', 'sourced', 'First sentence is here. Second one follows it. Third')]);
    expect(units.map((u) => u.values.get('ann') ?? null)).toEqual(['sourced', 'sourced', null, null, null]);
  });
});

describe('the agreement report', () => {
  const names = new Map([['ann', 'Ann'], ['ben', 'Ben'], ['cy', 'Cy']]);
  const claims = [
    claim('ann', 'sourced', 'First sentence is here.'),
    claim('ben', 'sourced', 'First sentence is here.'),
    claim('cy', 'sourced', 'First sentence is here.'),
    claim('ann', 'contested', 'Second one follows it.'),
    claim('ben', 'interpretive', 'Second one follows it.'),
    claim('cy', 'contested', 'Second one follows it.'),
    claim('ann', 'interpretive', 'Another paragraph speaks.'),
    claim('ben', 'interpretive', 'Another paragraph speaks.'),
    claim('ann', 'sourced', 'It has two sentences.'),
  ];
  const report = agreementReport({ projection, claims, names });

  it('computes alpha for the chapter from the same units as the published formula', () => {
    const expected = krippendorffAlpha([['sourced', 'sourced', 'sourced'], ['contested', 'interpretive', 'contested'], [], ['interpretive', 'interpretive'], ['sourced']]);
    expect(report.chapter).toEqual(expected);
    expect(report.sentences).toBe(5);
    expect(report.readers.map((r) => r.name)).toEqual(['Ann', 'Ben', 'Cy']);
    expect(report.tagged).toEqual({ ann: 4, ben: 3, cy: 2 });
  });

  it('computes alpha per paragraph with its pairable values', () => {
    expect(report.paragraphs.map((p) => [p.blockId, p.sentences, p.alpha.pairable])).toEqual([['p-1', 3, 6], ['p-2', 2, 2]]);
    // The second paragraph: one pairable sentence on which both agree, a single status: no variation.
    expect(report.paragraphs[1]!.alpha).toMatchObject({ computable: false, reason: 'no-variation' });
  });

  it('lists the sentences with most disagreement and who said what', () => {
    expect(report.disagreements).toHaveLength(1);
    const [first] = report.disagreements;
    expect(first!.sentence.text).toBe('Second one follows it.');
    expect(first!.disagreement).toBeCloseTo(2 / 3);
    expect(first!.said).toEqual([
      { readerId: 'ann', name: 'Ann', status: 'contested' },
      { readerId: 'ben', name: 'Ben', status: 'interpretive' },
      { readerId: 'cy', name: 'Cy', status: 'contested' },
    ]);
  });

  it('gives every pair of readers the share of sentences both tagged', () => {
    expect(report.coverage).toEqual([
      { a: 'ann', b: 'ben', both: 3, share: 3 / 5 },
      { a: 'ann', b: 'cy', both: 2, share: 2 / 5 },
      { a: 'ben', b: 'cy', both: 2, share: 2 / 5 },
    ]);
  });

  it('reports a chapter nobody tagged as not computable, with no readers', () => {
    const empty = agreementReport({ projection, claims: [], names });
    expect(empty.chapter).toMatchObject({ computable: false, reason: 'too-few-values', pairable: 0 });
    expect(empty.readers).toEqual([]);
    expect(empty.disagreements).toEqual([]);
  });
});
