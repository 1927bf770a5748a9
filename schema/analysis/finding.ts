import type { AnnotationKind, ClaimStatus, ProblemType } from '../annotations/vocabulary.ts';

/**
 * The finding format of the source-criticism assistants: what `analyzeChapter` returns, what
 * the `analyze` CLI prints and what the suggestions panel turns into annotations.
 */

/** The detector a finding comes from. */
export type FindingType = 'duplication' | 'transliteration' | 'ibid' | 'unsourced' | 'typography';

/** Every finding type, in the order the detectors run and the panel groups them. */
export const FINDING_TYPES: readonly FindingType[] = Object.freeze([
  'duplication',
  'transliteration',
  'ibid',
  'unsourced',
  'typography',
]);

/**
 * How much a finding matters. `info` reports a fact that is not a problem (an Ibid. resolved
 * to the note it points to); `warning` and `error` report problems, errors being outright
 * breakage (an Ibid. that points at nothing).
 */
export type FindingSeverity = 'info' | 'warning' | 'error';

/**
 * A passage a finding rests on, on the plain-text projection of `chapter/text-projection.ts`:
 * `start`/`end` are projection offsets (end exclusive), so the client can anchor an
 * annotation there, and `exact` equals `projection.text.slice(start, end)`.
 */
export interface FindingQuote {
  exact: string;
  start: number;
  end: number;
  /** The id of the block holding the quote (`p-12`, `fn-153`), null for a block without one. */
  blockId: string | null;
}

/**
 * What accepting a finding creates: an annotation of `kind` anchored on the finding's first
 * quote, with the problem type or claim status, note and proposed correction given here. When
 * `relatedQuoteIndex` is set, the quote at that index is the passage the annotated one relates
 * to (the first rendering of a duplicated sentence, the majority spelling of a name).
 */
export interface FindingSuggestion {
  kind: AnnotationKind;
  problemType?: ProblemType;
  claimStatus?: ClaimStatus;
  note: string;
  correction?: string;
  relatedQuoteIndex?: number;
}

/** One spelling of a transliteration cluster and where it occurs. */
export interface SpellingVariant {
  spelling: string;
  count: number;
  /** Footnotes the spelling occurs in, ascending. */
  footnotes: number[];
  /** Ids of the body blocks (headings, paragraphs) the spelling occurs in, in document order. */
  bodyBlockIds: string[];
}

/** How an Ibid. was resolved: from the note holding it to the note it points at. */
export interface IbidResolution {
  from: number;
  /** The note the Ibid. points at, or null when there is none (the first note, a note citing no work). */
  to: number | null;
  /** True when the note pointed at cites more than one work. */
  ambiguous: boolean;
  /** Short descriptions of the works the Ibid. may refer to. */
  candidates: string[];
}

/** Detector-specific facts a finding carries besides its quotes. */
export type FindingDetails =
  | { type: 'duplication'; similarity: number; sharedWords: string[] }
  | { type: 'transliteration'; variants: SpellingVariant[] }
  | { type: 'ibid'; resolution?: IbidResolution }
  | { type: 'unsourced'; cues: string[] }
  | { type: 'typography'; count?: number };

/** One finding of an assistant. */
export interface Finding {
  /** Stable id: a hash of type, rule and the quotes it rests on, so a dismissal survives re-runs. */
  id: string;
  type: FindingType;
  /** The detector's rule that fired, e.g. `ambiguous-ibid`, `quote-style`, `paraphrase`. */
  rule: string;
  /** One readable sentence saying what is wrong and where. */
  message: string;
  quotes: FindingQuote[];
  /** Footnote numbers the finding rests on, in the order that matters (Ibid.: from, then to). */
  footnotes: number[];
  severity: FindingSeverity;
  /** Ranking within the type, higher first; 0..1 for most detectors. */
  score: number;
  suggestion: FindingSuggestion;
  details: FindingDetails;
}

/** What `analyzeChapter` returns. */
export interface AnalysisResult {
  findings: Finding[];
}
