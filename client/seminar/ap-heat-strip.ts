import { LitElement, css, html, nothing } from 'lit';
import { HEAT_TAGS } from '../../schema/index.ts';
import type { BlockHeat, ChapterHeat, HeatTag, ParagraphAgreement } from '../../schema/index.ts';
import { sharedStyles } from '../components/shared-styles.ts';
import { formatAlpha, seminarStyles } from './seminar-styles.ts';

/** The event a cell sends when chosen; detail is the block id to show in the chapter. */
export const HEAT_JUMP = 'ap-heat-jump';

const TAG_LABELS: Record<HeatTag, string> = { sourced: 'sourced', contested: 'contested', interpretive: 'interpretive', problem: 'problems', comment: 'comments' };

/**
 * The heat strip beside the chapter: one row per heading and paragraph, in reading order, with
 * how many annotations start there (the square's shade), which tags (the stacked bar) and, where
 * readers' claims overlap, the paragraph's alpha. Each row is a button that shows the chapter there.
 */
export class ApHeatStrip extends LitElement {
  static override properties = { heat: { attribute: false }, paragraphs: { attribute: false } };
  declare heat: ChapterHeat | null;
  declare paragraphs: ParagraphAgreement[];

  constructor() {
    super();
    this.heat = null;
    this.paragraphs = [];
  }

  static override styles = [
    sharedStyles,
    seminarStyles,
    css`
      :host { display: block; }
      ol { list-style: none; margin: 0; padding: 4px 0 10px; }
      li { margin: 0; }
      .row {
        all: unset;
        box-sizing: border-box;
        display: grid;
        grid-template-columns: 26px 24px minmax(0, 1fr) 46px;
        align-items: center;
        gap: 8px;
        width: 100%;
        padding: 4px 14px 4px 10px;
        cursor: pointer;
        border-left: 3px solid transparent;
      }
      .row:hover { background: #faf8f3; border-left-color: var(--ap-rule-strong); }
      .row:focus-visible { outline: 2px solid var(--ap-focus); outline-offset: -2px; }
      .n { font: 600 11px/1 var(--ap-sans); color: var(--ap-muted); text-align: right; font-variant-numeric: tabular-nums; }
      .sq { width: 22px; height: 22px; border-radius: 5px; display: grid; place-items: center; font: 700 11px/1 var(--ap-sans); color: var(--ap-ink); background: var(--heat-bg, #f3efe6); font-variant-numeric: tabular-nums; }
      .sq.hot { color: #fff; }
      .body { min-width: 0; display: grid; gap: 4px; }
      .label { font: 13px/1.3 var(--ap-serif); color: var(--ap-ink-soft); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
      .bar { display: flex; height: 5px; border-radius: 3px; overflow: hidden; background: var(--ap-surface-sunk); }
      .bar i { display: block; height: 100%; }
      .t-sourced { background: var(--ap-sourced); } .t-contested { background: #d9822b; } .t-interpretive { background: var(--ap-interpretive); }
      .t-problem { background: var(--ap-problem); } .t-comment { background: #d4b21c; }
      .alpha { font: 600 11px/1 var(--ap-sans); font-variant-numeric: tabular-nums; text-align: right; color: var(--ap-muted); }
      .alpha.good { color: var(--ap-ok); } .alpha.poor { color: var(--ap-danger); }
      .heading .label { font: 600 12px/1.3 var(--ap-sans); letter-spacing: 0.04em; text-transform: uppercase; color: var(--ap-accent); }
      .heading { padding-top: 12px; }
      .legend { display: flex; flex-wrap: wrap; gap: 10px; padding: 0 14px 10px 16px; font: 11.5px/1 var(--ap-sans); color: var(--ap-muted); }
      .legend span { display: inline-flex; align-items: center; gap: 5px; }
      .legend i { width: 9px; height: 9px; border-radius: 2px; display: inline-block; }
      .orphans { padding: 8px 16px 12px; }
      .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
    `,
  ];

  override render() {
    const heat = this.heat;
    if (!heat) return nothing;
    const alphaByBlock = new Map(this.paragraphs.map((p) => [p.blockIndex, p]));
    let paragraph = 0;
    return html`<div class="legend" aria-hidden="true">
        ${HEAT_TAGS.map((tag) => html`<span><i class="t-${tag}"></i>${TAG_LABELS[tag]}</span>`)}
        <span>α per paragraph</span>
      </div>
      <ol aria-label="Annotations per paragraph">
        ${heat.blocks.map((block) => this.row(block, block.type === 'paragraph' ? ++paragraph : null, alphaByBlock.get(block.blockIndex) ?? null, heat.max))}
      </ol>
      ${heat.orphaned > 0 ? html`<p class="hint orphans">${heat.orphaned} annotation${heat.orphaned === 1 ? '' : 's'} no longer in the text (deleted passages).</p>` : nothing}`;
  }

  private row(block: BlockHeat, number: number | null, agreement: ParagraphAgreement | null, max: number) {
    const tags = HEAT_TAGS.filter((tag) => block.tags[tag] > 0);
    // Said to screen readers after the visible text (which stays the button's name): what the bar shows.
    const described = `${block.count} annotation${block.count === 1 ? '' : 's'}${tags.length ? `: ${tags.map((t) => `${block.tags[t]} ${TAG_LABELS[t]}`).join(', ')}` : ''}`;
    const level = max === 0 ? 0 : block.count / max;
    const alpha = agreement?.alpha;
    return html`<li>
      <button class="row ${block.type}" type="button" title=${block.label} data-block=${block.blockId ?? ''} data-level=${level} @click=${() => this.jump(block)}>
        <span class="n">${number === null ? '' : html`<span class="sr">Paragraph </span>${number}`}</span>
        <span class="sq ${level > 0.55 ? 'hot' : ''}">${block.count || ''}</span>
        <span class="body">
          <span class="label">${block.label}</span>
          ${block.count > 0 ? html`<span class="bar">${tags.map((tag) => html`<i class="t-${tag}" data-w=${(block.tags[tag] / block.count) * 100}></i>`)}</span>` : nothing}
        </span>
        <span class="sr">${described}</span>
        <span class="alpha ${alpha?.computable ? (alpha.alpha >= 0.8 ? 'good' : alpha.alpha < 0.667 ? 'poor' : '') : ''}">${alpha?.computable ? `α ${formatAlpha(alpha.alpha)}` : ''}</span>
      </button>
    </li>`;
  }

  override updated(): void {
    // Through the CSSOM: the page's CSP allows no inline style attributes.
    // Only what changed since the last render: a remote change touches one or two paragraphs.
    for (const segment of this.renderRoot.querySelectorAll<HTMLElement>('.bar i')) {
      if (segment.dataset.applied !== segment.dataset.w) segment.style.width = `${(segment.dataset.applied = segment.dataset.w ?? '0')}%`;
    }
    for (const row of this.renderRoot.querySelectorAll<HTMLElement>('.row')) {
      if (row.dataset.applied === row.dataset.level) continue;
      row.dataset.applied = row.dataset.level;
      const level = Number(row.dataset.level ?? 0);
      const square = row.querySelector<HTMLElement>('.sq')!;
      // From paper to the accent's ink: the more annotations start here, the darker.
      square.style.setProperty('--heat-bg', level === 0 ? '#f3efe6' : `color-mix(in srgb, #b8431f ${Math.round(18 + level * 82)}%, #fbeee2)`);
    }
  }

  private jump(block: BlockHeat): void {
    if (block.blockId) this.dispatchEvent(new CustomEvent<string>(HEAT_JUMP, { detail: block.blockId, bubbles: true, composed: true }));
  }
}

customElements.define('ap-heat-strip', ApHeatStrip);
