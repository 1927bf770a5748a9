import { LitElement, css, html } from 'lit';
import { labelOf } from '../../schema/index.ts';
import { CATEGORY_LABELS, highlightCategory, statusLabel } from '../model/annotation-view.ts';
import type { AnnotationView } from '../model/annotation-view.ts';
import { moveTo, placeFloating } from './floating-position.ts';
import { sharedStyles } from './shared-styles.ts';

const MAX_SHOWN = 3;

/**
 * The summary shown while the pointer rests on a highlight: for each annotation there
 * (overlaps included) its tag, author, note and replies, and a hint that a click opens it.
 */
export class ApHoverCard extends LitElement {
  static override properties = { annotations: { attribute: false }, anchorRect: { attribute: false } };
  declare annotations: AnnotationView[];
  declare anchorRect: DOMRect | null;

  constructor() {
    super();
    this.annotations = [];
    this.anchorRect = null;
  }

  static override styles = [
    sharedStyles,
    css`
      :host { position: fixed; left: 0; top: 0; z-index: 42; pointer-events: none; }
      /* A finger has no hover: a tap opens the annotation in the sidebar instead. */
      @media (hover: none) { :host { display: none; } }
      .card { width: 320px; background: var(--ap-surface); border: 1px solid var(--ap-rule); border-radius: var(--ap-radius); box-shadow: var(--ap-shadow-pop); padding: 10px 12px; display: grid; gap: 10px; }
      .item { display: grid; gap: 5px; }
      .item + .item { border-top: 1px solid var(--ap-rule); padding-top: 9px; }
      .head { display: flex; gap: 6px; align-items: center; font: 12px/1.2 var(--ap-sans); color: var(--ap-muted); }
      .head b { color: var(--ap-ink-soft); }
      .note { margin: 0; font: 13px/1.45 var(--ap-sans); color: var(--ap-ink); display: -webkit-box; -webkit-line-clamp: 3; -webkit-box-orient: vertical; overflow: hidden; white-space: pre-wrap; }
      .correction { margin: 0; font: 13px/1.4 var(--ap-serif); color: #1c4d2b; }
      .correction.deletion { color: var(--ap-danger); display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; }
      .hint { font: 11.5px/1.2 var(--ap-sans); color: var(--ap-muted); }
    `,
  ];

  override render() {
    if (this.annotations.length === 0 || !this.anchorRect) return html``;
    const shown = this.annotations.slice(0, MAX_SHOWN);
    return html`<div class="card" role="tooltip">
      ${shown.map((a) => {
        const category = highlightCategory(a);
        return html`<div class="item">
          <div class="head">
            <span class="badge cat-${category}">${CATEGORY_LABELS[category]}${a.problemType ? ` · ${labelOf('problem-type', a.problemType)}` : ''}</span>
            <span><b>${a.authorName}</b>${a.status !== 'open' ? ` · ${statusLabel(a, (s) => labelOf('status', s))}` : ''}${a.replies.length ? ` · ${a.replies.length} ${a.replies.length === 1 ? 'reply' : 'replies'}` : ''}</span>
          </div>
          ${a.note ? html`<p class="note">${a.note}</p>` : null}
          ${a.correction ? html`<p class="correction">→ ${a.correction}</p>` : null}
          ${a.correction === '' ? html`<p class="correction deletion">Proposed: delete <del>${a.quote}</del></p>` : null}
        </div>`;
      })}
      <span class="hint">${this.annotations.length > MAX_SHOWN ? `${this.annotations.length - MAX_SHOWN} more here · ` : ''}Click to open</span>
    </div>`;
  }

  override updated(): void {
    // Set only when it changes: writing the attribute, even unchanged, invalidates the card's style.
    const hidden = this.annotations.length === 0 || !this.anchorRect;
    if (this.hidden !== hidden) this.hidden = hidden;
    if (hidden || !this.anchorRect) return;
    const size = this.getBoundingClientRect();
    moveTo(this, placeFloating(this.anchorRect, { width: size.width, height: size.height }, { width: innerWidth, height: innerHeight }, 'below'));
  }
}

customElements.define('ap-hover-card', ApHoverCard);
