import { LitElement, css, html, nothing } from 'lit';
import { roundIsBlind } from '../../schema/index.ts';
import type { ChapterOverview } from '../../schema/index.ts';
import { sharedStyles } from '../components/shared-styles.ts';
import { HEAT_JUMP } from './ap-heat-strip.ts';
import { chapterGradebookHref } from './gradebook-href.ts';
import { gradebookLinks } from './gradebook-links.ts';
import { PEOPLE_ORDER } from './ap-people-table.ts';
import { ROUND_ACTION } from './ap-round-panel.ts';
import type { RoundAction } from './ap-round-panel.ts';
import { MARK_SESSION, RANGE_CHOICE } from './ap-range-filter.ts';
import type { RangeChoice } from './ap-range-filter.ts';
import type { LayerChoice, SeminarController, SeminarState } from './seminar-controller.ts';
import type { PeopleOrder } from './seminar-model.ts';
import { seminarStyles, toolbarStyles } from './seminar-styles.ts';
import './ap-agreement-panel.ts';
import './ap-figure-cards.ts';
import './ap-heat-strip.ts';
import './ap-people-table.ts';
import './ap-range-filter.ts';
import './ap-round-panel.ts';

/**
 * The seminar leader's view of the chapter (docs/seminar-view.md): which annotations it counts
 * and for which time, downloads of the people table, the blind round, the figures at a glance,
 * the people table, the agreement report, and the heat strip beside them. Draws the controller's
 * state and hands the user's choices back to it; updates live as the controller recomputes.
 */
export class ApSeminarView extends LitElement {
  static override properties = { controller: { attribute: false }, state: { state: true } };
  declare controller: SeminarController | null;
  declare state: SeminarState | null;
  #unsubscribe: (() => void) | null = null;

  constructor() {
    super();
    this.controller = null;
    this.state = null;
    this.addEventListener(PEOPLE_ORDER, (event) => this.controller?.setOrder((event as CustomEvent<PeopleOrder>).detail));
    this.addEventListener(HEAT_JUMP, (event) => this.controller?.jumpTo((event as CustomEvent<string>).detail));
    this.addEventListener(ROUND_ACTION, (event) => void this.onRoundAction((event as CustomEvent<RoundAction>).detail));
    this.addEventListener(RANGE_CHOICE, (event) => {
      const { preset, custom } = (event as CustomEvent<RangeChoice>).detail;
      this.controller?.setRange(preset, custom);
    });
    this.addEventListener(MARK_SESSION, () => this.controller?.markSession());
  }

  static override styles = [
    sharedStyles,
    seminarStyles,
    toolbarStyles,
    css`
      :host { display: block; overflow-y: auto; background: var(--ap-desk); }
      .page { max-width: 1440px; margin: 0 auto; padding: 18px 20px 56px; display: grid; gap: 16px; }
      /* Grid items may shrink below their content (the tables scroll inside their cards instead). */
      .page > *, .columns > *, .main > * { min-width: 0; }
      .top { display: flex; align-items: center; gap: 14px; flex-wrap: wrap; }
      .back { flex: none; }
      .heading { min-width: 0; flex: 1; }
      .eyebrow { font: 600 11px/1 var(--ap-sans); letter-spacing: 0.1em; text-transform: uppercase; color: var(--ap-muted); margin: 0 0 5px; }
      h1 { margin: 0; font: 600 22px/1.2 var(--ap-serif); color: var(--ap-accent); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
      .bar { display: flex; flex-wrap: wrap; gap: 10px 18px; align-items: center; padding: 10px 14px; }
      .spacer { flex: 1; }
      .columns { display: grid; grid-template-columns: minmax(240px, 290px) minmax(0, 1fr); gap: 16px; align-items: start; }
      .main { display: grid; gap: 16px; min-width: 0; }
      .strip { position: sticky; top: 0; max-height: calc(100vh - var(--ap-header-height) - 24px); overflow-y: auto; }
      .strip .card__head { position: sticky; top: 0; background: var(--ap-surface); z-index: 1; border-radius: 10px 10px 0 0; }
      .error { padding: 10px 14px; border-radius: 8px; background: var(--ap-danger-bg); color: var(--ap-danger); font-size: 13.5px; }
      .waiting { padding: 40px; text-align: center; color: var(--ap-muted); }
      @media (max-width: 900px) {
        .page { padding: 12px 10px 40px; gap: 12px; }
        h1 { font-size: 18px; white-space: normal; }
        .columns { grid-template-columns: 1fr; }
        .strip { position: static; max-height: 70vh; order: 2; }
        .bar { padding: 10px; }
      }
    `,
  ];

  override updated(changed: Map<string, unknown>): void {
    if (!changed.has('controller')) return;
    this.#unsubscribe?.();
    this.#unsubscribe = this.controller?.subscribe(() => this.show(this.controller!.state)) ?? null;
    this.show(this.controller?.state ?? null);
  }

  /** Takes the controller's state; the view is in the page only while the controller shows it. */
  private show(state: SeminarState | null): void {
    this.state = state;
    this.hidden = !state?.visible;
  }

  override disconnectedCallback(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    super.disconnectedCallback();
  }

  override render() {
    const state = this.state;
    if (!state) return nothing;
    const figures = state.figures;
    return html`<div class="page" role="region" aria-label="Seminar view">
      <div class="top">
        <button class="btn back" type="button" @click=${() => this.controller?.hide()}>← Chapter</button>
        <div class="heading">
          <p class="eyebrow">Seminar view · ${this.layerName(state)}</p>
          <h1 title=${state.title}>${state.title || state.room}</h1>
        </div>
      </div>
      ${this.toolbar(state)}
      ${state.error ? html`<p class="error" role="alert">${state.error}</p>` : nothing}
      <section class="card" aria-label="Blind round"><ap-round-panel .view=${state.round} .isOwner=${state.role === 'owner'} .busy=${state.busy}></ap-round-panel></section>
      ${figures?.ready ? this.figures(state) : html`<p class="waiting card" role="status">Reading the annotations from the server…</p>`}
    </div>`;
  }

  private layerName(state: SeminarState): string {
    if (state.layer === 'shared') return 'shared annotations';
    const round = state.round.round;
    const live = round && `round-${round.id}` === state.layer && roundIsBlind(round.state);
    return `${state.layer.replace('round-', 'blind round ')}${live ? ' (live, visible to you only)' : ''}`;
  }

  private toolbar(state: SeminarState) {
    const round = state.round.round;
    const layers: { layer: LayerChoice; label: string; enabled: boolean }[] = [{ layer: 'shared', label: 'Shared annotations', enabled: true }];
    if (round) layers.push({ layer: `round-${round.id}`, label: `Round ${round.id}${roundIsBlind(round.state) ? ' · live' : ''}`, enabled: state.role === 'owner' || round.state === 'revealed' });
    const download = (format: 'csv' | 'json') => chapterGradebookHref(state.room, state.layer, { format, range: state.range, order: state.order });
    return html`<div class="card bar">
      <div class="group" role="group" aria-label="Annotations counted">
        <span class="label">Count</span>
        <span class="seg">${layers.map((l) => html`<button type="button" aria-pressed=${state.layer === l.layer ? 'true' : 'false'} ?disabled=${!l.enabled} @click=${() => this.controller?.setLayer(l.layer)}>${l.label}</button>`)}</span>
      </div>
      <ap-range-filter .preset=${state.preset} .range=${state.range} .lastSession=${state.lastSession}></ap-range-filter>
      <span class="spacer"></span>
      ${gradebookLinks('Download the people table', download)}
    </div>`;
  }

  private figures(state: SeminarState) {
    const { overview, people } = state.figures!;
    return html`<ap-figure-cards .people=${people}></ap-figure-cards>
      <div class="columns">
        <section class="card strip" aria-label="Heat strip">
          <div class="card__head"><h2>The text</h2><span class="hint">annotations per paragraph</span></div>
          <ap-heat-strip .heat=${overview.heat} .paragraphs=${overview.agreement.paragraphs}></ap-heat-strip>
        </section>
        <div class="main">
          <section class="card" aria-label="People">
            <div class="card__head"><h2>People</h2><span class="hint">${people.length} ${people.length === 1 ? 'person' : 'people'} · click a column to sort</span></div>
            <ap-people-table .people=${people} .order=${state.order}></ap-people-table>
          </section>
          <section class="card" aria-label="Agreement between readers">
            <div class="card__head"><h2>Agreement between readers</h2><span class="hint">claim status per sentence; a sentence a reader left untagged is missing, not a value</span></div>
            <ap-agreement-panel .report=${overview.agreement} .paragraphNumbers=${this.paragraphNumbers(overview)}></ap-agreement-panel>
          </section>
        </div>
      </div>`;
  }

  /** Paragraphs numbered in reading order, as the heat strip numbers them (kept while the heat is the same object). */
  private paragraphNumbers(overview: ChapterOverview): ReadonlyMap<number, number> {
    if (this.#numbered?.heat !== overview.heat) {
      let n = 0;
      const numbers = new Map(overview.heat.blocks.filter((block) => block.type === 'paragraph').map((block) => [block.blockIndex, ++n]));
      this.#numbered = { heat: overview.heat, numbers };
    }
    return this.#numbered.numbers;
  }

  #numbered: { heat: ChapterOverview['heat']; numbers: ReadonlyMap<number, number> } | null = null;

  private async onRoundAction(action: RoundAction): Promise<void> {
    if (!this.controller) return;
    if (action.type === 'start') await this.controller.start(action.showStaff);
    else if (action.type === 'reveal') await this.controller.reveal();
    else await this.controller.end();
  }
}

customElements.define('ap-seminar-view', ApSeminarView);
