import { describe, expect, it } from 'vitest';
import { analyzeChapter } from '../../schema/analysis/analyze-chapter.ts';
import { readChapter } from '../../schema/analysis/chapter-reading.ts';
import type { Finding } from '../../schema/analysis/finding.ts';
import { parseFootnoteCitations } from '../../schema/analysis/footnote-citations.ts';
import { chapterDoc, heading, note, para } from '../helpers/chapter-doc-builder.ts';
import type { BlockSpec } from '../helpers/chapter-doc-builder.ts';

/** A chapter whose body cites notes `first`..`last` once each. */
function withNotes(...notes: BlockSpec[]): BlockSpec[] {
  const markers = notes.map((n) => `Claim.^${n.n}`).join(' ');
  return [heading('A chapter', 1), para(markers), ...notes];
}

function citationFindings(...notes: BlockSpec[]): Finding[] {
  return analyzeChapter(chapterDoc(...withNotes(...notes)), { types: ['ibid'] }).findings;
}

function resolutions(findings: Finding[]) {
  return findings.flatMap((f) => (f.details.type === 'ibid' && f.details.resolution ? [{ rule: f.rule, ...f.details.resolution }] : []));
}

describe('footnote citation parsing', () => {
  it('reads author, italic title, volume, pages and archive references, and skips commentary', () => {
    const reading = readChapter(chapterDoc(...withNotes(note(7,
      'See Khlevniuk O., *Politbyuro: Mekhanizmy vlasti*, Moscow, ROSSPEN, 1996, Vol. II, pp. 134–139; RGASPI, f. 17, op. 3, d. 45, l. 2. This decree was never published.'))));
    const [book, archive] = parseFootnoteCitations(reading.blocks.find((b) => b.n === 7)!);
    expect(book).toMatchObject({ footnote: 7, volume: 'II', pages: '134–139', titleItalic: true });
    expect(book!.author?.text).toBe('Khlevniuk O.');
    expect(book!.title?.text).toBe('Politbyuro: Mekhanizmy vlasti');
    expect(archive?.archive).toBe('RGASPI');
  });

  it('finds a title in roman type before its locator', () => {
    const reading = readChapter(chapterDoc(...withNotes(note(3, 'O. Khlevniuk, Khozyain: Stalin i vlast, pp. 224–225. He wrote more.'))));
    const [citation] = parseFootnoteCitations(reading.blocks.find((b) => b.n === 3)!);
    expect(citation).toMatchObject({ titleItalic: false, pages: '224–225' });
    expect([citation!.author?.text, citation!.title?.text]).toEqual(['O. Khlevniuk', 'Khozyain: Stalin i vlast']);
  });
});

describe('Ibid. resolution', () => {
  it('resolves an Ibid. to the single work of the previous note, as information', () => {
    const findings = citationFindings(note(1, 'Erickson J., *The Soviet High Command*, pp. 429–432.'), note(2, '*Ibid.*, p. 430.'));
    expect(resolutions(findings)).toEqual([{ rule: 'ibid-resolved', from: 2, to: 1, ambiguous: false, candidates: ['Erickson J., The Soviet High Command'] }]);
    expect(findings[0]).toMatchObject({ severity: 'info', footnotes: [2, 1], suggestion: { kind: 'comment', relatedQuoteIndex: 1 } });
  });

  it('flags an Ibid. after a note citing two works as ambiguous, with both candidates quoted', () => {
    const findings = citationFindings(note(1, '*KPSS v rezolyutsiyakh*, Vol. II, p. 7; Gregory P., *Politicheskaya ekonomiya*, p. 154.'), note(2, 'Ibid, p. 585.'));
    expect(resolutions(findings)).toEqual([expect.objectContaining({ rule: 'ambiguous-ibid', from: 2, to: 1, ambiguous: true })]);
    expect(findings[0]!.quotes.map((q) => q.exact)).toEqual(['Ibid', 'KPSS v rezolyutsiyakh', 'Politicheskaya ekonomiya']);
    expect(findings[0]).toMatchObject({ severity: 'warning', suggestion: { kind: 'problem', problemType: 'citation' } });
  });

  it('follows a chain of Ibid. notes back to the work', () => {
    const findings = citationFindings(note(1, 'Conquest R., *The Great Terror*, p. 1.'), note(2, 'Ibid., p. 2.'), note(3, 'Ibid., p. 3.'));
    expect(resolutions(findings).map((r) => [r.from, r.to, r.rule])).toEqual([[2, 1, 'ibid-resolved'], [3, 1, 'ibid-resolved']]);
  });

  it('resolves an Ibid. inside a note to the citation before it in the same note', () => {
    const findings = citationFindings(note(1, 'Conquest R., *The Great Terror*, p. 1; ibid., p. 4.'));
    expect(resolutions(findings).map((r) => [r.from, r.to, r.ambiguous])).toEqual([[1, 1, false]]);
  });

  it('reports an Ibid. with nothing to repeat as an error', () => {
    const findings = citationFindings(note(1, 'Ibid., p. 5.'), note(2, 'The decree was never published.'), note(3, 'Ibid., p. 6.'));
    expect(findings.map((f) => [f.rule, f.severity, f.footnotes])).toEqual([
      ['unresolved-ibid', 'error', [1]],
      ['unresolved-ibid', 'error', [3, 2]],
    ]);
  });
});

describe('citation problems', () => {
  it('flags a title set in roman type that another note sets in italics', () => {
    const findings = citationFindings(
      note(1, 'See *Reabilitatsiya: Kak eto bylo*, Vol. II, p. 545.'),
      note(2, 'See Reabilitatsiya: Kak eto bylo, Vol. II, p. 547: "*File material shows...*".'),
    );
    expect(findings.map((f) => [f.rule, f.footnotes, f.quotes[0]!.exact])).toEqual([['unitalicised-title', [2, 1], 'Reabilitatsiya: Kak eto bylo']]);
  });

  it('flags an author given by a bare surname that no other note completes', () => {
    const findings = citationFindings(note(1, 'Gregory, “*Politicheskaya ekonomiya*”, p. 154.'), note(2, 'Conquest, *The Great Terror*, p. 9; Conquest R., *Harvest of Sorrow*, p. 3.'));
    expect(findings.map((f) => [f.rule, f.quotes[0]!.exact])).toEqual([['incomplete-citation', 'Gregory']]);
  });

  it('flags the same work and pages cited twice in a note, and a note repeating another', () => {
    const findings = citationFindings(
      note(1, 'Erickson J., *The Soviet High Command*, p. 4; Erickson J., *The Soviet High Command*, p. 4.'),
      note(2, 'Conquest R., *The Great Terror*, p. 1.'),
      note(3, 'Conquest R., *The Great Terror*, p. 1.'),
    );
    expect(findings.map((f) => [f.rule, f.footnotes])).toEqual([['duplicate-citation', [1]], ['duplicate-citation', [3, 2]]]);
  });

  it('stays quiet on consistent citations with short forms and commentary', () => {
    const findings = citationFindings(
      note(1, 'Conquest R., *The Great Terror*, London, Macmillan, 1968, p. 1. Conquest wrote before the archives opened.'),
      note(2, 'Conquest R., *The Great Terror*, p. 12; Khlevniuk O., *Politbyuro*, pp. 3–4.'),
      note(3, 'A term for the proletarian writers, from the Russian.'),
      note(4, 'On the trial see “The Case of the Engineers”, in: *Sudebnye protsessy*, Vol. 1, pp. 5–9.'),
    );
    expect(findings).toEqual([]);
  });
});
