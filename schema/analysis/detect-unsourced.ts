import { bodyBlocks, idForFinding, quoteIn } from './chapter-reading.ts';
import type { ChapterReading } from './chapter-reading.ts';
import type { Finding } from './finding.ts';
import { quantityCues } from './quantity-cues.ts';
import type { QuantityCue } from './quantity-cues.ts';
import { splitSentences } from './sentence-splitter.ts';
import type { Sentence } from './sentence-splitter.ts';

/**
 * Unsourced specific claims: body sentences whose quantity cues (figures, percentages,
 * amounts, multipliers, counts, dates; see `quantity-cues.ts`) weigh at least
 * `CLAIM_THRESHOLD`, with no footnote marker in the sentence or in the next sentence of its
 * paragraph (books like this one often cite a run of sentences at its end). A lone year or
 * month does not reach the threshold: dating an event is rarely the claim that needs a source.
 * Findings are ranked by the weight of their cues.
 */

const CLAIM_THRESHOLD = 2;
// Cue weight at which the score saturates at 1.
const FULL_SCORE_WEIGHT = 6;

function isCited(sentence: Sentence, next: Sentence | undefined): boolean {
  return sentence.footnotes.length > 0 || (next !== undefined && next.footnotes.length > 0);
}

function listCues(cues: readonly QuantityCue[]): string {
  return cues.filter((c) => c.weight >= 1).map((c) => c.text).join(', ');
}

function findingFor(reading: ChapterReading, sentence: Sentence, cues: readonly QuantityCue[], weight: number): Finding {
  const quote = quoteIn(sentence.block, sentence.start, sentence.end);
  const listed = listCues(cues);
  return {
    id: idForFinding(reading, 'unsourced', 'unsourced-figure', [quote]),
    type: 'unsourced',
    rule: 'unsourced-figure',
    message: `This sentence makes a specific claim (${listed}) with no footnote in it or in the sentence after it.`,
    quotes: [quote],
    footnotes: [],
    severity: 'warning',
    score: Math.round(Math.min(1, weight / FULL_SCORE_WEIGHT) * 100) / 100,
    suggestion: { kind: 'problem', problemType: 'citation', note: `Unsourced specific claim (${listed}): add a footnote or link it to one.` },
    details: { type: 'unsourced', cues: cues.map((c) => c.text) },
  };
}

/** Finds body sentences with specific quantitative claims and no footnote, highest score first. */
export function detectUnsourced(reading: ChapterReading): Finding[] {
  const findings: Finding[] = [];
  for (const block of bodyBlocks(reading).filter((b) => b.type === 'paragraph')) {
    const sentences = splitSentences(block);
    sentences.forEach((sentence, i) => {
      if (isCited(sentence, sentences[i + 1])) return;
      const cues = quantityCues(sentence.text);
      const weight = cues.reduce((sum, cue) => sum + cue.weight, 0);
      if (weight >= CLAIM_THRESHOLD) findings.push(findingFor(reading, sentence, cues, weight));
    });
  }
  return findings.sort((a, b) => b.score - a.score);
}
