import { LitElement, css, html } from 'lit';
import type { FootnoteReport } from '../model/footnote-report.ts';
import { CATEGORY_LABELS, highlightCategory } from '../model/annotation-view.ts';
import type { AnnotationView } from '../model/annotation-view.ts';
import { sendAnnotationAction } from './app-events.ts';
import { FOOTNOTE_JUMP, sendFootnoteEvent } from '../editor/footnote-events.ts';
import type { FootnoteJumpDetail } from '../editor/footnote-events.ts';
import { sharedStyles } from './shared-styles.ts';

/**
 * The footnote panel: sourced claims that cite no footnote, footnotes that no claim cites,
 * and for every footnote the claims linked to it. Claims open on click; footnote numbers
 * jump to the footnote.
 */
export class ApFootnotePanel extends LitElement {
  static override properties = { report: { attribute: false } };
  declare report: FootnoteReport | null;

  constructor() {
    super();
    this.report = null;
  }

  static override styles = [
    sharedStyles,
    css`
      :host { display: grid; gap: 18px; }
      h3 { font: 600 12px/1.2 var(--ap-sans); letter-spacing: 0.06em; text-transform: uppercase; color: var(--ap-ink-soft); margin: 0 0 8px; display: flex; gap: 6px; align-items: center; }
      .n { font-variant-numeric: tabular-nums; color: var(--ap-muted); }
      .warn h3 { color: var(--ap-warning); }
      ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 6px; }
      .claim { all: unset; display: flex; gap: 8px; align-items: baseline; cursor: pointer; padding: 5px 7px; border-radius: 6px; font: 13.5px/1.4 var(--ap-serif); color: var(--ap-ink-soft); width: 100%; box-sizing: border-box; }
      .claim:hover { background: var(--ap-surface-sunk); }
      .claim:focus-visible { outline: 2px solid var(--ap-focus); }
      .claim::before { content: ''; flex: none; width: 8px; height: 8px; border-radius: 50%; background: var(--cat-ink); transform: translateY(-1px); }
      .claim span { display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; }
      .numbers { display: flex; flex-wrap: wrap; gap: 6px; }
      .num { all: unset; cursor: pointer; font: 600 12px/1 var(--ap-sans); color: var(--ap-link); background: #eef3fb; padding: 5px 7px; border-radius: 5px; }
      .num:hover { text-decoration: underline; }
      .num:focus-visible { outline: 2px solid var(--ap-focus); }
      .note { border: 1px solid var(--ap-rule); border-radius: var(--ap-radius); background: var(--ap-surface); padding: 9px 10px; display: grid; gap: 6px; }
      .note-head { display: flex; gap: 8px; align-items: baseline; }
      .note-text { font: 13px/1.45 var(--ap-serif); color: var(--ap-ink-soft); display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; }
      .empty { font: 13px/1.4 var(--ap-sans); color: var(--ap-muted); margin: 0; }
    `,
  ];

  override render() {
    const r = this.report;
    if (!r) return html`<p class="empty">The chapter is loading.</p>`;
    return html`<section class=${r.unsupported.length > 0 ? 'warn' : ''} aria-labelledby="unsupported-h">
        <h3 id="unsupported-h">Sourced claims without a footnote <span class="n">${r.unsupported.length}</span></h3>
        ${r.unsupported.length === 0 ? html`<p class="empty">Every sourced claim links a footnote.</p>` : html`<ul>${r.unsupported.map((a) => html`<li>${this.renderClaim(a)}</li>`)}</ul>`}
      </section>
      <section aria-labelledby="uncited-h">
        <h3 id="uncited-h">Footnotes no claim cites <span class="n">${r.uncited.length}</span></h3>
        ${r.uncited.length === 0 ? html`<p class="empty">Every footnote is cited by a claim.</p>` : html`<div class="numbers">${r.uncited.map((f) => html`<button class="num" type="button" title=${f.text} @click=${() => this.jump(f.n)}>${f.n}</button>`)}</div>`}
      </section>
      <section aria-labelledby="all-h">
        <h3 id="all-h">Claims by footnote</h3>
        <ul>
          ${r.footnotes.filter((f) => f.claims.length > 0).map(
            (f) => html`<li class="note">
              <div class="note-head"><button class="num" type="button" aria-label=${`Go to footnote ${f.n}`} @click=${() => this.jump(f.n)}>${f.n}</button><span class="note-text">${f.text}</span></div>
              <ul>${f.claims.map((a) => html`<li>${this.renderClaim(a)}</li>`)}</ul>
            </li>`,
          )}
        </ul>
        ${r.footnotes.every((f) => f.claims.length === 0) ? html`<p class="empty">No claim links a footnote yet. Select a sentence and press 1 to tag it as sourced.</p>` : null}
      </section>`;
  }

  private renderClaim(a: AnnotationView) {
    const category = highlightCategory(a);
    return html`<button class="claim cat-${category}" type="button" title=${CATEGORY_LABELS[category]} @click=${() => sendAnnotationAction(this, { type: 'open', id: a.id })}><span>${a.quote}</span></button>`;
  }

  private jump(n: number): void {
    sendFootnoteEvent<FootnoteJumpDetail>(this, FOOTNOTE_JUMP, { n, to: 'note' });
  }
}

customElements.define('ap-footnote-panel', ApFootnotePanel);
