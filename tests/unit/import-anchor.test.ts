import { describe, expect, it } from 'vitest';
import { anchorImport } from '../../schema/exchange/import/anchor.ts';
import type { ImportSelectors } from '../../schema/exchange/import/anchor.ts';

const TEXT = 'The line softened. Critics agreed. The line softened. Nobody agreed.';
const second = TEXT.indexOf('The line softened.', 1);

function quote(exact: string, prefix = '', suffix = ''): ImportSelectors['quote'] {
  return { exact, prefix, suffix };
}

describe('anchoring an imported annotation', () => {
  it('places a quote that occurs once, wherever its stale position says', () => {
    const result = anchorImport(TEXT, { quote: quote('Critics agreed.'), position: { start: 0, end: 15 } });
    expect(result).toEqual({ ok: true, value: { start: 19, end: 34, by: 'quote' } });
  });

  it('takes the position directly when it still holds the quote and its context', () => {
    const result = anchorImport(TEXT, { quote: quote('The line softened.', 'agreed. ', ' Nobody'), position: { start: second, end: second + 18 } });
    expect(result).toEqual({ ok: true, value: { start: second, end: second + 18, by: 'quote+position' } });
  });

  it('uses prefix and suffix to choose between two occurrences', () => {
    const result = anchorImport(TEXT, { quote: quote('The line softened.', 'Critics agreed. '), position: null });
    expect(result).toEqual({ ok: true, value: { start: second, end: second + 18, by: 'quote+context' } });
  });

  it('uses the position to break a tie the context leaves', () => {
    const result = anchorImport(TEXT, { quote: quote('agreed.'), position: { start: TEXT.lastIndexOf('agreed.'), end: TEXT.lastIndexOf('agreed.') + 7 } });
    expect(result.ok && result.value.start).toBe(TEXT.lastIndexOf('agreed.'));
  });

  it('refuses a quote that occurs several times with nothing to single one out', () => {
    const result = anchorImport(TEXT, { quote: quote('The line softened.'), position: null });
    expect(result).toEqual({ ok: false, error: expect.stringContaining('occurs 2 times') });
  });

  it('never moves to another occurrence when the position points at text that is not the quote', () => {
    const result = anchorImport(TEXT, { quote: quote('The line softened.'), position: { start: 1, end: 19 } });
    expect(result.ok).toBe(false);
  });

  it('refuses a quote that is not in the text', () => {
    expect(anchorImport(TEXT, { quote: quote('The line hardened.'), position: null })).toEqual({ ok: false, error: expect.stringContaining('is not in the text') });
  });

  it('refuses positions out of range, inverted, empty, or of another length than the quote', () => {
    const bad: ImportSelectors[] = [
      { quote: null, position: { start: 60, end: 999 } },
      { quote: null, position: { start: -1, end: 3 } },
      { quote: null, position: { start: 5, end: 5 } },
      { quote: null, position: { start: 6, end: 2 } },
      { quote: quote('Critics agreed.'), position: { start: 19, end: 20 } },
    ];
    for (const selectors of bad) expect(anchorImport(TEXT, selectors).ok, JSON.stringify(selectors)).toBe(false);
  });

  it('places a position alone, and refuses an annotation with no selector or an empty quote', () => {
    expect(anchorImport(TEXT, { quote: null, position: { start: 4, end: 8 } })).toEqual({ ok: true, value: { start: 4, end: 8, by: 'position' } });
    expect(anchorImport(TEXT, { quote: null, position: null }).ok).toBe(false);
    expect(anchorImport(TEXT, { quote: quote(''), position: null }).ok).toBe(false);
  });
});
