import { LitElement, css, html, nothing } from 'lit';
import { describeUndefinedAlpha, labelOf } from '../../schema/index.ts';
import type { AgreementReport, AlphaResult, SentenceDisagreement } from '../../schema/index.ts';
import { sharedStyles } from '../components/shared-styles.ts';
import { HEAT_JUMP } from './ap-heat-strip.ts';
import { alphaVerdict, formatAlpha, seminarStyles } from './seminar-styles.ts';

/**
 * Agreement between readers on claim tags: Krippendorff's alpha for the chapter with the number
 * of pairable values, the sentences the readers disagree on most (who said what: the seminar's
 * agenda), and how much of the chapter each pair of readers both tagged.
 */
export class ApAgreementPanel extends LitElement {
  static override properties = {
    report: { attribute: false },
    paragraphNumbers: { attribute: false },
    scope: { attribute: false },
    place: { attribute: false },
    coverageOpen: { state: true },
  };
  declare report: AgreementReport | null;
  /** The number each paragraph has in the heat strip, by block index (counted in reading order). */
  declare paragraphNumbers: ReadonlyMap<number, number>;
  /** What the sentences are of: one chapter, or every chapter of a seminar (the wording follows). */
  declare scope: 'chapter' | 'seminar';
  /**
   * Where a listed sentence is, as a link (a seminar's sentences are in other pages); null: the
   * entry is a button that shows the sentence's paragraph in this page (HEAT_JUMP).
   */
  declare place: ((item: SentenceDisagreement) => { href: string; where: string }) | null;
  /** Whether the coverage table is shown; null until the user chooses (open for up to 12 readers). */
  declare coverageOpen: boolean | null;

  constructor() {
    super();
    this.report = null;
    this.paragraphNumbers = new Map();
    this.scope = 'chapter';
    this.place = null;
    this.coverageOpen = null;
  }

  static override styles = [
    sharedStyles,
    seminarStyles,
    css`
      :host { display: block; }
      .grid { display: grid; grid-template-columns: minmax(220px, 280px) minmax(0, 1fr); gap: 0; }
      .alpha { padding: 6px 18px 18px; border-right: 1px solid var(--ap-rule); display: grid; gap: 8px; align-content: start; }
      .value { font: 600 44px/1 var(--ap-serif); color: var(--ap-accent); font-variant-numeric: tabular-nums; letter-spacing: -0.01em; }
      .value small { font: 500 18px/1 var(--ap-serif); color: var(--ap-muted); margin-right: 4px; font-style: italic; }
      .verdict { justify-self: start; font: 600 11.5px/1 var(--ap-sans); padding: 5px 9px; border-radius: 999px; letter-spacing: 0.02em; }
      .good { background: #e4f3e8; color: var(--ap-ok); } .fair { background: var(--ap-warning-bg); color: var(--ap-warning); } .poor { background: var(--ap-danger-bg); color: var(--ap-danger); }
      .scale { position: relative; height: 6px; border-radius: 3px; background: linear-gradient(90deg, #f2c9c4 0 66.7%, #f6e3b0 66.7% 80%, #cfe8d6 80%); margin-top: 4px; }
      .scale i { position: absolute; top: -4px; width: 3px; height: 14px; border-radius: 2px; background: var(--ap-ink); }
      .scale-labels { display: flex; justify-content: space-between; font: 10.5px/1 var(--ap-sans); color: var(--ap-muted); }
      /* Upper-cased, α would read as a Latin A. */
      .greek { text-transform: none; }
      .na { font: 500 15px/1.35 var(--ap-serif); color: var(--ap-ink-soft); }
      dl { display: grid; grid-template-columns: auto 1fr; gap: 4px 10px; margin: 4px 0 0; font-size: 12.5px; }
      dt { color: var(--ap-muted); } dd { margin: 0; font-variant-numeric: tabular-nums; }
      .agenda { padding: 0 18px 16px; min-width: 0; }
      .agenda ol { margin: 8px 0 0; padding: 0; list-style: none; display: grid; gap: 10px; }
      .item { all: unset; box-sizing: border-box; color: inherit; text-decoration: none; display: grid; gap: 6px; width: 100%; padding: 10px 12px; border: 1px solid var(--ap-rule); border-radius: 8px; cursor: pointer; background: #fffdf9; }
      .item:hover { border-color: var(--ap-rule-strong); background: #fbf8f1; }
      .item:focus-visible { outline: 2px solid var(--ap-focus); outline-offset: 2px; }
      .sentence { font: italic 14px/1.45 var(--ap-serif); color: var(--ap-ink); display: -webkit-box; -webkit-line-clamp: 3; -webkit-box-orient: vertical; overflow: hidden; }
      .said { display: flex; flex-wrap: wrap; gap: 6px; }
      .where { font: 11.5px/1 var(--ap-sans); color: var(--ap-muted); }
      .coverage { padding: 0 18px 18px; border-top: 1px solid var(--ap-rule); }
      .coverage__head { padding: 14px 0 0; cursor: pointer; list-style-position: outside; }
      .coverage__head h3 { display: inline; }
      summary::marker { color: var(--ap-muted); }
      .coverage .scroll { overflow: auto; max-height: 420px; margin-top: 10px; }
      table { border-collapse: collapse; font-size: 12px; }
      th, td { padding: 4px 6px; text-align: center; font-variant-numeric: tabular-nums; }
      thead th { font-weight: 600; color: var(--ap-muted); writing-mode: vertical-rl; transform: rotate(180deg); text-align: left; max-height: 9em; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
      tbody th { text-align: left; font-weight: 600; white-space: nowrap; padding-right: 10px; max-width: 12em; overflow: hidden; text-overflow: ellipsis; }
      td { min-width: 34px; border: 1px solid #fff; border-radius: 3px; color: var(--ap-ink); }
      td.self { color: var(--ap-muted); background: var(--ap-surface-sunk); }
      .empty { padding: 0 18px 18px; }
      @media (max-width: 760px) {
        .grid { grid-template-columns: 1fr; }
        .alpha { border-right: 0; border-bottom: 1px solid var(--ap-rule); }
        .value { font-size: 38px; }
      }
    `,
  ];

  override render() {
    const report = this.report;
    if (!report) return nothing;
    return html`<div class="grid">
        <div class="alpha" data-testid="chapter-alpha">${this.alpha(report.chapter, report)}</div>
        <div class="agenda">
          <h3>Most disagreement</h3>
          ${report.disagreements.length === 0
            ? html`<p class="hint">No sentence has two readers who tagged it differently${report.readers.length < 2 ? ' (fewer than two readers tagged claims)' : ''}.</p>`
            : html`<ol aria-label="Sentences with most disagreement">${report.disagreements.map((item) => this.disagreement(item))}</ol>`}
        </div>
      </div>
      ${this.coverage(report)}`;
  }

  private alpha(result: AlphaResult, report: AgreementReport) {
    const details = html`<dl>
      <dt>pairable values</dt><dd data-testid="pairable">${result.pairable}</dd>
      <dt>sentences judged by ≥ 2</dt><dd>${result.pairableUnits} of ${report.sentences}</dd>
      <dt>readers</dt><dd>${report.readers.length}</dd>
    </dl>`;
    if (!result.computable) {
      return html`<h3>Krippendorff's <span class="greek">α</span> (nominal)</h3>
        <p class="na">${describeUndefinedAlpha(result.reason).replace(/^not computable: /, 'Not computable: ')}</p>
        ${details}`;
    }
    const verdict = alphaVerdict(result.alpha);
    const marker = Math.max(0, Math.min(1, result.alpha)) * 100;
    return html`<h3>Krippendorff's <span class="greek">α</span> (nominal)</h3>
      <div class="value" aria-label=${`alpha ${formatAlpha(result.alpha)}`}><small>α</small>${formatAlpha(result.alpha)}</div>
      <span class="verdict ${verdict.tone}">${verdict.label}</span>
      <div class="scale" aria-hidden="true"><i data-at=${marker}></i></div>
      <div class="scale-labels" aria-hidden="true"><span>0</span><span>.667</span><span>.8</span><span>1</span></div>
      ${details}`;
  }

  private disagreement(item: SentenceDisagreement) {
    const blockId = item.sentence.blockId;
    const share = `${Math.round(item.disagreement * 100)}% of pairs disagree`;
    const body = (where: string) => html`<span class="sentence">${item.sentence.text}</span>
      <span class="said">${item.said.map((s) => html`<span class="badge badge--plain cat-${s.status}"><b>${s.name}</b> ${labelOf('claim-status', s.status)}</span>`)}</span>
      <span class="where">${where} · ${share}</span>`;
    const place = this.place?.(item);
    if (place) return html`<li><a class="item" href=${place.href}>${body(place.where)}</a></li>`;
    return html`<li>
      <button class="item" type="button" @click=${() => blockId && this.dispatchEvent(new CustomEvent<string>(HEAT_JUMP, { detail: blockId, bubbles: true, composed: true }))}>
        ${body(`Paragraph ${this.paragraphNumbers.get(item.sentence.blockIndex) ?? '?'}, sentence ${item.sentence.ordinal + 1}`)}
      </button>
    </li>`;
  }

  private coverage(report: AgreementReport) {
    if (report.readers.length < 2) return nothing;
    // A table of every pair grows with the square of the class: closed by default for a large one
    // (and not drawn until opened, so a remote change does not redraw 900 cells nobody looks at).
    const open = this.coverageOpen ?? report.readers.length <= 12;
    return html`<details class="coverage" ?open=${open} @toggle=${(e: Event) => (this.coverageOpen = (e.target as HTMLDetailsElement).open)}>
      <summary class="card__head coverage__head">
        <h3>Coverage: sentences both readers tagged</h3>
        <span class="hint">Share of ${this.scope === 'chapter' ? "the chapter's" : 'the'} ${report.sentences} sentences${this.scope === 'seminar' ? ' of all chapters' : ''}, per pair of the ${report.readers.length} readers. Alpha alone hides who skipped what.</span>
      </summary>
      ${open ? this.coverageTable(report) : nothing}
    </details>`;
  }

  private coverageTable(report: AgreementReport) {
    const share = new Map(report.coverage.flatMap((pair) => [[`${pair.a} ${pair.b}`, pair], [`${pair.b} ${pair.a}`, pair]]));
    return html`<div class="scroll" tabindex="0" role="region" aria-label="Coverage of each pair of readers">
      <table>
        <thead><tr><td></td>${report.readers.map((r) => html`<th scope="col" title=${r.name}>${r.name}</th>`)}</tr></thead>
        <tbody>
          ${report.readers.map(
            (row) => html`<tr>
              <th scope="row" title=${row.name}>${row.name}</th>
              ${report.readers.map((column) => {
                if (row.id === column.id) return html`<td class="self" title=${`${row.name} tagged ${report.tagged[row.id] ?? 0} sentences`}>${report.tagged[row.id] ?? 0}</td>`;
                const pair = share.get(`${row.id} ${column.id}`);
                const percent = Math.round((pair?.share ?? 0) * 100);
                return html`<td data-share=${pair?.share ?? 0} title=${`${row.name} and ${column.name}: ${pair?.both ?? 0} sentences`}>${percent}%</td>`;
              })}
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  override updated(): void {
    // Through the CSSOM (the page's CSP allows no inline styles): the scale's marker, the cells' shade.
    const marker = this.renderRoot.querySelector<HTMLElement>('.scale i');
    if (marker) marker.style.left = `calc(${marker.dataset.at}% - 1px)`;
    for (const cell of this.renderRoot.querySelectorAll<HTMLElement>('td[data-share]')) {
      // Only cells whose share changed: restyling 900 cells on every remote change costs a frame.
      if (cell.dataset.shaded === cell.dataset.share) continue;
      cell.dataset.shaded = cell.dataset.share;
      const share = Number(cell.dataset.share);
      cell.style.background = `color-mix(in srgb, #2f6f8f ${Math.round(share * 85)}%, #f4f1ea)`;
      cell.style.color = share > 0.55 ? '#fff' : '';
    }
  }
}

customElements.define('ap-agreement-panel', ApAgreementPanel);
