// `node --import tsx scripts/analysis-quality.ts [chapter.txt] [labels.json]`: runs the
// source-criticism assistants on the fixture chapter, matches their findings against the
// hand-made labels (fixtures/chapter-5.problems.json) and prints precision and recall per
// finding type; writes the figures to bench/results/analysis-quality.json (or, for another
// label file such as the blind one, analysis-quality-<label file name>.json).
//
// Matching: a duplication label is found when findings quote both of its sentences; a
// transliteration label when one finding quotes two of its spellings; an ibid label by its
// rule and note number; an unsourced label when a finding's quote overlaps it; a typography
// label by rule and overlap (for `quote-style`, by block). Borderline labels count neither
// way. Info findings (Ibid. resolutions) are not problems: they are scored separately,
// against the labelled resolutions.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FINDING_TYPES, analyzeChapter, chapterFromJSON, importChapter, projectChapter } from '../schema/index.ts';
import type { Finding, FindingType } from '../schema/index.ts';

interface Label {
  id: string;
  type: FindingType;
  rule?: string;
  certainty: 'certain' | 'borderline';
  quotes?: string[];
  variants?: string[];
  footnotes?: number[];
}

interface LabelFile {
  problems: Label[];
  ibidResolutions: { from: number; to: number; ambiguous: boolean }[];
}

interface Span {
  start: number;
  end: number;
  blockId: string | null;
}

const root = path.resolve(import.meta.dirname, '..');
const chapterFile = process.argv[2] ?? path.join(root, 'fixtures/chapter-5.txt');
const labelFile = process.argv[3] ?? path.join(root, 'fixtures/chapter-5.problems.json');

/** Locates each label quote in the projection; a quote that is missing or not unique is a labelling error. */
function locate(text: string, blockIdAt: (offset: number) => string | null, quote: string, labelId: string): Span {
  const start = text.indexOf(quote);
  if (start === -1) throw new Error(`label ${labelId}: quote not found in the chapter: ${quote}`);
  if (text.indexOf(quote, start + 1) !== -1) throw new Error(`label ${labelId}: quote occurs more than once: ${quote}`);
  return { start, end: start + quote.length, blockId: blockIdAt(start) };
}

const overlaps = (a: Span, b: Span) => a.start < b.end && b.start < a.end;

/** Returns true when `finding` finds the problem `label` describes. */
function matches(finding: Finding, label: Label, spans: Span[]): boolean {
  if (finding.type !== label.type) return false;
  if (label.rule && label.type !== 'unsourced' && finding.rule !== label.rule) return false;
  switch (label.type) {
    case 'duplication':
      return spans.every((span) => finding.quotes.some((q) => overlaps(q, span)));
    case 'transliteration': {
      const quoted = new Set(finding.quotes.map((q) => q.exact.toLowerCase()));
      return (label.variants ?? []).filter((v) => quoted.has(v.toLowerCase())).length >= 2;
    }
    case 'ibid':
      return finding.footnotes[0] === label.footnotes?.[0];
    case 'unsourced':
      return spans.some((span) => finding.quotes.some((q) => overlaps(q, span)));
    case 'typography':
      return label.rule === 'quote-style'
        ? spans.some((span) => finding.quotes.some((q) => q.blockId === span.blockId))
        : spans.some((span) => finding.quotes.some((q) => overlaps(q, span)));
  }
}

interface TypeScore {
  findings: number;
  truePositives: number;
  falsePositives: number;
  borderlineHits: number;
  precision: number | null;
  certainLabels: number;
  found: number;
  recall: number | null;
  falseAlarms: string[];
  missed: string[];
}

function scoreType(type: FindingType, findings: Finding[], labels: Label[], spansOf: Map<string, Span[]>): TypeScore {
  const problems = findings.filter((f) => f.type === type && f.severity !== 'info');
  const ofType = labels.filter((l) => l.type === type);
  const certain = ofType.filter((l) => l.certainty === 'certain');
  const hitsOf = (f: Finding) => ofType.filter((l) => matches(f, l, spansOf.get(l.id) ?? []));
  let truePositives = 0;
  let borderlineHits = 0;
  const falseAlarms: string[] = [];
  for (const finding of problems) {
    const hits = hitsOf(finding);
    if (hits.some((l) => l.certainty === 'certain')) truePositives++;
    else if (hits.length > 0) borderlineHits++;
    else falseAlarms.push(`${finding.rule}: ${finding.message}`);
  }
  const missed = certain.filter((l) => !problems.some((f) => matches(f, l, spansOf.get(l.id) ?? []))).map((l) => l.id);
  const judged = truePositives + falseAlarms.length;
  return {
    findings: problems.length,
    truePositives,
    falsePositives: falseAlarms.length,
    borderlineHits,
    precision: judged === 0 ? null : truePositives / judged,
    certainLabels: certain.length,
    found: certain.length - missed.length,
    recall: certain.length === 0 ? null : (certain.length - missed.length) / certain.length,
    falseAlarms,
    missed,
  };
}

function scoreResolutions(findings: Finding[], expected: LabelFile['ibidResolutions']) {
  const resolved = findings.flatMap((f) => (f.details.type === 'ibid' && f.details.resolution ? [f.details.resolution] : []));
  const correct = expected.filter((e) => resolved.some((r) => r.from === e.from && r.to === e.to && r.ambiguous === e.ambiguous));
  return { expected: expected.length, reported: resolved.length, correct: correct.length };
}

const percent = (x: number | null) => (x === null ? '   –' : `${(x * 100).toFixed(0).padStart(3)}%`);

function main(): void {
  const imported = importChapter(readFileSync(chapterFile, 'utf8'));
  if (!imported.ok) throw new Error(`${chapterFile}: ${imported.error}`);
  const doc = chapterFromJSON(imported.doc);
  const started = performance.now();
  const { findings } = analyzeChapter(doc);
  const analysisMs = performance.now() - started;
  const projection = projectChapter(doc);
  const blockIdAt = (offset: number) => projection.blocks.find((b) => offset >= b.start && offset <= b.end)?.id ?? null;
  const labels = (JSON.parse(readFileSync(labelFile, 'utf8')) as LabelFile);
  const spansOf = new Map(labels.problems.map((l) => [l.id, (l.quotes ?? []).map((q) => locate(projection.text, blockIdAt, q, l.id))]));
  const perType = Object.fromEntries(FINDING_TYPES.map((type) => [type, scoreType(type, findings, labels.problems, spansOf)]));
  const resolutions = scoreResolutions(findings, labels.ibidResolutions);

  console.log(`analysis quality on ${path.relative(root, chapterFile)} (${findings.length} findings in ${analysisMs.toFixed(0)} ms)`);
  console.log('type             findings  TP  FP  borderline  precision  labels  found  recall');
  for (const [type, s] of Object.entries(perType)) {
    console.log(`${type.padEnd(16)} ${String(s.findings).padStart(8)} ${String(s.truePositives).padStart(3)} ${String(s.falsePositives).padStart(3)} ${String(s.borderlineHits).padStart(11)} ${percent(s.precision).padStart(10)} ${String(s.certainLabels).padStart(7)} ${String(s.found).padStart(6)} ${percent(s.recall).padStart(7)}`);
  }
  console.log(`Ibid. resolutions: ${resolutions.correct} of ${resolutions.expected} labelled resolved correctly (${resolutions.reported} reported)`);
  for (const [type, s] of Object.entries(perType)) {
    for (const alarm of s.falseAlarms) console.log(`  false alarm (${type}): ${alarm}`);
    for (const id of s.missed) console.log(`  missed (${type}): ${id}`);
  }
  const labelName = path.basename(labelFile, '.json').replace(/^chapter-5\.problems\.?/, '');
  const out = path.join(root, `bench/results/analysis-quality${labelName ? `-${labelName}` : ''}.json`);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify({ chapter: path.relative(root, chapterFile), findings: findings.length, analysisMs: Math.round(analysisMs), perType, ibidResolutions: resolutions }, null, 2)}\n`);
  console.log(`wrote ${path.relative(root, out)}`);
}

main();
