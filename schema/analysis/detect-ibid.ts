import { idForFinding, quoteIn } from './chapter-reading.ts';
import type { ChapterReading } from './chapter-reading.ts';
import type { Finding, FindingQuote, FindingSeverity, IbidResolution } from './finding.ts';
import { describeCitation } from './footnote-citations.ts';
import type { Citation, NoteCitations } from './footnote-citations.ts';
import { romanisationKey } from './romanisation.ts';
import { wordTokens } from './word-tokens.ts';

/**
 * Ibid. resolution. Every Ibid. is resolved to the citation it repeats: the citation before
 * it in the same note, or else the previous note's. The result is reported for every Ibid.
 * (`ibid-resolved`, severity info, so a reader can follow it), as a problem when the previous
 * note cites more than one work (`ambiguous-ibid`) and as an error when there is nothing to
 * repeat (`unresolved-ibid`). An Ibid. pointing at an Ibid. follows the chain.
 */

interface Target {
  note: number | null;
  works: Citation[];
}

/** A key naming a work regardless of how its title was romanised: the first three title words. */
export function workKey(citation: Citation): string {
  const words = wordTokens(citation.title?.text ?? '').slice(0, 3);
  return words.map((w) => romanisationKey(w.text)).join(' ');
}

function distinctWorks(citations: readonly Citation[]): Citation[] {
  const seen = new Map<string, Citation>();
  for (const citation of citations) if (!seen.has(workKey(citation))) seen.set(workKey(citation), citation);
  return [...seen.values()];
}

/** Resolves the Ibid. `citation` of note `index`, following chains through earlier Ibid. notes. */
function resolveTarget(notes: readonly NoteCitations[], index: number, citation: Citation, depth = 0): Target {
  const note = notes[index];
  if (!note || depth > notes.length) return { note: null, works: [] };
  const position = note.citations.indexOf(citation);
  const before = note.citations[position - 1];
  if (before) return before.ibid ? resolveTarget(notes, index, before, depth + 1) : { note: note.block.n, works: [before] };
  const previous = notes[index - 1];
  if (!previous) return { note: null, works: [] };
  const works = previous.citations;
  const last = works[works.length - 1];
  if (works.length === 1 && last?.ibid) {
    const chained = resolveTarget(notes, index - 1, last, depth + 1);
    return { note: chained.works.length > 0 ? chained.note : previous.block.n, works: chained.works };
  }
  return { note: previous.block.n, works: distinctWorks(works.filter((c) => !c.ibid)) };
}

function resolutionOf(from: number, target: Target): IbidResolution {
  return { from, to: target.note, ambiguous: target.works.length > 1, candidates: target.works.map(describeCitation) };
}

function ruleOf(resolution: IbidResolution): { rule: string; severity: FindingSeverity } {
  if (resolution.to === null || resolution.candidates.length === 0) return { rule: 'unresolved-ibid', severity: 'error' };
  return resolution.ambiguous ? { rule: 'ambiguous-ibid', severity: 'warning' } : { rule: 'ibid-resolved', severity: 'info' };
}

function messageOf(resolution: IbidResolution): string {
  const { from, to, candidates } = resolution;
  if (to === null) return `Ibid. in note ${from} has no earlier citation to repeat.`;
  if (candidates.length === 0) return `Ibid. in note ${from} follows note ${to}, which cites no work.`;
  if (resolution.ambiguous) return `Ibid. in note ${from} is ambiguous: note ${to} cites ${candidates.length} works (${candidates.join('; ')}).`;
  return `Ibid. in note ${from} refers to note ${to}: ${candidates[0]}.`;
}

function findingFor(reading: ChapterReading, citation: Citation, target: Target): Finding {
  const from = citation.footnote;
  const resolution = resolutionOf(from, target);
  const { rule, severity } = ruleOf(resolution);
  const ibid = citation.ibid ?? { start: citation.span.start, end: citation.span.end };
  const quotes: FindingQuote[] = [quoteIn(citation.block, ibid.start, ibid.end)];
  for (const work of target.works) if (work.title) quotes.push(quoteIn(work.block, work.title.start, work.title.end));
  const message = messageOf(resolution);
  return {
    id: idForFinding(reading, 'ibid', rule, quotes.slice(0, 1)),
    type: 'ibid',
    rule,
    message,
    quotes,
    footnotes: resolution.to === null || resolution.to === from ? [from] : [from, resolution.to],
    severity,
    score: severity === 'error' ? 1 : severity === 'warning' ? 0.8 : 0.1,
    suggestion: {
      kind: severity === 'info' ? 'comment' : 'problem',
      ...(severity === 'info' ? {} : { problemType: 'citation' as const }),
      note: severity === 'warning' ? `${message} Name the work instead of Ibid.` : message,
      ...(quotes.length === 2 ? { relatedQuoteIndex: 1 } : {}),
    },
    details: { type: 'ibid', resolution },
  };
}

/** Resolves every Ibid. of the chapter's notes; see the file comment for the rules. */
export function detectIbid(reading: ChapterReading, notes: readonly NoteCitations[]): Finding[] {
  const findings: Finding[] = [];
  notes.forEach((note, index) => {
    for (const citation of note.citations) {
      if (citation.ibid) findings.push(findingFor(reading, citation, resolveTarget(notes, index, citation)));
    }
  });
  return findings;
}
