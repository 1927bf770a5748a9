import { LitElement, css, html } from 'lit';
import { sharedStyles } from './shared-styles.ts';
import { TOOLBAR_CHOICE } from './app-events.ts';
import type { ToolbarChoice } from './app-events.ts';
import { moveTo, placeFloating } from './floating-position.ts';
import { isCoarsePointer } from './layout-mode.ts';

/** Below this width the toolbar is docked at the bottom of the screen (its CSS), not placed by the selection. */
const DOCKED_QUERY = '(max-width: 599px)';

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
      /* Touch: no keyboard to hint at, and fingers need taller targets; a phone needs it narrower. */
      @media (hover: none) {
        kbd { display: none; }
        button { padding: 11px 9px; }
      }
      /* A phone: docked above the sidebar's tabs, full width, one column per choice. */
      @media (max-width: 599px) {
        :host { left: 8px; right: 8px; top: auto; bottom: calc(var(--ap-sheet-peek, 58px) + 8px + env(safe-area-inset-bottom)); transform: none !important; }
        .bar { gap: 0; padding: 4px; }
        button { flex: 1 1 0; min-width: 0; flex-direction: column; gap: 5px; padding: 9px 2px 8px; font-size: 11.5px; }
        .sep { margin: 6px 1px; }
        /* A selection in the lower half of the screen: docked under the header instead, off the selection. */
        :host([at-top]) { top: calc(var(--ap-header-height) + 8px); bottom: auto; }
      }
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
    if (matchMedia(DOCKED_QUERY).matches) {
      this.toggleAttribute('at-top', this.anchorRect.top + this.anchorRect.height / 2 > innerHeight / 2);
      return;
    }
    const size = this.getBoundingClientRect();
    // A phone shows its own copy/select-all menu above a touch selection: keep out of its way.
    const prefer = isCoarsePointer() ? 'below' : 'above';
    moveTo(this, placeFloating(this.anchorRect, { width: size.width, height: size.height }, { width: innerWidth, height: innerHeight }, prefer));
  }

  private choose(choice: ToolbarChoice): void {
    this.dispatchEvent(new CustomEvent<ToolbarChoice>(TOOLBAR_CHOICE, { detail: choice, bubbles: true, composed: true }));
  }
}

customElements.define('ap-selection-toolbar', ApSelectionToolbar);
