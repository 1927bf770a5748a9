import { describe, expect, it } from 'vitest';
import { listAnnotations, listReplies } from '../../schema/annotations/layout.ts';
import { localId } from '../../schema/exchange/import/w3c.ts';
import { projectYDoc } from '../../schema/chapter/y-text-projection.ts';
import { sha256Hex } from '../../schema/exchange/sha256.ts';
import { IMPORTER, importInto, testRoom } from '../helpers/export-builders.ts';
import { heading, note, para } from '../helpers/chapter-doc-builder.ts';

const TEXT_IRI = 'https://example.org/books/ussr/chapter-5';

function chapterRoom() {
  return testRoom([
    heading('5. The Soft Course', 1),
    para('The Party line softened in 1934.^1 Kirov spoke of a new course. The Party line softened in 1934.'),
    para('Gosplan set higher targets, wrote the 𝔊azette.^2'),
    note(1, 'Khlevniuk, Master of the House, p. 112.'),
    note(2, 'Pravda, 3 March 1935.'),
  ]);
}

/** An annotation as a Hypothesis-like tool writes it: quote + position selectors, tags, a comment. */
function toolAnnotation(id: string, exact: string, fields: Record<string, unknown> = {}, position?: [number, number], context: [string, string] = ['', '']) {
  const selector: Record<string, unknown>[] = [{ type: 'TextQuoteSelector', exact, prefix: context[0], suffix: context[1] }];
  if (position) selector.push({ type: 'TextPositionSelector', start: position[0], end: position[1] });
  return {
    '@context': 'http://www.w3.org/ns/anno.jsonld',
    id: `https://hypothes.is/a/${id}`,
    type: 'Annotation',
    created: '2023-11-02T08:15:00.000000+00:00',
    modified: '2023-11-03T10:00:00.000000+00:00',
    creator: 'acct:ivanova@hypothes.is',
    target: [{ source: TEXT_IRI, selector }],
    ...fields,
  };
}

function tags(...values: string[]) {
  return values.map((value) => ({ type: 'TextualBody', purpose: 'tagging', value }));
}

describe('importing W3C annotations written by another tool', () => {
  it('maps vocabulary tags to kind, claim status and problem type, keeps unknown tags, and turns comments into notes', () => {
    const room = chapterRoom();
    const file = [
      toolAnnotation('claim1', 'Kirov spoke of a new course', { body: [{ type: 'TextualBody', purpose: 'commenting', value: 'Which speech?' }, ...tags('contested', 'seminar-3')] }, [33, 60]),
      toolAnnotation('typo1', 'Gosplan set higher targets', { motivation: 'editing', body: [...tags('https://w3id.org/apparatus/vocab#mistranslation'), { type: 'TextualBody', purpose: 'editing', value: 'Gosplan raised targets' }] }),
      toolAnnotation('plain', 'wrote the', { bodyValue: 'A plain comment' }),
    ];
    const result = importInto(room, JSON.stringify(file));
    expect(result.ok && result.report).toMatchObject({ format: 'w3c', imported: 3, refused: [] });
    const byNote = new Map(listAnnotations(room.annotationsDoc).map((a) => [a.note.split('\n')[0], a]));
    expect(byNote.get('Which speech?')).toMatchObject({ kind: 'claim', claimStatus: 'contested', note: 'Which speech?\n\nTags: seminar-3', authorId: IMPORTER.userId });
    expect(byNote.get('Which speech?')!.provenance).toMatchObject({ format: 'w3c', sourceId: 'https://hypothes.is/a/claim1', originalCreatorId: 'acct:ivanova@hypothes.is', tags: '["seminar-3"]' });
    expect(byNote.get('')).toMatchObject({ kind: 'problem', problemType: 'mistranslation', correction: 'Gosplan raised targets' });
    expect(byNote.get('A plain comment')).toMatchObject({ kind: 'comment', claimStatus: null });
  });

  it('converts code-point positions after an astral character to UTF-16 offsets', () => {
    const room = chapterRoom();
    // "𝔊azette" is one code point longer in UTF-16; the tool counted code points.
    const text = projectYDoc(room.textDoc).text;
    const codePoints = Array.from(text);
    const start = codePoints.join('').indexOf('Khlevniuk') - 1; // one astral character precedes it
    expect(codePoints.slice(start, start + 9).join('')).toBe('Khlevniuk');
    const result = importInto(room, JSON.stringify([toolAnnotation('fn', 'Khlevniuk', {}, [start, start + 9])]));
    expect(result.ok && result.report.refused).toEqual([]);
    const [annotation] = listAnnotations(room.annotationsDoc);
    expect(annotation!.anchor.quote.exact).toBe('Khlevniuk');
    expect(annotation!.anchor.position.start).toBe(text.indexOf('Khlevniuk'));
    expect(annotation!.anchor.position.start).toBe(start + 1);
  });

  it('treats another tool’s position as a hint the quote overrides, but holds a position on this very text to its word', () => {
    const room = chapterRoom();
    // Hypothesis counts positions in its own page's text: here far beyond this chapter.
    const foreign = importInto(room, JSON.stringify([toolAnnotation('far', 'Kirov spoke', { bodyValue: 'x' }, [50_000, 50_011])]));
    expect(foreign.ok && foreign.report).toMatchObject({ imported: 1, refused: [] });
    const hash = sha256Hex(projectYDoc(room.textDoc).text);
    const same = toolAnnotation('same-text', 'Kirov spoke', { bodyValue: 'y' }, [50_000, 50_011]);
    (same.target[0] as Record<string, unknown>).source = { id: TEXT_IRI, 'apparatus:textSha256': hash };
    const binding = importInto(chapterRoom(), JSON.stringify([same]));
    expect(binding.ok && binding.report.refused[0]?.reason).toContain('out of range');
  });

  it('uses prefix and suffix to pick the right one of two equal sentences', () => {
    const room = chapterRoom();
    const exact = 'The Party line softened in 1934.';
    const result = importInto(room, JSON.stringify([toolAnnotation('second', exact, { bodyValue: 'the repeat' }, undefined, ['new course. ', ''])]));
    expect(result.ok && result.report.refused).toEqual([]);
    const [annotation] = listAnnotations(room.annotationsDoc);
    expect(annotation!.anchor.position.start).toBeGreaterThan(40);
  });

  it('turns replying annotations into the thread of the annotation they target', () => {
    const room = chapterRoom();
    const parent = toolAnnotation('p1', 'Kirov spoke', { bodyValue: 'Parent' });
    const child = { '@context': 'http://www.w3.org/ns/anno.jsonld', id: 'https://hypothes.is/a/c1', type: 'Annotation', motivation: 'replying', body: { type: 'TextualBody', value: 'A reply' }, target: parent.id };
    const result = importInto(room, JSON.stringify({ type: 'AnnotationPage', items: [child, parent] }));
    expect(result.ok && result.report).toMatchObject({ imported: 1, replies: { imported: 1 }, refused: [] });
    expect(listReplies(room.annotationsDoc, localId(parent.id, 'annotations')).map((r) => r.body)).toEqual(['A reply']);
  });

  it('refuses contradictions instead of guessing, naming the item', () => {
    const room = chapterRoom();
    const file = [
      toolAnnotation('two-statuses', 'Kirov spoke', { body: tags('sourced', 'contested') }),
      toolAnnotation('claim-no-status', 'Gosplan', { body: tags('claim') }),
      toolAnnotation('status-on-comment', 'wrote the', { body: tags('comment', 'sourced') }),
      toolAnnotation('no-target', 'x', { target: TEXT_IRI }),
      { ...toolAnnotation('no-id', 'Gosplan'), id: undefined },
    ];
    const result = importInto(room, JSON.stringify(file));
    expect(result.ok && result.report.refused.map((r) => [r.index, r.reason])).toEqual([
      [0, expect.stringContaining('conflicting claim-status tags')],
      [1, expect.stringContaining('a claim needs a claim-status tag')],
      [2, expect.stringContaining('tagged on a comment')],
      [3, expect.stringContaining('no TextQuoteSelector or TextPositionSelector')],
      [4, expect.stringContaining('needs an IRI id')],
    ]);
    expect(listAnnotations(room.annotationsDoc)).toEqual([]);
  });

  it('links to a footnote by its fragment, or by a quote of its text', () => {
    const room = chapterRoom();
    const link = (selector: unknown) => ({ type: 'SpecificResource', purpose: 'linking', source: TEXT_IRI, selector });
    const file = [
      toolAnnotation('f1', 'Kirov spoke', { body: [...tags('sourced'), link({ type: 'FragmentSelector', value: 'footnote-1' })] }),
      toolAnnotation('f2', 'Gosplan', { body: [...tags('sourced'), link({ type: 'TextQuoteSelector', exact: 'Pravda, 3 March 1935.' })] }),
    ];
    const result = importInto(room, JSON.stringify(file));
    expect(result.ok && result.report.refused).toEqual([]);
    expect(listAnnotations(room.annotationsDoc).map((a) => a.footnotes).sort()).toEqual([[1], [2]]);
    const bad = importInto(chapterRoom(), JSON.stringify([toolAnnotation('f3', 'Kirov', { body: link({ type: 'FragmentSelector', value: 'footnote-77' }) })]));
    expect(bad.ok && bad.report.refused[0]?.reason).toContain('no footnote 77');
  });

  it('gives a foreign annotation the same local id on every import, so a second import skips it', () => {
    const room = chapterRoom();
    const file = JSON.stringify([toolAnnotation('same', 'Kirov spoke', { bodyValue: 'once' })]);
    importInto(room, file);
    const again = importInto(room, file);
    expect(again.ok && again.report).toMatchObject({ imported: 0, skipped: 1 });
    expect(listAnnotations(room.annotationsDoc)).toHaveLength(1);
    expect(localId('https://hypothes.is/a/same', 'annotations')).toMatch(/^a-[0-9a-f]{16}$/);
  });
});
