import { describe, expect, it } from 'vitest';
import { analyzeChapter } from '../../schema/analysis/analyze-chapter.ts';
import type { Finding } from '../../schema/analysis/finding.ts';
import { looksRomanised, romanisationKey } from '../../schema/analysis/romanisation.ts';
import { chapterDoc, heading, note, para } from '../helpers/chapter-doc-builder.ts';
import type { BlockSpec } from '../helpers/chapter-doc-builder.ts';

function transliterations(...blocks: BlockSpec[]): Finding[] {
  return analyzeChapter(chapterDoc(heading('A chapter', 1), ...blocks), { types: ['transliteration'] }).findings;
}

function spellings(finding: Finding): string[] {
  return finding.details.type === 'transliteration' ? finding.details.variants.map((v) => v.spelling) : [];
}

describe('romanisation key', () => {
  it.each([
    ['Khlevniuk', 'Khlevnjuk'],
    ['Chozjajin', 'Chozhajin'],
    ['Chozjajin', 'Chozjain'],
    ['rezolyutsyakh', 'rezolyutsiyakh'],
    ['Tukhachevsky', 'Tuchačevskij'],
    ['Tukhachevsky', 'Tukhachevskii'],
    ['Yezhov', 'Ježov'],
    ['Solzhenitsyn', 'Solženicyn'],
    ['Trotsky', 'Trockij'],
    ['stalinskoj', 'stalinskoy'],
    ['Sovjetskogo', 'sovietskogo'],
    ['VTsIK', 'VCIK'],
  ])('gives %s and %s the same key', (a, b) => {
    expect(romanisationKey(a)).toBe(romanisationKey(b));
  });

  it.each([
    ['Stalin', 'Stalina'],
    ['Rossii', 'Rossiya'],
    ['istorii', 'Istoriya'],
    ['politicheskoy', 'Politicheskiye'],
  ])('keeps the inflections %s and %s apart', (a, b) => {
    expect(romanisationKey(a)).not.toBe(romanisationKey(b));
  });

  it('tells romanised Russian from English words', () => {
    expect(['Khlevniuk', 'utverzhenije', 'Istoriya', 'VTsIK', 'stalinskoj', 'Ježov'].every(looksRomanised)).toBe(true);
    expect(['government', 'Politburo', 'constitution', 'the', 'Moscow', 'history'].some(looksRomanised)).toBe(false);
  });
});

describe('transliteration detector', () => {
  it('clusters variant spellings of an author across notes, majority spelling as the correction', () => {
    const findings = transliterations(
      para('As Oleg Khlevniuk argued,^1 the turn was moderate.^2 It did not last.^3'),
      note(1, 'Khlevniuk O., *Stalin i ego okruzheniye*, p. 10.'),
      note(2, 'Khlevnjuk O., *Stalin i ego okruzheniye*, p. 12.'),
      note(3, 'Khlevniuk O., *Politbyuro*, p. 3.'),
    );
    expect(findings).toHaveLength(1);
    expect(spellings(findings[0]!)).toEqual(['Khlevniuk', 'Khlevnjuk']);
    expect(findings[0]!.quotes[0]).toMatchObject({ exact: 'Khlevnjuk', blockId: 'fn-2' });
    expect(findings[0]!.suggestion).toMatchObject({ problemType: 'transliteration', correction: 'Khlevniuk', relatedQuoteIndex: 1 });
    expect(findings[0]!.footnotes).toEqual([1, 2, 3]);
  });

  it('joins title words that differ by a letter inside the word, not at the ending', () => {
    const findings = transliterations(
      para('Text.^1 More text.^2'),
      note(1, 'Ivanov I., *Utverzhdeniye vlasti*, p. 1.'),
      note(2, 'Petrov P., *Utverzheniye vlasti*, p. 2; Sidorov S., *Istoriya vlasti*, p. 5.'),
    );
    expect(findings.map(spellings)).toEqual([['Utverzhdeniye', 'Utverzheniye']]);
  });

  it('flags a romanised word in the body spelt differently in a note', () => {
    const findings = transliterations(para('The kolkhoz replaced the village commune.^1'), note(1, 'On the kolchoz see Ivanov I., *Derevnya*, p. 4.'));
    expect(findings.map(spellings)).toEqual([['kolkhoz', 'kolchoz']]);
  });

  it('stays quiet when the body uses the English word and a title romanises it', () => {
    expect(transliterations(para('The Politburo met weekly.^1'), note(1, 'Khlevniuk O., *Politbyuro: Mekhanizmy vlasti*, p. 1.'))).toEqual([]);
  });

  it('stays quiet on consistently romanised notes with inflected forms of one word', () => {
    const findings = transliterations(
      para('Khlevniuk and Zhukov disagree.^1 Both cite the archive.^2 So does Kirilina.^3'),
      note(1, 'Khlevniuk O., *Istoriya Rossii*, p. 1; Zhukov Yu., *Inoy Stalin*, p. 2.'),
      note(2, 'Zhukov Yu., *Stalin i istoriya*, p. 9; Khlevniuk O., *Khozyain: Stalin i utverzhdeniye stalinskoy diktatury*, p. 4.'),
      note(3, 'Kirilina A., *Neizvestnyy Kirov*, p. 7; Khlevniuk O., *Khozyain*, p. 5; *Istorii Rossii*, Vol. 2, p. 8.'),
    );
    expect(findings).toEqual([]);
  });

  it('stays quiet on English prose with spelling that merely looks alike', () => {
    expect(transliterations(
      para('They said the years of the plan were hard. The ears of corn were small, and the object of the subject was unclear.'),
      para('Several thousand engineers travelled; others traveled less.'),
    )).toEqual([]);
  });
});
