import { LitElement, css, html } from 'lit';
import { PROBLEM_TYPES } from '../../schema/index.ts';
import type { ProblemType } from '../../schema/index.ts';
import { CATEGORY_LABELS } from '../model/annotation-view.ts';
import type { HighlightCategory } from '../model/annotation-view.ts';
import type { AnnotationDraft } from './app-events.ts';
import { moveTo, placeFloating } from './floating-position.ts';
import { sharedStyles } from './shared-styles.ts';

/** Sent with the finished draft (create or save). */
export const EDITOR_SUBMIT = 'ap-editor-submit';
/** Sent when the user closes the editor without saving. */
export const EDITOR_CANCEL = 'ap-editor-cancel';

const CATEGORIES: HighlightCategory[] = ['sourced', 'contested', 'interpretive', 'problem', 'comment'];

/**
 * The form for an annotation's details: category, footnote links (those whose markers sit in
 * or next to the selection first), note, and for problems a type and a proposed correction.
 * In `create` mode nothing exists until the user confirms; in `edit` mode it saves changes.
 * Ctrl/⌘+Enter saves, Esc closes.
 */
export class ApAnnotationEditor extends LitElement {
  static override properties = {
    mode: { attribute: false },
    draft: { attribute: false },
    quote: { attribute: false },
    offeredFootnotes: { attribute: false },
    allFootnotes: { attribute: false },
    anchorRect: { attribute: false },
    error: { state: true },
    current: { state: true },
  };
  declare mode: 'create' | 'edit';
  /** The draft the form starts from. Lit re-sets object properties on every parent render, so
   *  the form edits its own copy (`current`) and takes a new start only for a new object. */
  declare draft: AnnotationDraft;
  declare current: AnnotationDraft;
  private startedFrom: AnnotationDraft | null = null;
  declare quote: string;
  declare offeredFootnotes: number[];
  declare allFootnotes: number[];
  declare anchorRect: DOMRect | null;
  declare error: string;

  constructor() {
    super();
    this.mode = 'create';
    this.draft = { category: 'comment', problemType: null, footnotes: [], note: '', correction: '', proposeDeletion: false };
    this.current = this.draft;
    this.quote = '';
    this.offeredFootnotes = [];
    this.allFootnotes = [];
    this.anchorRect = null;
    this.error = '';
  }

  static override styles = [
    sharedStyles,
    css`
      :host { position: fixed; left: 0; top: 0; z-index: 46; }
      form {
        width: min(400px, calc(100vw - 16px));
        max-height: calc(100vh - 24px);
        overflow: auto;
        background: var(--ap-surface);
        border: 1px solid var(--ap-rule);
        border-radius: 12px;
        box-shadow: var(--ap-shadow-pop);
        padding: 14px 16px 14px;
        display: grid;
        gap: 12px;
      }
      .quote { font-size: 14px; line-height: 1.45; margin: 0; padding-left: 10px; border-left: 3px solid var(--ap-rule-strong); display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; }
      .cats { display: flex; flex-wrap: wrap; gap: 6px; border: 0; padding: 0; margin: 0; }
      .cats legend, .fns legend { font: 600 12px/1.2 var(--ap-sans); color: var(--ap-ink-soft); margin-bottom: 6px; padding: 0; }
      .cat { position: relative; }
      .cat input { position: absolute; opacity: 0; pointer-events: none; }
      .cat span { display: inline-flex; align-items: center; gap: 6px; padding: 6px 10px; border-radius: 999px; border: 1px solid var(--ap-rule-strong); font: 500 12.5px/1 var(--ap-sans); cursor: pointer; color: var(--ap-ink-soft); }
      .cat span::before { content: ''; width: 8px; height: 8px; border-radius: 50%; background: var(--cat-ink); }
      .cat input:checked + span { background: var(--cat-tint); border-color: var(--cat-ink); color: var(--cat-ink); font-weight: 600; }
      .cat input:focus-visible + span { outline: 2px solid var(--ap-focus); outline-offset: 2px; }
      .fns { border: 0; padding: 0; margin: 0; }
      .fn-list { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
      .fn { display: inline-flex; align-items: center; gap: 5px; font: 500 12.5px/1 var(--ap-sans); padding: 5px 8px; border: 1px solid var(--ap-rule-strong); border-radius: 6px; cursor: pointer; }
      .fn:has(input:checked) { background: #e8f0fd; border-color: var(--ap-link); color: #123f86; }
      .fn input { margin: 0; }
      .add-fn { width: 92px; padding: 5px 7px; font-size: 12.5px; }
      .none { font-size: 12.5px; color: var(--ap-muted); }
      .row { display: flex; gap: 8px; justify-content: space-between; align-items: center; }
      .hint { font: 12px/1.2 var(--ap-sans); color: var(--ap-muted); }
      .actions { display: flex; gap: 8px; }
      .error { color: var(--ap-danger); font-size: 12.5px; margin: 0; }
      .check { display: flex; gap: 8px; align-items: center; font: 500 13px/1.3 var(--ap-sans); color: var(--ap-ink-soft); cursor: pointer; }
      .check input { margin: 0; width: 16px; height: 16px; }
      .deletion { margin: 0; font: 14px/1.45 var(--ap-serif); color: var(--ap-danger); padding: 6px 9px; border-radius: 6px; background: var(--ap-danger-bg); display: -webkit-box; -webkit-line-clamp: 3; -webkit-box-orient: vertical; overflow: hidden; }
    `,
  ];

  override willUpdate(): void {
    if (this.draft !== this.startedFrom) {
      this.startedFrom = this.draft;
      this.current = { ...this.draft, footnotes: [...this.draft.footnotes] };
    }
  }

  override render() {
    const d = this.current;
    const heading = this.mode === 'create' ? `New ${CATEGORY_LABELS[d.category].toLocaleLowerCase()}` : 'Annotation details';
    return html`<form role="dialog" aria-label=${heading} @submit=${this.submit} @keydown=${this.onKeydown}>
      ${this.quote ? html`<p class="quote">“${this.quote}”</p>` : null}
      <fieldset class="cats">
        <legend>Tag</legend>
        ${CATEGORIES.map(
          (c) => html`<label class="cat cat-${c}">
            <input type="radio" name="category" .checked=${d.category === c} @change=${() => this.patch({ category: c })} />
            <span>${CATEGORY_LABELS[c]}</span>
          </label>`,
        )}
      </fieldset>
      ${d.category === 'problem' ? this.renderProblemFields() : null}
      ${d.category !== 'comment' ? this.renderFootnotes() : null}
      <label class="field">${d.category === 'comment' ? 'Comment' : 'Note'}
        <textarea name="note" rows="3" maxlength="10000" .value=${d.note} placeholder=${d.category === 'comment' ? 'What would you like to say about this passage?' : 'Optional: why, with sources'} @input=${(e: Event) => this.patch({ note: (e.target as HTMLTextAreaElement).value })}></textarea>
      </label>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : null}
      <div class="row">
        <span class="hint">Ctrl+Enter to ${this.mode === 'create' ? 'create' : 'save'} · Esc to close</span>
        <span class="actions">
          <button class="btn" type="button" @click=${this.cancel}>${this.mode === 'create' ? 'Cancel' : 'Close'}</button>
          <button class="btn btn--primary" type="submit">${this.mode === 'create' ? 'Create' : 'Save'}</button>
        </span>
      </div>
    </form>`;
  }

  private renderProblemFields() {
    const d = this.current;
    return html`<label class="field">Problem type
        <select name="problemType" required @change=${(e: Event) => this.patch({ problemType: ((e.target as HTMLSelectElement).value || null) as ProblemType | null })}>
          <option value="" ?selected=${d.problemType === null}>Choose a type…</option>
          ${PROBLEM_TYPES.map((t) => html`<option value=${t.term} ?selected=${d.problemType === t.term} title=${t.definition}>${t.label}</option>`)}
        </select>
      </label>
      <label class="field" ?hidden=${d.proposeDeletion}>Proposed correction
        <textarea name="correction" rows="2" maxlength="2000" .value=${d.correction} placeholder="The text as it should read (optional)" @input=${(e: Event) => this.patch({ correction: (e.target as HTMLTextAreaElement).value })}></textarea>
      </label>
      <label class="check">
        <input type="checkbox" name="proposeDeletion" .checked=${d.proposeDeletion} @change=${(e: Event) => this.patch({ proposeDeletion: (e.target as HTMLInputElement).checked })} />
        Propose deleting this passage
      </label>
      ${d.proposeDeletion && this.quote ? html`<p class="deletion" aria-label="Proposed: delete the passage"><del>${this.quote}</del></p>` : null}`;
  }

  private renderFootnotes() {
    const offered = [...new Set([...this.offeredFootnotes, ...this.current.footnotes])].sort((a, b) => a - b);
    return html`<fieldset class="fns">
      <legend>Linked footnotes</legend>
      <div class="fn-list">
        ${offered.length === 0 ? html`<span class="none">No footnote marker next to the selection.</span>` : null}
        ${offered.map(
          (n) => html`<label class="fn"><input type="checkbox" .checked=${this.current.footnotes.includes(n)} @change=${(e: Event) => this.toggleFootnote(n, (e.target as HTMLInputElement).checked)} />${n}</label>`,
        )}
        <input class="add-fn" type="text" inputmode="numeric" aria-label="Link another footnote by number" placeholder="+ note no." @keydown=${this.onAddFootnoteKey} @change=${this.onAddFootnote} />
      </div>
    </fieldset>`;
  }

  override updated(): void {
    if (!this.anchorRect) return;
    const size = this.getBoundingClientRect();
    moveTo(this, placeFloating(this.anchorRect, { width: size.width, height: size.height }, { width: innerWidth, height: innerHeight }, 'below'));
  }

  /** Puts focus on the field the user most likely wants first. */
  focusFirstField(): void {
    void this.updateComplete.then(() => {
      const target =
        this.current.category === 'problem' && this.current.problemType === null
          ? this.renderRoot.querySelector<HTMLElement>('select')
          : this.renderRoot.querySelector<HTMLElement>('textarea[name="note"]');
      target?.focus();
    });
  }

  private patch(change: Partial<AnnotationDraft>): void {
    this.current = { ...this.current, ...change };
    this.error = '';
  }

  private toggleFootnote(n: number, on: boolean): void {
    const set = new Set(this.current.footnotes);
    if (on) set.add(n);
    else set.delete(n);
    this.patch({ footnotes: [...set].sort((a, b) => a - b) });
  }

  private onAddFootnoteKey(event: KeyboardEvent): void {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    this.onAddFootnote(event);
  }

  private onAddFootnote(event: Event): void {
    const input = event.target as HTMLInputElement;
    const n = Number(input.value.trim());
    if (input.value.trim() === '') return;
    if (!Number.isInteger(n) || !this.allFootnotes.includes(n)) {
      this.error = `The chapter has no footnote ${input.value.trim()}.`;
      return;
    }
    input.value = '';
    this.toggleFootnote(n, true);
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Escape') {
      event.preventDefault();
      this.cancel();
    } else if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      this.submit(event);
    }
  }

  private submit(event: Event): void {
    event.preventDefault();
    const d = this.current;
    if (d.category === 'problem' && d.problemType === null) {
      this.error = 'Choose the type of problem.';
      return;
    }
    if (d.category === 'comment' && d.note.trim() === '') {
      this.error = 'Write the comment first.';
      return;
    }
    this.dispatchEvent(new CustomEvent<AnnotationDraft>(EDITOR_SUBMIT, { detail: { ...d, note: d.note.trim(), correction: d.correction.trim() }, bubbles: true, composed: true }));
  }

  private cancel(): void {
    this.dispatchEvent(new CustomEvent(EDITOR_CANCEL, { bubbles: true, composed: true }));
  }
}

customElements.define('ap-annotation-editor', ApAnnotationEditor);
