import { LitElement, css, html, nothing } from 'lit';
import type { AlphaResult } from '../../schema/index.ts';
import type { ReportedChapterLine } from './seminar-overview-api.ts';
import { sharedStyles } from '../components/shared-styles.ts';
import { SEMINAR_HASH } from './seminar-controller.ts';
import { alphaVerdict, formatAlpha, seminarStyles } from './seminar-styles.ts';

/**
 * The chapters of a seminar's overview, one line each: who wrote there, how much, and how far
 * its readers agree on claims (alpha with its pairable values), with links to the chapter and
 * to its own seminar view (live, with the heat strip and blind rounds).
 */
export class ApChapterLines extends LitElement {
  static override properties = { lines: { attribute: false } };
  declare lines: readonly ReportedChapterLine[];

  constructor() {
    super();
    this.lines = [];
  }

  static override styles = [
    sharedStyles,
    seminarStyles,
    css`
      :host { display: block; }
      .scroll { overflow-x: auto; }
      table { width: 100%; border-collapse: collapse; font-size: 13.5px; }
      th, td { padding: 9px 10px; border-bottom: 1px solid var(--ap-rule); text-align: right; white-space: nowrap; }
      th:first-child, td:first-child { text-align: left; padding-left: 18px; white-space: normal; }
      th:last-child, td:last-child { padding-right: 18px; }
      thead th { font: 600 11px/1 var(--ap-sans); letter-spacing: 0.05em; text-transform: uppercase; color: var(--ap-muted); background: var(--ap-surface-sunk); }
      tbody tr:last-child td { border-bottom: 0; }
      .title { font: 600 14.5px/1.3 var(--ap-serif); color: var(--ap-accent); text-decoration: none; }
      .title:hover { text-decoration: underline; }
      .archived { font: 600 10px/1 var(--ap-sans); letter-spacing: 0.06em; text-transform: uppercase; color: var(--ap-muted); border: 1px solid var(--ap-rule-strong); border-radius: 4px; padding: 3px 5px; margin-left: 6px; vertical-align: 2px; }
      .alpha { display: inline-flex; align-items: baseline; gap: 8px; justify-content: flex-end; }
      .alpha b { font: 600 15px/1 var(--ap-serif); font-variant-numeric: tabular-nums; color: var(--ap-accent); }
      .tone { font: 600 10.5px/1 var(--ap-sans); padding: 3px 6px; border-radius: 999px; }
      .good { background: #e4f3e8; color: var(--ap-ok); } .fair { background: var(--ap-warning-bg); color: var(--ap-warning); } .poor { background: var(--ap-danger-bg); color: var(--ap-danger); }
      /* Upper-cased, α would read as a Latin A. */
      .greek { text-transform: none; }
      .na { color: var(--ap-muted); font-size: 12.5px; }
      .pairable { color: var(--ap-muted); font-size: 12px; }
      a.view { color: var(--ap-link); font-size: 12.5px; }
      .empty { padding: 22px 18px; color: var(--ap-muted); text-align: center; }
      .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
      /* Phone: each chapter a small card, the labels from data-label. */
      @media (max-width: 640px) {
        thead { display: none; }
        table, tbody, tr, td { display: block; width: 100%; }
        tr { padding: 10px 18px; border-bottom: 1px solid var(--ap-rule); }
        tbody tr:last-child { border-bottom: 0; }
        td, td:first-child, td:last-child { border: 0; padding: 3px 0; display: flex; justify-content: space-between; gap: 12px; white-space: normal; }
        td:first-child { display: block; padding-bottom: 6px; }
        td[data-label]::before { content: attr(data-label); color: var(--ap-muted); font-size: 12.5px; }
      }
    `,
  ];

  override render() {
    if (this.lines.length === 0) return html`<p class="empty">This seminar has no chapters yet.</p>`;
    return html`<div class="scroll" role="region" aria-label="Chapters" tabindex="0">
      <table>
        <thead>
          <tr><th scope="col">Chapter</th><th scope="col">Readers</th><th scope="col">Annotations</th><th scope="col">Claims</th><th scope="col">Agreement (<span class="greek">α</span>)</th><th scope="col"><span class="visually-hidden">Links</span></th></tr>
        </thead>
        <tbody>
          ${this.lines.map(
            (line) => html`<tr data-chapter=${line.chapter.id}>
              <td><a class="title" href=${`/r/${encodeURIComponent(line.chapter.id)}`}>${line.chapter.title}</a>${line.archived ? html`<span class="archived">archived</span>` : nothing}</td>
              <td class="num" data-label="Readers">${line.people}</td>
              <td class="num" data-label="Annotations">${line.annotations}</td>
              <td class="num" data-label="Claims">${line.claims}</td>
              <td data-label="Agreement (α)" data-testid="chapter-line-alpha">${this.alpha(line.alpha, line.sentences)}</td>
              <td data-label="">${this.viewLink(line)}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  private viewLink(line: ReportedChapterLine) {
    return html`<a class="view" href=${`/r/${encodeURIComponent(line.chapter.id)}${SEMINAR_HASH}`} aria-label=${`Seminar view of ${line.chapter.title}`}>Seminar view</a>`;
  }

  private alpha(result: AlphaResult, sentences: number) {
    const pairable = html`<span class="pairable" title=${`${result.pairableUnits} of ${sentences} sentences judged by two or more readers`}>${result.pairable} pairable</span>`;
    if (!result.computable) return html`<span class="alpha"><span class="na" title=${result.reason === 'too-few-values' ? 'Fewer than two pairable values' : 'Every pairable value is the same status'}>not computable</span>${pairable}</span>`;
    const verdict = alphaVerdict(result.alpha);
    return html`<span class="alpha"><b>${formatAlpha(result.alpha)}</b><span class="tone ${verdict.tone}">${verdict.label}</span>${pairable}</span>`;
  }
}

customElements.define('ap-chapter-lines', ApChapterLines);
