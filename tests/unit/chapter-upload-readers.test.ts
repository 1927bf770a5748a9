import { describe, expect, it } from 'vitest';
import { chapterFromJSON, importMarkdownChapter } from '../../schema/index.ts';
import type { ChapterJSON, ImportResult } from '../../schema/index.ts';
import { importDocxChapter } from '../../server/uploads/docx-reader.ts';
import { buildDocx } from '../helpers/docx-builder.ts';

/** The chapter of a successful import, checked against the schema; throws on a refusal. */
function chapterOf(result: ImportResult): { doc: ChapterJSON; title: string; codes: string[]; stats: Record<string, number> } {
  if (!result.ok) throw new Error(result.error);
  chapterFromJSON(result.doc);
  return { doc: result.doc, title: result.title, codes: result.report.findings.map((f) => f.code), stats: { ...result.report.stats } };
}

/** The blocks as short strings: `h1:Title`, `p:Text ^1 more`, `fn1:Note`. */
function outline(doc: ChapterJSON): string[] {
  return doc.content.map((block) => {
    const text = (block.content ?? []).map((node) => (node.type === 'text' ? (node.marks ? `_${node.text}_` : node.text) : node.type === 'footnote_ref' ? `^${node.attrs.n}` : '')).join('');
    if (block.type === 'heading') return `h${block.attrs.level}:${text}`;
    if (block.type === 'footnote') return `fn${block.attrs.n}:${text}`;
    return `p:${text}`;
  });
}

describe('Markdown and plain text chapters', () => {
  it('reads # headings, blank-line paragraphs, italics and [^n] footnotes in reference order', () => {
    const chapter = chapterOf(
      importMarkdownChapter(
        [
          '# 7. The Plan',
          '',
          'The first plan was *announced* in 1928.[^a] It was',
          'declared fulfilled early.[^b]',
          '',
          '## Results',
          '',
          'Output rose **sharply** in [some branches](https://example.org).[^a]',
          '',
          '[^b]: Ibid., p. 40.',
          '[^a]: Davies R.W., *The Industrialisation of Soviet Russia*,',
          '    vol. 1 (London, 1980), p. 12.',
        ].join('\n'),
      ),
    );
    expect(chapter.title).toBe('7. The Plan');
    expect(outline(chapter.doc)).toEqual([
      'h1:7. The Plan',
      'p:The first plan was _announced_ in 1928.^1 It was declared fulfilled early.^2',
      'h2:Results',
      'p:Output rose sharply in some branches.^1',
      'fn1:Davies R.W., _The Industrialisation of Soviet Russia_, vol. 1 (London, 1980), p. 12.',
      'fn2:Ibid., p. 40.',
    ]);
    expect(chapter.codes).toEqual(['duplicate-marker']);
    expect(chapter.stats).toMatchObject({ headings: 2, paragraphs: 2, footnotes: 2, lines: 12 });
  });

  it('reports references without a footnote and footnotes nothing refers to, keeping both', () => {
    const chapter = chapterOf(importMarkdownChapter('# Title\n\nText with a dangling mark.[^9]\n\n[^1]: Orphan note.\n'));
    expect(outline(chapter.doc)).toEqual(['h1:Title', 'p:Text with a dangling mark.[^9]', 'fn1:Orphan note.']);
    expect(chapter.codes.sort()).toEqual(['footnote-without-marker', 'marker-without-footnote']);
  });

  it('takes plain text without markup as paragraphs, keeping snake_case and lone asterisks', () => {
    const chapter = chapterOf(importMarkdownChapter('A plain note about file_name_here and 2 * 3.\nSecond line.\n\nAnother paragraph.\n'));
    expect(outline(chapter.doc)).toEqual(['p:A plain note about file_name_here and 2 * 3. Second line.', 'p:Another paragraph.']);
    expect(chapter.codes).toEqual(['missing-title']);
  });

  it('leaves images out and says so, with their line', () => {
    const result = importMarkdownChapter('# T\n\nBefore ![Map of the region](map.png) after.\n');
    expect(result.ok && result.report.findings).toEqual([{ code: 'left-out', line: 3, message: 'an image ("Map of the region") was left out' }]);
  });

  it('refuses empty, blank and binary input with a clear message', () => {
    expect(importMarkdownChapter('')).toEqual({ ok: false, error: 'The chapter text is empty.' });
    expect(importMarkdownChapter('\n\n   \n')).toEqual({ ok: false, error: 'The chapter text is empty.' });
    expect(importMarkdownChapter('---\n***\n')).toEqual({ ok: false, error: 'The file has no text to make a chapter of.' });
    expect(importMarkdownChapter('PK\u0003\u0004\u0000\u0000binary').ok).toBe(false);
  });
});

describe('Word (.docx) chapters', () => {
  it('makes the Title style the title, Heading 1 sections, and Word footnotes footnotes at their references', async () => {
    const bytes = await buildDocx({
      title: '8. Collectivisation',
      sections: [
        { paragraphs: ['Grain procurement fell in *1928*.[^1] The response was harsh.[^2]'] },
        { heading: 'The Kolkhoz', paragraphs: ['Machinery and tractor stations were set up.[^3]'] },
      ],
      footnotes: { 1: 'Davies R.W., p. 12.', 2: 'Ibid., p. 40.', 3: 'Khlevniuk O., *Master of the House*, p. 7.' },
    });
    const chapter = chapterOf(await importDocxChapter(bytes));
    expect(chapter.title).toBe('8. Collectivisation');
    expect(outline(chapter.doc)).toEqual([
      'h1:8. Collectivisation',
      'p:Grain procurement fell in _1928_.^1 The response was harsh.^2',
      'h2:The Kolkhoz',
      'p:Machinery and tractor stations were set up.^3',
      'fn1:Davies R.W., p. 12.',
      'fn2:Ibid., p. 40.',
      'fn3:Khlevniuk O., _Master of the House_, p. 7.',
    ]);
    expect(chapter.codes).toEqual([]);
  });

  it('turns a table into paragraphs and leaves an image out, reporting both', async () => {
    const bytes = await buildDocx({ title: 'T', sections: [{ paragraphs: ['Text.'] }], table: [['Year', 'Output'], ['1928', '100']], image: true });
    const chapter = chapterOf(await importDocxChapter(bytes));
    expect(outline(chapter.doc)).toEqual(['h1:T', 'p:Text.', 'p:Year', 'p:Output', 'p:1928', 'p:100']);
    expect(chapter.codes).toEqual(['flattened', 'left-out']);
  });

  it('refuses a file that is not a .docx, a damaged one and an empty document', async () => {
    expect(await importDocxChapter(new TextEncoder().encode('just text'))).toEqual({ ok: false, error: 'This is not a Word document (.docx). Save it as .docx (Word 2007 or later) and try again.' });
    const damaged = (await buildDocx({ title: 'T' })).slice(0, 200);
    expect((await importDocxChapter(damaged)).ok).toBe(false);
    expect(await importDocxChapter(await buildDocx({}))).toEqual({ ok: false, error: 'The file has no text to make a chapter of.' });
  });
});
