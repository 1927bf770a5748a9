import type { EditorView } from 'prosemirror-view';
import { footnotesNearRange } from '../model/footnote-report.ts';
import { highlightCategory } from '../model/annotation-view.ts';
import type { AnnotationView } from '../model/annotation-view.ts';
import type { AnnotationDraft, ToolbarChoice } from '../components/app-events.ts';

/** What the popover's form shows, whatever it is for. */
interface EditorForm {
  draft: AnnotationDraft;
  quote: string;
  offeredFootnotes: number[];
  anchorRect: DOMRect | null;
}

/**
 * What the annotation editor popover shows, or null when it is closed: a new annotation over a
 * text range, or an existing annotation (whose text may be gone: then it has no range).
 */
export type EditorPopoverState =
  | (EditorForm & { mode: 'create'; range: { from: number; to: number } })
  | (EditorForm & { mode: 'edit'; annotationId: string; range: { from: number; to: number } | null });

const QUOTE_PREVIEW = 180;

/**
 * The state of the annotation editor popover: opening it for a new problem or comment (the
 * annotation is created on confirm), or for an existing annotation (including one just
 * tagged with 1/2/3, so a note and footnote links can follow), and keeping it beside its text.
 */
export class EditorPopover {
  state: EditorPopoverState | null = null;

  constructor(
    private readonly getView: () => EditorView,
    private readonly onChange: () => void,
  ) {}

  /** The draft for a new annotation of `choice` over `range`; sourced claims pre-link nearby footnotes. */
  defaultDraft(choice: ToolbarChoice, range: { from: number; to: number }): AnnotationDraft {
    const near = footnotesNearRange(this.getView().state.doc, range.from, range.to);
    return { category: choice, problemType: null, footnotes: choice === 'sourced' ? near : [], note: '', correction: '', proposeDeletion: false };
  }

  /** Opens the form for a new problem or comment over `range`. */
  openCreate(choice: ToolbarChoice, range: { from: number; to: number }): void {
    this.state = {
      mode: 'create',
      range,
      draft: this.defaultDraft(choice, range),
      quote: this.quoteOf(range),
      offeredFootnotes: footnotesNearRange(this.getView().state.doc, range.from, range.to),
      anchorRect: null,
    };
    this.focusSoon();
  }

  /** Opens the form for an existing annotation. */
  openEdit(id: string, annotation: AnnotationView, range: { from: number; to: number } | null): void {
    const doc = this.getView().state.doc;
    this.state = {
      mode: 'edit',
      annotationId: id,
      range,
      draft: {
        category: highlightCategory(annotation),
        problemType: annotation.problemType,
        footnotes: [...annotation.footnotes],
        note: annotation.note,
        correction: annotation.correction ?? '',
        proposeDeletion: annotation.correction === '',
      },
      quote: annotation.quote.length > QUOTE_PREVIEW ? `${annotation.quote.slice(0, QUOTE_PREVIEW)}…` : annotation.quote,
      offeredFootnotes: range ? footnotesNearRange(doc, range.from, range.to) : [],
      anchorRect: null,
    };
    this.focusSoon();
  }

  /** Shows a validation error from the annotation layer in the form. */
  setError(message: string): void {
    const form = document.querySelector('ap-annotation-editor') as (HTMLElement & { error: string }) | null;
    if (form) form.error = message;
  }

  /** Closes the popover. */
  close(): void {
    this.state = null;
  }

  /** Re-measures where the popover belongs (after scrolling or a text change). */
  reposition(measure: (from: number, to: number) => DOMRect): void {
    if (!this.state) return;
    const range = this.state.range;
    const size = this.getView().state.doc.content.size;
    const rect = range && range.to <= size ? measure(range.from, range.to) : this.fallbackRect();
    this.state = { ...this.state, anchorRect: rect };
  }

  private fallbackRect(): DOMRect {
    const box = this.getView().dom.getBoundingClientRect();
    return new DOMRect(box.left + box.width / 2, Math.max(80, box.top), 1, 1);
  }

  private quoteOf(range: { from: number; to: number }): string {
    const text = this.getView().state.doc.textBetween(range.from, range.to, ' ');
    return text.length > QUOTE_PREVIEW ? `${text.slice(0, QUOTE_PREVIEW)}…` : text;
  }

  private focusSoon(): void {
    this.onChange();
    requestAnimationFrame(() => {
      const form = document.querySelector('ap-annotation-editor') as (HTMLElement & { focusFirstField(): void }) | null;
      form?.focusFirstField();
    });
  }
}
