import { LitElement, css, html } from 'lit';
import { moveTo, placeFloating } from './floating-position.ts';
import { sharedStyles } from './shared-styles.ts';

/** What the preview shows: a footnote's number and text, next to its marker. */
export interface FootnotePeek {
  n: number;
  text: string;
  rect: DOMRect;
}

/** The footnote preview that appears while a footnote marker is hovered or focused. */
export class ApFootnotePreview extends LitElement {
  static override properties = { peek: { attribute: false } };
  declare peek: FootnotePeek | null;

  constructor() {
    super();
    this.peek = null;
  }

  static override styles = [
    sharedStyles,
    css`
      :host { position: fixed; left: 0; top: 0; z-index: 43; pointer-events: none; }
      .preview { max-width: 420px; background: var(--ap-surface); color: var(--ap-ink-soft); border: 1px solid var(--ap-rule); border-radius: var(--ap-radius); box-shadow: var(--ap-shadow-pop); padding: 10px 14px 11px; font: 14px/1.5 var(--ap-serif); }
      .n { font: 600 11px/1 var(--ap-sans); letter-spacing: 0.08em; text-transform: uppercase; color: var(--ap-muted); display: block; margin-bottom: 5px; }
      .hint { display: block; margin-top: 6px; font: 12px/1.3 var(--ap-sans); color: var(--ap-muted); }
    `,
  ];

  override render() {
    const peek = this.peek;
    if (!peek) return html``;
    return html`<div class="preview" role="tooltip" id="footnote-preview">
      <span class="n">Footnote ${peek.n}</span>${peek.text || html`<em>This footnote is missing from the chapter.</em>`}
      <span class="hint">Click or press Enter to go to the footnote</span>
    </div>`;
  }

  override updated(): void {
    this.hidden = this.peek === null;
    if (!this.peek) return;
    const size = this.getBoundingClientRect();
    moveTo(this, placeFloating(this.peek.rect, { width: size.width, height: size.height }, { width: innerWidth, height: innerHeight }, 'below'));
  }
}

customElements.define('ap-footnote-preview', ApFootnotePreview);
