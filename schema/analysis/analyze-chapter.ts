import type { Node as PMNode } from 'prosemirror-model';
import { footnoteBlocks, readChapter } from './chapter-reading.ts';
import type { ChapterReading } from './chapter-reading.ts';
import { detectCitationProblems } from './detect-citation-problems.ts';
import { detectDuplication } from './detect-duplication.ts';
import { detectIbid } from './detect-ibid.ts';
import { detectTransliteration } from './detect-transliteration.ts';
import { detectTypography } from './detect-typography.ts';
import { detectUnsourced } from './detect-unsourced.ts';
import { FINDING_TYPES } from './finding.ts';
import type { AnalysisResult, Finding, FindingType } from './finding.ts';
import { citeFootnotes } from './footnote-citations.ts';
import type { NoteCitations } from './footnote-citations.ts';

/**
 * The source-criticism assistants, run together over one chapter. Pure: the CLI, the server
 * and the browser's suggestions panel all call `analyzeChapter` on the same document and get
 * the same findings with the same ids.
 */

/** Which detectors to run; all of them by default. */
export interface AnalysisOptions {
  types?: readonly FindingType[];
}

type Detector = (reading: ChapterReading, notes: readonly NoteCitations[]) => Finding[];

const DETECTORS: Record<FindingType, Detector> = {
  duplication: (reading) => detectDuplication(reading),
  transliteration: detectTransliteration,
  ibid: (reading, notes) => [...detectIbid(reading, notes), ...detectCitationProblems(reading, notes)],
  unsourced: (reading) => detectUnsourced(reading),
  typography: (reading) => detectTypography(reading),
};

function checkTypes(types: readonly FindingType[]): void {
  for (const type of types) {
    if (!FINDING_TYPES.includes(type)) throw new RangeError(`unknown finding type "${String(type)}"; expected one of ${FINDING_TYPES.join(', ')}`);
  }
}

/**
 * Analyses a chapter document (the schema of `chapter/chapter-schema.ts`) and returns its findings,
 * grouped by type in the order of `FINDING_TYPES`, each group in the detector's order
 * (unsourced claims ranked by score, the others in reading order). Ids are unique.
 */
export function analyzeChapter(doc: PMNode, options: AnalysisOptions = {}): AnalysisResult {
  const types = options.types ?? FINDING_TYPES;
  checkTypes(types);
  const reading = readChapter(doc);
  const notes = citeFootnotes(footnoteBlocks(reading));
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const type of FINDING_TYPES.filter((t) => types.includes(t))) {
    for (const finding of DETECTORS[type](reading, notes)) {
      // Two findings on the same quotes by the same rule are one finding.
      if (seen.has(finding.id)) continue;
      seen.add(finding.id);
      findings.push(finding);
    }
  }
  return { findings };
}
