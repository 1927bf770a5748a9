import { LitElement, css, html } from 'lit';
import type { PersonRow } from '../../schema/index.ts';
import { seminarStyles } from './seminar-styles.ts';

/**
 * The figures at a glance above a seminar view's tables, added up from the people table: readers
 * who wrote, annotations, claims, problems (accepted), replies.
 */
export class ApFigureCards extends LitElement {
  static override properties = { people: { attribute: false } };
  declare people: readonly PersonRow[];

  constructor() {
    super();
    this.people = [];
  }

  static override styles = [
    seminarStyles,
    css`
      :host { display: grid; grid-template-columns: repeat(5, minmax(0, 1fr)); gap: 12px; }
      .kpi { padding: 12px 16px; display: grid; gap: 4px; }
      .kpi b { font: 600 26px/1.05 var(--ap-serif); color: var(--ap-accent); font-variant-numeric: tabular-nums; }
      .kpi span { font: 12px/1.2 var(--ap-sans); color: var(--ap-muted); }
      @media (max-width: 900px) {
        :host { grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 8px; }
        .kpi { padding: 10px 12px; }
        .kpi b { font-size: 21px; }
      }
    `,
  ];

  override render() {
    const total = (pick: (row: PersonRow) => number) => this.people.reduce((n, row) => n + pick(row), 0);
    const active = this.people.filter((row) => row.annotations + row.replies > 0).length;
    return html`<div class="card kpi"><b>${active}</b><span>readers who wrote</span></div>
      <div class="card kpi"><b>${total((r) => r.annotations)}</b><span>annotations</span></div>
      <div class="card kpi"><b>${total((r) => r.claims)}</b><span>claims tagged</span></div>
      <div class="card kpi"><b>${total((r) => r.problems)}</b><span>problems (${total((r) => r.problemsAccepted)} accepted)</span></div>
      <div class="card kpi"><b>${total((r) => r.replies)}</b><span>replies</span></div>`;
  }
}

customElements.define('ap-figure-cards', ApFigureCards);
