import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeChapter } from '../../schema/analysis/analyze-chapter.ts';
import type { Finding } from '../../schema/analysis/finding.ts';
import { importChapter } from '../../schema/chapter/importer.ts';
import { chapterFromJSON } from '../../schema/chapter/chapter-schema.ts';

// Key true positives on the fixture chapter; the full precision/recall against the labelled
// problems is measured by scripts/analysis-quality.ts, not asserted here.
const fixture = path.resolve(import.meta.dirname, '../../fixtures/chapter-5.txt');

function fixtureFindings(): Finding[] {
  const imported = importChapter(readFileSync(fixture, 'utf8'));
  if (!imported.ok) throw new Error(imported.error);
  return analyzeChapter(chapterFromJSON(imported.doc)).findings;
}

describe('analysis of the chapter 5 fixture', () => {
  const findings = fixtureFindings();

  it('finds both double renderings in the paragraph about the Prime Minister', () => {
    const duplicates = findings.filter((f) => f.type === 'duplication').map((f) => f.quotes.map((q) => q.exact.slice(0, 30)));
    expect(duplicates).toEqual([
      ['On many occasions, he removed ', 'Many times he removed people, '],
      ['Originally, the system had saf', 'Originally, there were system '],
    ]);
  });

  it('clusters Khlevniuk with Khlevnjuk and the three spellings of Chozjajin', () => {
    const variants = findings.flatMap((f) => (f.details.type === 'transliteration' ? [f.details.variants.map((v) => v.spelling)] : []));
    expect(variants).toContainEqual(['Khlevniuk', 'Khlevnjuk']);
    expect(variants).toContainEqual(['Chozjajin', 'Chozhajin', 'Chozjain']);
  });

  it('flags the Ibid. of note 145 as ambiguous between the two works of note 144', () => {
    const ambiguous = findings.filter((f) => f.rule === 'ambiguous-ibid');
    expect(ambiguous.map((f) => f.footnotes)).toEqual([[145, 144]]);
    expect(ambiguous[0]!.message).toContain('Gregory');
  });

  it('gives every finding a unique id, a message and a one-click suggestion', () => {
    expect(new Set(findings.map((f) => f.id)).size).toBe(findings.length);
    for (const f of findings) {
      expect(f.message.length).toBeGreaterThan(10);
      expect(f.quotes.length).toBeGreaterThan(0);
      expect(['problem', 'comment', 'claim']).toContain(f.suggestion.kind);
    }
  });
});
