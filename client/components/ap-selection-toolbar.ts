import { LitElement, css, html } from 'lit';
import { sharedStyles } from './shared-styles.ts';
import { TOOLBAR_CHOICE } from './app-events.ts';
import type { ToolbarChoice } from './app-events.ts';
import { moveTo, placeFloating } from './floating-position.ts';

const CHOICES: Array<{ choice: ToolbarChoice; label: string; key: string; title: string }> = [
  { choice: 'sourced', label: 'Sourced', key: '1', title: 'Tag as a claim supported by its sources' },
  { choice: 'contested', label: 'Contested', key: '2', title: 'Tag as a claim disputed by other sources' },
  { choice: 'interpretive', label: 'Interpretive', key: '3', title: 'Tag as the author’s interpretation' },
  { choice: 'problem', label: 'Problem…', key: 'P', title: 'Record a textual problem and propose a correction' },
  { choice: 'comment', label: 'Comment', key: 'C', title: 'Add a comment on the passage' },
];

/**
 * The small toolbar over a text selection: Sourced, Contested, Interpretive, Problem…,
 * Comment, with their keys (1/2/3/P/C; Esc cancels). Clicking keeps the text selection.
 */
export class ApSelectionToolbar extends LitElement {
  static override properties = { anchorRect: { attribute: false } };
  /** The selection's bounding box in viewport pixels, or null to hide the toolbar. */
  declare anchorRect: DOMRect | null;

  constructor() {
    super();
    this.anchorRect = null;
  }

  static override styles = [
    sharedStyles,
    css`
      :host { position: fixed; left: 0; top: 0; z-index: 45; }
      :host([hidden]) { display: none; }
      .bar {
        display: flex;
        gap: 2px;
        padding: 4px;
        background: var(--ap-accent);
        border-radius: 10px;
        box-shadow: var(--ap-shadow-pop);
      }
      button {
        display: inline-flex;
        align-items: center;
        gap: 7px;
        font: 500 13px/1 var(--ap-sans);
        color: #fff;
        background: transparent;
        border: 0;
        border-radius: 7px;
        padding: 7px 9px;
        cursor: pointer;
        white-space: nowrap;
      }
      button:hover, button:focus-visible { background: rgba(255, 255, 255, 0.14); }
      button:focus-visible { outline: 2px solid #fff; outline-offset: -2px; }
      .dot { width: 9px; height: 9px; border-radius: 50%; background: var(--dot); box-shadow: 0 0 0 1.5px rgba(255, 255, 255, 0.85); }
      .sourced { --dot: #3fae62; }
      .contested { --dot: #f0a03a; }
      .interpretive { --dot: #8f8af5; }
      .problem { --dot: #f26a62; }
      .comment { --dot: #f2d24a; }
      kbd { color: #fff; opacity: 0.7; border-color: rgba(255, 255, 255, 0.6); }
      .sep { width: 1px; background: rgba(255, 255, 255, 0.2); margin: 4px 3px; }
    `,
  ];

  override render() {
    return html`<div class="bar" role="toolbar" aria-label="Annotate the selection" @mousedown=${(e: Event) => e.preventDefault()}>
      ${CHOICES.map(
        (c, i) => html`${i === 3 ? html`<span class="sep" aria-hidden="true"></span>` : null}
          <button type="button" class=${c.choice} title=${`${c.title} (${c.key})`} aria-keyshortcuts=${c.key} data-choice=${c.choice} @click=${() => this.choose(c.choice)}>
            <span class="dot" aria-hidden="true"></span>${c.label}<kbd aria-hidden="true">${c.key}</kbd>
          </button>`,
      )}
    </div>`;
  }

  override updated(): void {
    this.hidden = this.anchorRect === null;
    if (!this.anchorRect) return;
    const size = this.getBoundingClientRect();
    moveTo(this, placeFloating(this.anchorRect, { width: size.width, height: size.height }, { width: innerWidth, height: innerHeight }));
  }

  private choose(choice: ToolbarChoice): void {
    this.dispatchEvent(new CustomEvent<ToolbarChoice>(TOOLBAR_CHOICE, { detail: choice, bubbles: true, composed: true }));
  }
}

customElements.define('ap-selection-toolbar', ApSelectionToolbar);
