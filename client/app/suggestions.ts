import type * as Y from 'yjs';
import type { Node as PMNode } from 'prosemirror-model';
import {
  AnnotationOrigin,
  BlockTable,
  TEXT_FRAGMENT_NAME,
  analyzeChapter,
  createAnchorFromTextRange,
  canEditAnnotation,
  createAnnotation,
  dismissSuggestion,
  dismissedMap,
  labelOf,
  relateAnnotation,
  restoreSuggestion,
} from '../../schema/index.ts';
import type { Actor, Anchor, Finding, FindingQuote, OperationContext, Provenance, Role } from '../../schema/index.ts';
import { CATEGORY_LABELS, highlightCategory } from '../model/annotation-view.ts';
import type { AnnotationView } from '../model/annotation-view.ts';
import type { DismissedFinding, SuggestionList } from '../model/suggestion-list.ts';
import { coveringAnnotation } from './suggestion-coverage.ts';
import type { CoverCandidate } from './suggestion-coverage.ts';
import type { LayerResult } from './annotation-layer-api.ts';
import { ORIGINAL_PASSAGE_NOTE, planRelatedPassage } from './related-passage.ts';
import type { AnnotatedRange } from './related-passage.ts';

/** How long the text must rest before the assistants look at it again. */
const REANALYSE_DELAY_MS = 1500;

/** A live range of an annotation, or null when it has none (orphaned). */
export type RangeLookup = (annotationId: string) => { from: number; to: number } | null;

/** Who looks at the list: whose dismissals are theirs, what their role allows, and the names of people present. */
export interface SuggestionViewer {
  userId: string;
  role: Role;
  /** The display name of a user present in the room, if known. */
  nameOf?: (userId: string) => string | undefined;
}

/** Words what covers a finding: "Duplication problem by Rita", "contested claim by Ada", "comment by Bo". */
function coverLabel(annotation: AnnotationView): string {
  const category = CATEGORY_LABELS[highlightCategory(annotation)].toLocaleLowerCase();
  const what =
    annotation.kind === 'problem' ? `${annotation.problemType ? labelOf('problem-type', annotation.problemType) : 'A'} problem` : annotation.kind === 'claim' ? `${category} claim` : category;
  return `${what[0]!.toLocaleUpperCase()}${what.slice(1)} by ${annotation.authorName}`;
}

/**
 * The assistants' suggestions for the room: findings of `analyzeChapter` on the current
 * text, minus those already accepted as annotations; those dismissed for the room, and those
 * whose passage already carries an annotation of the suggested kind (covered), listed apart.
 * Accepting creates the suggested annotation credited to the accepting user with
 * `provenance {source: 'assistant', findingId, detector, rule}`; a duplicate is related
 * (`duplicate-of`) to an annotation on its original passage, which is created as a comment
 * when there is none (`related-passage.ts`). Dismissing records the
 * finding in the annotation document's `dismissed` map, which hides it for everyone.
 */
export class Suggestions {
  private findings: Finding[] = [];
  private analysedDoc: PMNode | null = null;
  private timer = 0;
  private readonly listeners = new Set<() => void>();
  private dismissedVersion = 0;
  private readonly onDismissed = (): void => {
    this.dismissedVersion++;
    this.emit();
  };
  private ranges: { findings: Finding[]; byId: Map<string, { from: number; to: number }> } | null = null;
  private listed: { key: unknown[]; value: SuggestionList } | null = null;

  constructor(
    private readonly annotationsDoc: Y.Doc,
    private readonly textDoc: Y.Doc,
    private readonly actor: Actor,
  ) {
    dismissedMap(annotationsDoc).observe(this.onDismissed);
  }

  /** Analyses `doc` soon (debounced, in idle time); the first call analyses at once. */
  analyse(doc: PMNode): void {
    if (doc === this.analysedDoc) return;
    clearTimeout(this.timer);
    const run = (): void => {
      this.findings = analyzeChapter(doc).findings.filter((f) => f.severity !== 'info');
      this.analysedDoc = doc;
      this.emit();
    };
    if (this.analysedDoc === null) run();
    else this.timer = window.setTimeout(run, REANALYSE_DELAY_MS);
  }

  /**
   * The findings as the Suggestions tab shows them (those accepted left out): open ones,
   * covered ones with the annotation covering each, and dismissed ones with whether `viewer`
   * may restore them. Recomputed only when the annotations, the findings or the dismissals change.
   */
  list(annotations: readonly AnnotationView[], rangeOf: RangeLookup, viewer: SuggestionViewer): SuggestionList {
    const key = [annotations, this.findings, this.dismissedVersion, viewer.userId, viewer.role, viewer.nameOf];
    if (this.listed && this.listed.key.every((part, i) => part === key[i])) return this.listed.value;
    const dismissed = dismissedMap(this.annotationsDoc);
    const accepted = new Set(annotations.map((a) => a.findingId).filter((id): id is string => id !== null));
    const value: SuggestionList = { open: [], covered: [], dismissed: [] };
    const candidates = this.coverCandidates(annotations, rangeOf);
    const byId = new Map(annotations.map((a) => [a.id, a]));
    for (const finding of this.findings) {
      if (accepted.has(finding.id)) continue;
      const dismissal = dismissed.get(finding.id);
      if (dismissal) {
        value.dismissed.push(this.dismissedEntry(finding, dismissal.by, annotations, viewer));
        continue;
      }
      const cover = coveringAnnotation(finding, this.findingRanges().get(finding.id) ?? null, candidates);
      if (cover) value.covered.push({ finding, annotationId: cover.id, coveredBy: coverLabel(byId.get(cover.id)!) });
      else value.open.push(finding);
    }
    this.listed = { key, value };
    return value;
  }

  /** The annotations a finding could be covered by: of a kind some finding suggests, with a place in the text. */
  private coverCandidates(annotations: readonly AnnotationView[], rangeOf: RangeLookup): CoverCandidate[] {
    const kinds = new Set(this.findings.map((f) => f.suggestion.kind));
    return annotations.flatMap((a) => {
      if (!kinds.has(a.kind) || a.anchorState === 'orphaned') return [];
      const range = rangeOf(a.id);
      return range ? [{ id: a.id, kind: a.kind, problemType: a.problemType, ...range }] : [];
    });
  }

  private dismissedEntry(finding: Finding, by: string, annotations: readonly AnnotationView[], viewer: SuggestionViewer): DismissedFinding {
    const own = by === viewer.userId;
    const byName = own ? 'you' : (viewer.nameOf?.(by) ?? annotations.find((a) => a.authorId === by)?.authorName ?? 'someone');
    return { finding, byName, mayRestore: canEditAnnotation(viewer.role, own) };
  }

  /** Every finding's first quote as a ProseMirror range in the current text (one table for all of them). */
  private findingRanges(): Map<string, { from: number; to: number }> {
    if (this.ranges?.findings === this.findings) return this.ranges.byId;
    const table = new BlockTable(this.textDoc.getXmlFragment(TEXT_FRAGMENT_NAME));
    const length = table.fullText().length;
    const byId = new Map<string, { from: number; to: number }>();
    for (const finding of this.findings) {
      const quote = finding.quotes[0];
      if (quote && quote.end <= length) byId.set(finding.id, pmRangeOf(table, quote));
    }
    this.ranges = { findings: this.findings, byId };
    return byId;
  }

  /**
   * Creates the annotation a finding suggests, on its first quote, in one transaction with the
   * link to the passage it relates to. `annotations` are the room's annotations with their live
   * ranges (to find one already covering a duplicate's original).
   */
  accept(id: string, annotations: Iterable<AnnotatedRange> = []): LayerResult<string> {
    const finding = this.findings.find((f) => f.id === id);
    if (!finding || finding.quotes.length === 0) return { ok: false, error: 'That suggestion is no longer available.' };
    const table = new BlockTable(this.textDoc.getXmlFragment(TEXT_FRAGMENT_NAME));
    const anchor = anchorOnQuote(table, finding.quotes[0]!);
    if (!anchor.ok) return anchor;
    const s = finding.suggestion;
    const context = this.context();
    let outcome: LayerResult<string> = { ok: false, error: 'The suggestion was not accepted.' };
    this.annotationsDoc.transact(() => {
      const input = { kind: s.kind, claimStatus: s.claimStatus ?? null, problemType: s.problemType ?? null, note: s.note, correction: s.correction ?? null };
      const created = createAnnotation(this.annotationsDoc, { ...input, footnotes: finding.footnotes, anchor: anchor.value, provenance: provenanceOf(finding) }, context);
      if (!created.ok) return void (outcome = { ok: false, error: `Could not accept the suggestion: ${created.errors.join('; ')}.` });
      outcome = { ok: true, value: created.value.id };
      this.linkToRelatedPassage(finding, table, created.value.id, annotations, context);
    }, new AnnotationOrigin('create', this.actor.userId));
    return outcome;
  }

  /**
   * Relates a new duplicate to the annotation on its original passage, annotating the original
   * first when nobody has. A passage that no longer matches the text is left unlinked: the
   * duplicate is flagged all the same, and the link is only a convenience.
   */
  private linkToRelatedPassage(finding: Finding, table: BlockTable, newId: string, annotations: Iterable<AnnotatedRange>, context: OperationContext): void {
    const index = finding.suggestion.relatedQuoteIndex;
    const quote = index === undefined ? undefined : finding.quotes[index];
    const range = quote && table.fullText().slice(quote.start, quote.end) === quote.exact ? pmRangeOf(table, quote) : null;
    const plan = planRelatedPassage(finding, range, [...annotations].filter((a) => a.id !== newId));
    let originalId: string | null = plan.kind === 'relate' ? plan.id : null;
    if (plan.kind === 'annotate') {
      const anchor = anchorOnQuote(table, quote!);
      const original = anchor.ok ? createAnnotation(this.annotationsDoc, { kind: 'comment', note: ORIGINAL_PASSAGE_NOTE, anchor: anchor.value, provenance: provenanceOf(finding) }, context) : null;
      originalId = original?.ok ? original.value.id : null;
    }
    if (originalId) relateAnnotation(this.annotationsDoc, newId, { id: originalId, relation: 'duplicate-of' }, context);
  }

  /** Hides a finding for the whole room. */
  dismiss(id: string): LayerResult {
    const result = dismissSuggestion(this.annotationsDoc, id, this.context());
    return result.ok ? { ok: true, value: undefined } : { ok: false, error: `Could not dismiss the suggestion: ${result.errors.join('; ')}.` };
  }

  /** Offers a dismissed finding to the room again. */
  restore(id: string): LayerResult {
    const result = restoreSuggestion(this.annotationsDoc, id, this.context());
    return result.ok ? { ok: true, value: undefined } : { ok: false, error: `Could not restore the suggestion: ${result.errors.join('; ')}.` };
  }

  /** The ProseMirror range of a finding's first quote, for showing it in the text. */
  rangeOf(id: string): { from: number; to: number } | null {
    const quote = this.findings.find((f) => f.id === id)?.quotes[0];
    if (!quote) return null;
    const table = new BlockTable(this.textDoc.getXmlFragment(TEXT_FRAGMENT_NAME));
    if (quote.end > table.fullText().length) return null;
    return pmRangeOf(table, quote);
  }

  /** Registers a listener for changes; returns an unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops observing. */
  destroy(): void {
    clearTimeout(this.timer);
    dismissedMap(this.annotationsDoc).unobserve(this.onDismissed);
    this.listeners.clear();
  }

  private context(): OperationContext {
    return { actor: this.actor, now: () => new Date() };
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

/** The provenance of an annotation made by accepting `finding`. */
function provenanceOf(finding: Finding): Provenance {
  return { source: 'assistant', findingId: finding.id, detector: finding.type, rule: finding.rule };
}

/** The ProseMirror range of a quote's projection offsets. */
function pmRangeOf(table: BlockTable, quote: FindingQuote): { from: number; to: number } {
  return { from: table.pmPositionOf(table.pointAtTextOffset(quote.start, 'start')), to: table.pmPositionOf(table.pointAtTextOffset(quote.end, 'end')) };
}

/** An anchor on a quote, if the text still holds it where the finding saw it. */
function anchorOnQuote(table: BlockTable, quote: FindingQuote): LayerResult<Anchor> {
  if (table.fullText().slice(quote.start, quote.end) !== quote.exact) return { ok: false, error: 'The text changed since the suggestion was made; it will be refreshed in a moment.' };
  const anchor = createAnchorFromTextRange(table, { start: quote.start, end: quote.end });
  return anchor.ok ? { ok: true, value: anchor.value } : { ok: false, error: `Could not place the suggestion: ${anchor.error}.` };
}
