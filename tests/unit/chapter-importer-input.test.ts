import { describe, expect, it } from 'vitest';
import { importChapter } from '../../schema/index.ts';
import { ChapterTextBuilder, findingsOf, importOk, sup } from '../helpers/chapter-text-builder.ts';

// What the importer accepts as text, what it refuses, and how it refuses.

const sample = new ChapterTextBuilder().title()
  .paragraph(`The plan was adopted and it also${sup(1)}`)
  .footnote(1, 'Smith J., *A History*, p. 1.')
  .paragraph('opened the way for reform.')
  .build();

/** Returns the refusal message, failing the test if the text was imported. */
function refusal(text: string): string {
  const result = importChapter(text);
  if (result.ok) throw new Error('expected the import to be refused');
  return result.error;
}

describe('chapter text input', () => {
  it('imports CRLF text with a byte-order mark exactly like LF text', () => {
    const crlf = new ChapterTextBuilder().title()
      .paragraph(`The plan was adopted and it also${sup(1)}`)
      .footnote(1, 'Smith J., *A History*, p. 1.')
      .paragraph('opened the way for reform.')
      .build({ lineEnd: '\r\n', bom: true });
    const fromCrlf = importChapter(crlf);
    expect(fromCrlf).toEqual(importChapter(sample));
    expect(fromCrlf.ok && fromCrlf.doc.content[0]).toMatchObject({ content: [{ text: '1. A Chapter for Tests' }] });
  });

  it('refuses empty and whitespace-only text with a one-line message', () => {
    expect(refusal('')).toBe('The chapter text is empty.');
    expect(refusal(' \n\t\r\n \n')).toBe('The chapter text is empty.');
    expect(refusal('\ufeff')).toBe('The chapter text is empty.');
  });

  it('refuses binary input: NUL bytes, undecodable UTF-8, mostly control characters', () => {
    const nul = refusal(`${sample}\u0000\u0001binary`);
    expect(nul).toMatch(/not a text file.*NUL/u);
    const invalidUtf8 = refusal(new TextDecoder().decode(new Uint8Array([0x41, 0x0a, 0x42, 0xc3, 0x28, 0x0a])));
    expect(invalidUtf8).toMatch(/not valid UTF-8.*line 2/u);
    const controls = refusal('\u0002\u0003\u0004\u0005\u0006ab\u0007\u0008\u000e\u000f');
    expect(controls).toMatch(/control characters/u);
    for (const message of [nul, invalidUtf8, controls]) expect(message).not.toContain('\n');
  });

  it('removes a few stray control characters and reports them', () => {
    const chapter = importOk(sample.replace('adopted', 'adop\u0007ted'));
    expect(chapter.paragraphs[0]).toBe('The plan was adopted and it also opened the way for reform.');
    expect(findingsOf(chapter, 'control-characters').map((f) => f.line)).toEqual([3]);
  });

  it('refuses text that has footnotes but no body', () => {
    // Only markers inside the notes themselves can make every block a footnote.
    expect(refusal(`1 A note citing note two.${sup(2)}\n\n2 A note citing note one.${sup(1)}`)).toMatch(/no body text/u);
  });

  it('copes with hostile sizes: 20,000 page breaks in one paragraph, 200,000 lines in one block, 100,000 markers', () => {
    // importChapter directly: the test helper's page-break view is quadratic on purpose-built giants.
    const chain = importChapter(`1. Title\n\nIt began with\n\n${Array.from({ length: 20_000 }, () => 'and then').join('\n\n')}\n\nended.`);
    expect(chain.ok && chain.report.stats).toMatchObject({ paragraphs: 1, pages: 20_002 });
    const tall = importChapter(`1. Title\n\n${'A line.\n'.repeat(200_000)}`);
    const tallText = tall.ok && tall.doc.content[1]!.content![0]!;
    expect(tallText && tallText.type === 'text' && [tallText.text.length, tallText.text.slice(0, 16)]).toEqual([200_000 * 8 - 1, 'A line. A line. ']);
    const markers = importChapter(`1. Title\n\n${'Claim.¹ '.repeat(100_000)}\n\n1 The note.`);
    expect(markers.ok && markers.doc.content[1]!.content!.filter((n) => n.type === 'footnote_ref')).toHaveLength(100_000);
    expect(markers.ok && markers.report.findings.filter((f) => f.code === 'duplicate-marker')).toHaveLength(99_999);
  });

  it('throws on arguments only a programming error produces', () => {
    expect(() => importChapter(42 as unknown as string)).toThrow(TypeError);
    expect(() => importChapter(sample, { firstPage: -1 })).toThrow(RangeError);
    expect(() => importChapter(sample, { firstPage: 1.5 })).toThrow(/firstPage/u);
  });
});
