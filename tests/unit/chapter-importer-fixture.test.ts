import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importOk } from '../helpers/chapter-text-builder.ts';

// Golden checks on the real chapter: fixtures/chapter-5.txt, footnotes 130–165.
const fixturePath = path.resolve(import.meta.dirname, '../../fixtures/chapter-5.txt');
const fixture = readFileSync(fixturePath, 'utf8');
const chapter = importOk(fixture);

const footnoteLine = /^1[3-6]\d /u;
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
/** Non-space reading characters: what must survive the import (markers and `*` are markup). */
const readingChars = (text: string) => text.replace(/[\s*⁰¹²³⁴⁵⁶⁷⁸⁹]/gu, '');

describe('importing the chapter 5 fixture', () => {
  it('finds the title and the four section headings', () => {
    expect(chapter.title).toBe('5. Stalin\'s "Soft Course" and the Soviet 1930s Phenomenon');
    expect(chapter.headings).toEqual([
      '5. Stalin\'s "Soft Course" and the Soviet 1930s Phenomenon',
      "The Stalin's new Soviet Society",
      "Kirov's Murder and the Turning Point in Stalin's Domestic Policy",
      'Changes in the International Situation and Soviet Politics',
      'Stalin’s Constitution',
    ]);
    const levels = chapter.doc.content.content.filter((n) => n.type.name === 'heading').map((n) => n.attrs.level);
    expect(levels).toEqual([1, 2, 2, 2, 2]);
  });

  it('rebuilds 36 whole body paragraphs, none starting mid-sentence', () => {
    expect(chapter.paragraphs).toHaveLength(36);
    const midSentence = chapter.paragraphs.filter((p) => /^[‘“"'(]*\p{Ll}/u.test(p));
    expect(midSentence).toEqual([]);
    expect(chapter.paragraphs.every((p) => /[.!?…:][’”"')]*$/u.test(p))).toBe(true);
  });

  it('rejoins every paragraph a page break split', () => {
    const joins = [
      'It also opened the way', 'for the USSR in that period', 'most well-known artists, who were members',
      'social or moral scruples', 'annual production increments', 'the development of machinery and tractor',
      'the decree was meant to function', 'without a quorum present', 'immediately afterwards that it was also',
      'against the USSR as a priority', 'provided him with the time he needed', '‘terrorists’ and ‘agents of foreign',
      'such as OGPU, the Ministry of Foreign Affairs',
    ];
    for (const join of joins) expect(chapter.paragraphs.filter((p) => p.includes(join)), join).toHaveLength(1);
  });

  it('references footnotes 130–165 exactly once each, in order', () => {
    expect(chapter.refs).toEqual(range(130, 165));
    expect([...chapter.footnotes.keys()]).toEqual(range(130, 165));
  });

  it('rebuilds footnote 153 whole across the page break', () => {
    const note = chapter.footnotes.get(153)!;
    expect(note).toMatch(/^See Reabilitatsiya: Kak eto bylo\. Dokumenty/u);
    expect(note).toContain('is to be held in the absence of representatives of the procedural parties, i.e., of prosecutors');
    expect(note).toMatch(/It was abolished in 1956\.$/u);
    expect(chapter.paragraphs.some((p) => p.includes('representatives of the procedural parties'))).toBe(false);
  });

  it('turns *asterisk* spans into italics without losing text', () => {
    const note = chapter.doc.content.content.find((n) => n.attrs.id === 'fn-130')!;
    const italic = note.content.content.filter((n) => n.marks.some((m) => m.type.name === 'em')).map((n) => n.text);
    expect(italic).toEqual(['Chozjajin: Stalin i utverzhenije stalinskoj diktatury']);
    expect(chapter.doc.textContent).not.toContain('*');
  });

  it('loses no text: every reading character of the input is in the document, the body in input order', () => {
    const continuation = fixture.split('\n').find((l) => l.startsWith('representatives of the procedural parties'))!;
    const inputLines = fixture.split('\n');
    const numberless = inputLines.map((l) => l.replace(footnoteLine, '')).join('\n');
    const projection = chapter.doc.content.content.map((n) => n.textContent).join('');
    expect([...readingChars(projection)].sort()).toEqual([...readingChars(numberless)].sort());
    const inputBody = inputLines.filter((l) => !footnoteLine.test(l) && l !== continuation).join('');
    const body = chapter.doc.content.content.filter((n) => n.type.name !== 'footnote').map((n) => n.textContent);
    expect(readingChars(body.join(''))).toBe(readingChars(inputBody));
  });

  it('marks where each of the 16 pages began, mid-paragraph where a paragraph ran over', () => {
    const bodyBreaks = chapter.pageBreaks.filter((b) => !b.blockId.startsWith('fn-'));
    expect(bodyBreaks.map((b) => [b.page, b.after.slice(0, 12)])).toEqual([
      [2, 'opened the w'], [3, 'that period.'], [4, 'who were mem'], [5, 'Gestures of '], [6, 'scruples. He'],
      [7, 'This natural'], [8, 'increments o'], [9, 'machinery an'], [10, 'was meant to'], [11, 'present. The'],
      [12, 'that it was '], [13, 'a priority, '], [14, 'the time he '], [15, '‘agents of f'], [16, 'the Ministry'],
    ]);
    expect(bodyBreaks.every((b) => b.before === '' || b.before.endsWith(' '))).toBe(true);
    const footnoteBreaks = chapter.pageBreaks.filter((b) => b.blockId.startsWith('fn-'));
    expect(footnoteBreaks.map((b) => [b.blockId, b.page, b.before.slice(-18), b.after.slice(0, 15)]))
      .toEqual([['fn-153', 10, 'in the absence of ', 'representatives']]);
  });

  it('numbers pages from the first page given', () => {
    const shifted = importOk(fixture, { firstPage: 151 });
    expect(shifted.pageBreaks.map((b) => b.page)).toEqual(chapter.pageBreaks.map((b) => b.page + 150));
    expect(shifted.report.stats.pages).toBe(16);
  });

  it('reports no findings and the expected counts', () => {
    expect(chapter.report.findings).toEqual([]);
    expect(chapter.report.stats).toEqual({ headings: 5, paragraphs: 36, footnotes: 36, pages: 16, lines: 183 });
  });

  it('gives blocks the stable ids exports point at', () => {
    const ids = chapter.doc.content.content.map((n) => String(n.attrs.id));
    expect(ids).toEqual([
      'h-1', 'h-2', ...range(1, 13).map((i) => `p-${i}`), 'h-3', ...range(14, 22).map((i) => `p-${i}`),
      'h-4', ...range(23, 31).map((i) => `p-${i}`), 'h-5', ...range(32, 36).map((i) => `p-${i}`),
      ...range(130, 165).map((n) => `fn-${n}`),
    ]);
  });
});
