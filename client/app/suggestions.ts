import type * as Y from 'yjs';
import type { Node as PMNode } from 'prosemirror-model';
import {
  BlockTable,
  TEXT_FRAGMENT_NAME,
  analyzeChapter,
  createAnchorFromTextRange,
  createAnnotation,
  dismissSuggestion,
  dismissedMap,
} from '../../schema/index.ts';
import type { Actor, Finding } from '../../schema/index.ts';
import type { AnnotationView } from '../model/annotation-view.ts';
import type { LayerResult } from './annotation-layer-api.ts';

/** How long the text must rest before the assistants look at it again. */
const REANALYSE_DELAY_MS = 1500;

/**
 * The assistants' suggestions for the room: findings of `analyzeChapter` on the current
 * text, minus those dismissed for the room and those already accepted as annotations.
 * Accepting creates the suggested annotation credited to the accepting user with
 * `provenance {source: 'assistant', findingId, detector, rule}`; dismissing records the
 * finding in the annotation document's `dismissed` map, which hides it for everyone.
 */
export class Suggestions {
  private findings: Finding[] = [];
  private analysedDoc: PMNode | null = null;
  private timer = 0;
  private readonly listeners = new Set<() => void>();
  private readonly onDismissed = (): void => this.emit();

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

  /** The findings still open: neither dismissed nor accepted. */
  open(annotations: readonly AnnotationView[]): Finding[] {
    const dismissed = dismissedMap(this.annotationsDoc);
    const accepted = new Set(annotations.map((a) => a.findingId).filter((id): id is string => id !== null));
    return this.findings.filter((f) => !dismissed.has(f.id) && !accepted.has(f.id));
  }

  /** Creates the annotation a finding suggests, on its first quote. */
  accept(id: string): LayerResult<string> {
    const finding = this.findings.find((f) => f.id === id);
    if (!finding || finding.quotes.length === 0) return { ok: false, error: 'That suggestion is no longer available.' };
    const quote = finding.quotes[0]!;
    const table = new BlockTable(this.textDoc.getXmlFragment(TEXT_FRAGMENT_NAME));
    if (table.fullText().slice(quote.start, quote.end) !== quote.exact) return { ok: false, error: 'The text changed since the suggestion was made; it will be refreshed in a moment.' };
    const anchor = createAnchorFromTextRange(table, { start: quote.start, end: quote.end });
    if (!anchor.ok) return { ok: false, error: `Could not place the suggestion: ${anchor.error}.` };
    const s = finding.suggestion;
    const created = createAnnotation(
      this.annotationsDoc,
      {
        kind: s.kind,
        claimStatus: s.claimStatus ?? null,
        problemType: s.problemType ?? null,
        note: s.note,
        correction: s.correction ?? null,
        footnotes: finding.footnotes,
        anchor: anchor.value,
        provenance: { source: 'assistant', findingId: finding.id, detector: finding.type, rule: finding.rule },
      },
      { actor: this.actor, now: () => new Date() },
    );
    return created.ok ? { ok: true, value: created.value.id } : { ok: false, error: `Could not accept the suggestion: ${created.errors.join('; ')}.` };
  }

  /** Hides a finding for the whole room. */
  dismiss(id: string): LayerResult {
    const result = dismissSuggestion(this.annotationsDoc, id, { actor: this.actor, now: () => new Date() });
    return result.ok ? { ok: true, value: undefined } : { ok: false, error: `Could not dismiss the suggestion: ${result.errors.join('; ')}.` };
  }

  /** The ProseMirror range of a finding's first quote, for showing it in the text. */
  rangeOf(id: string): { from: number; to: number } | null {
    const quote = this.findings.find((f) => f.id === id)?.quotes[0];
    if (!quote) return null;
    const table = new BlockTable(this.textDoc.getXmlFragment(TEXT_FRAGMENT_NAME));
    if (quote.end > table.fullText().length) return null;
    return { from: table.pmPositionOf(table.pointAtTextOffset(quote.start, 'start')), to: table.pmPositionOf(table.pointAtTextOffset(quote.end, 'end')) };
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

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
