import { LitElement, css, html } from 'lit';
import { can, canEditAnnotation, canSetStatus } from '../../schema/index.ts';
import type { Role } from '../../schema/index.ts';
import { labelOf } from '../../schema/index.ts';
import type { AnnotationStatus } from '../../schema/index.ts';
import { CATEGORY_LABELS, highlightCategory, statusLabel } from '../model/annotation-view.ts';
import type { AnnotationView } from '../model/annotation-view.ts';
import { sendAnnotationAction } from './app-events.ts';
import type { AnnotationAction } from './app-events.ts';
import './ap-time.ts';
import { sharedStyles } from './shared-styles.ts';
import './ap-thread.ts';

type StatusButton = { label: string; status: AnnotationStatus; primary?: boolean };

/** The status changes offered for an annotation in its current status. */
function statusButtons(a: AnnotationView): StatusButton[] {
  if (a.status !== 'open') return a.status === 'applied' ? [] : [{ label: 'Reopen', status: 'open' }];
  if (a.kind === 'problem') return [{ label: 'Accept', status: 'resolved', primary: true }, { label: 'Reject', status: 'rejected' }];
  return [{ label: 'Resolve', status: 'resolved', primary: true }];
}

const ANCHOR_NOTES: Record<string, string> = {
  orphaned: 'The annotated text was deleted. Original quote:',
  degraded: 'The annotated text has changed since. Original quote:',
  relocated: 'Found again after the text was edited.',
};

/**
 * One annotation in the sidebar. Collapsed it shows the tag, the quote, the note, linked
 * footnotes and the reply count; expanded (when opened) the whole thread and the actions
 * the user's role allows: resolve/reopen, accept/reject, apply correction, edit, delete.
 */
export class ApAnnotationCard extends LitElement {
  static override properties = {
    annotation: { attribute: false },
    expanded: { type: Boolean, reflect: true },
    active: { attribute: false },
    role: { attribute: false },
    userId: { attribute: false },
    confirmingDelete: { state: true },
  };
  declare annotation: AnnotationView;
  declare expanded: boolean;
  declare active: boolean;
  declare role: Role;
  declare userId: string;
  declare confirmingDelete: boolean;
  /** Set when the user opened the card from its button, so focus can follow into the open card. */
  private focusWhenOpen = false;

  constructor() {
    super();
    this.expanded = false;
    this.active = false;
    this.role = 'viewer';
    this.userId = '';
    this.confirmingDelete = false;
  }

  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      article {
        position: relative;
        background: var(--ap-surface);
        border: 1px solid var(--ap-rule);
        border-radius: var(--ap-radius);
        padding: 11px 12px 11px 15px;
        display: grid;
        gap: 7px;
        cursor: pointer;
        transition: border-color 0.12s ease, box-shadow 0.12s ease;
      }
      article::before { content: ''; position: absolute; left: -1px; top: -1px; bottom: -1px; width: 4px; border-radius: var(--ap-radius) 0 0 var(--ap-radius); background: var(--cat-ink); }
      article:hover { border-color: var(--ap-rule-strong); }
      article:focus { outline: none; }
      article:focus-visible { outline: 2px solid var(--ap-focus); outline-offset: 2px; }
      article.active { border-color: var(--cat-ink); box-shadow: 0 0 0 1px var(--cat-ink), var(--ap-shadow); cursor: default; }
      article.closed { background: var(--ap-surface-sunk); }
      .head { display: flex; align-items: center; gap: 6px; min-width: 0; }
      .open-btn { all: unset; position: absolute; inset: 0; border-radius: var(--ap-radius); }
      .open-btn:focus-visible { outline: 2px solid var(--ap-focus); outline-offset: 1px; }
      .who { margin-left: auto; font: 12px/1.2 var(--ap-sans); color: var(--ap-muted); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
      .who b { color: var(--ap-ink-soft); font-weight: 600; }
      .status { font: 600 11px/1 var(--ap-sans); padding: 3px 6px; border-radius: 4px; background: var(--ap-surface-sunk); color: var(--ap-ink-soft); border: 1px solid var(--ap-rule); }
      .status.applied { color: var(--ap-ok); border-color: currentColor; }
      .status.rejected { color: var(--ap-muted); }
      .assistant { font: 600 11px/1 var(--ap-sans); color: #5a3f99; }
      blockquote { margin: 0; font-size: 14px; line-height: 1.5; }
      :host(:not([expanded])) blockquote { display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; }
      .note { margin: 0; font: 13.5px/1.5 var(--ap-sans); white-space: pre-wrap; overflow-wrap: anywhere; }
      :host(:not([expanded])) .note { display: -webkit-box; -webkit-line-clamp: 3; -webkit-box-orient: vertical; overflow: hidden; }
      .correction { margin: 0; font: 13.5px/1.45 var(--ap-serif); padding: 6px 9px; border-radius: 6px; background: #eef6ef; color: #1c4d2b; }
      .correction b { font: 600 11px/1 var(--ap-sans); letter-spacing: 0.06em; text-transform: uppercase; display: block; margin-bottom: 3px; color: var(--ap-ok); }
      .correction.deletion { background: var(--ap-danger-bg); color: var(--ap-danger); }
      .correction.deletion b { color: var(--ap-danger); }
      .anchor-note { margin: 0; font: 12.5px/1.4 var(--ap-sans); color: var(--ap-warning); background: var(--ap-warning-bg); padding: 5px 8px; border-radius: 6px; }
      .foot { display: flex; align-items: center; gap: 6px; flex-wrap: wrap; font: 12px/1 var(--ap-sans); color: var(--ap-muted); }
      .fn { font: 600 11.5px/1 var(--ap-sans); color: var(--ap-link); background: #eef3fb; padding: 3px 6px; border-radius: 4px; }
      .replies { margin-left: auto; }
      .actions { display: flex; flex-wrap: wrap; gap: 6px; padding-top: 4px; border-top: 1px solid var(--ap-rule); position: relative; }
      .actions .right { margin-left: auto; display: flex; gap: 6px; }
      .expanded-only { position: relative; }
      .confirm { display: flex; gap: 6px; align-items: center; font-size: 12.5px; color: var(--ap-danger); }
    `,
  ];

  override render() {
    const a = this.annotation;
    const category = highlightCategory(a);
    const closed = a.status !== 'open';
    return html`<article
      class="cat-${category} ${this.active ? 'active' : ''} ${closed ? 'closed' : ''}"
      data-annotation-id=${a.id}
      data-anchor-state=${a.anchorState}
      aria-label=${this.describe()}
      tabindex="-1"
      @keydown=${this.onKeydown}
      @mouseenter=${() => this.send({ type: 'hover', id: a.id })}
      @mouseleave=${() => this.send({ type: 'hover', id: null })}
    >
      ${this.expanded ? null : html`<button class="open-btn" type="button" aria-label=${`Open: ${this.describe()}`} @click=${this.openFromButton}></button>`}
      <div class="head">
        <span class="badge">${CATEGORY_LABELS[category]}${a.problemType ? html` · ${labelOf('problem-type', a.problemType)}` : null}</span>
        ${closed ? html`<span class="status ${a.status}" title=${a.statusByName ? `by ${a.statusByName}` : ''}>${statusLabel(a, (s) => labelOf('status', s))}</span>` : null}
        ${a.suggested ? html`<span class="assistant" title="Suggested by the assistant">✦ Assistant</span>` : null}
        <span class="who"><b>${a.authorName}</b> · <ap-time .at=${a.created}></ap-time></span>
      </div>
      ${a.anchorState !== 'anchored' ? html`<p class="anchor-note">${ANCHOR_NOTES[a.anchorState]}</p>` : null}
      <blockquote class="quote">“${a.quote}”</blockquote>
      ${a.appliedOriginal ? html`<p class="anchor-note">${a.correction === '' ? 'Deletion applied; the text read' : 'Correction applied; the text read'} “${a.appliedOriginal}”.</p>` : null}
      ${a.correction && !a.appliedOriginal ? html`<p class="correction"><b>Proposed correction</b>${a.correction}</p>` : null}
      ${a.correction === '' && !a.appliedOriginal ? html`<p class="correction deletion"><b>Proposed deletion</b><del>${a.quote}</del></p>` : null}
      ${a.note ? html`<p class="note">${a.note}</p>` : null}
      ${this.renderFoot()}
      ${this.expanded ? this.renderExpanded() : null}
    </article>`;
  }

  private renderFoot() {
    const a = this.annotation;
    if (a.footnotes.length === 0 && a.replies.length === 0) return null;
    return html`<div class="foot">
      ${a.footnotes.map((n) => html`<span class="fn" title=${`Linked to footnote ${n}`}>fn ${n}</span>`)}
      ${a.replies.length > 0 && !this.expanded ? html`<span class="replies">${a.replies.length} ${a.replies.length === 1 ? 'reply' : 'replies'}</span>` : null}
    </div>`;
  }

  private renderExpanded() {
    const a = this.annotation;
    const own = a.authorId === this.userId;
    const mayEdit = canEditAnnotation(this.role, own);
    const maySetStatus = canSetStatus(this.role, own);
    const mayApply = a.kind === 'problem' && a.status === 'resolved' && a.correction !== null && a.anchorState !== 'orphaned' && can(this.role, 'apply-correction');
    const deletion = a.correction === '';
    return html`<div class="expanded-only">
        <ap-thread .annotationId=${a.id} .replies=${a.replies} .userId=${this.userId} .canReply=${can(this.role, 'reply')} .canModerate=${can(this.role, 'edit-others')}></ap-thread>
      </div>
      ${maySetStatus || mayEdit || mayApply
        ? html`<div class="actions">
            ${maySetStatus ? statusButtons(a).map((b) => html`<button class="btn btn--small ${b.primary ? 'btn--primary' : ''}" type="button" @click=${() => this.send({ type: 'set-status', id: a.id, status: b.status })}>${b.label}</button>`) : null}
            ${mayApply
              ? html`<button class="btn btn--small btn--primary" type="button" title=${deletion ? 'Delete the annotated passage from the text' : 'Replace the annotated text with the proposed correction'} @click=${() => this.send({ type: 'apply-correction', id: a.id })}>
                  ${deletion ? 'Apply deletion' : 'Apply correction'}
                </button>`
              : null}
            ${mayEdit ? this.renderEditActions() : null}
          </div>`
        : null}`;
  }

  private renderEditActions() {
    const id = this.annotation.id;
    if (this.confirmingDelete) {
      return html`<span class="right confirm" role="group" aria-label="Confirm deletion">Delete this annotation?
        <button class="btn btn--small btn--danger" type="button" @click=${() => this.send({ type: 'delete', id })}>Delete</button>
        <button class="btn btn--small" type="button" @click=${() => (this.confirmingDelete = false)}>Keep</button>
      </span>`;
    }
    return html`<span class="right">
      <button class="btn btn--small btn--quiet" type="button" @click=${() => this.send({ type: 'edit', id })}>Edit</button>
      <button class="btn btn--small btn--quiet btn--danger" type="button" @click=${() => (this.confirmingDelete = true)}>Delete</button>
    </span>`;
  }

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('expanded') && this.expanded && this.focusWhenOpen) {
      this.focusWhenOpen = false;
      // The open button is gone once the card opens: keep keyboard focus in the card.
      this.renderRoot.querySelector<HTMLElement>('article')?.focus({ preventScroll: true });
    }
  }

  private openFromButton(): void {
    this.focusWhenOpen = true;
    this.send({ type: 'open', id: this.annotation.id });
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Escape' || !this.expanded) return;
    event.stopPropagation();
    this.send({ type: 'close' });
  }

  private describe(): string {
    const a = this.annotation;
    const category = CATEGORY_LABELS[highlightCategory(a)];
    return `${category} by ${a.authorName}: ${a.quote.slice(0, 80)}`;
  }

  private send(action: AnnotationAction): void {
    sendAnnotationAction(this, action);
  }
}

customElements.define('ap-annotation-card', ApAnnotationCard);
