import { idForFinding } from './chapter-reading.ts';
import type { ChapterReading } from './chapter-reading.ts';
import type { Finding, FindingQuote } from './finding.ts';

/** The parts of a typography finding that differ from rule to rule. */
export interface TypographyFindingSpec {
  rule: string;
  quote: FindingQuote;
  message: string;
  note: string;
  correction?: string;
  /** How many marks the finding stands for (quotation-mark style findings). */
  count?: number;
}

/** Builds a typography finding anchored at `spec.quote`. */
export function typographyFinding(reading: ChapterReading, spec: TypographyFindingSpec): Finding {
  const { rule, quote, message, note, correction, count } = spec;
  const block = reading.blocks.find((b) => b.id === quote.blockId && b.start <= quote.start);
  return {
    id: idForFinding(reading, 'typography', rule, [quote]),
    type: 'typography',
    rule,
    message,
    quotes: [quote],
    footnotes: block?.type === 'footnote' && block.n !== null ? [block.n] : [],
    severity: 'warning',
    // Local slips are certain; a style difference is a matter of consistency.
    score: rule === 'quote-style' ? 0.4 : 0.7,
    suggestion: { kind: 'problem', problemType: 'typography', note, ...(correction !== undefined ? { correction } : {}) },
    details: { type: 'typography', ...(count !== undefined ? { count } : {}) },
  };
}
