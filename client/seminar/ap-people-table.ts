import { LitElement, css, html, nothing } from 'lit';
import type { PersonRow, PersonSortKey } from '../../schema/index.ts';
import { sharedStyles } from '../components/shared-styles.ts';
import type { PeopleOrder } from './seminar-model.ts';
import { seminarStyles, shortTime } from './seminar-styles.ts';

/** The event the table sends when a column header is chosen; detail is the new order. */
export const PEOPLE_ORDER = 'ap-people-order';
/** The event the table sends when a reader's breakdown was opened or closed. */
export const PEOPLE_EXPANDED = 'ap-people-expanded';

/** The table's columns: what they show and how they sort. */
const COLUMNS: readonly { key: PersonSortKey; label: string; title: string; wide?: boolean }[] = [
  { key: 'name', label: 'Reader', title: 'Display name' },
  { key: 'annotations', label: 'Annotations', title: 'Annotations written' },
  { key: 'claims', label: 'Claims', title: 'Claims, by status: sourced / contested / interpretive', wide: true },
  { key: 'claimsLinked', label: 'Linked', title: 'Claims linked to at least one footnote' },
  { key: 'problems', label: 'Problems', title: 'Problems raised (accepted)' },
  { key: 'comments', label: 'Comments', title: 'Comments written' },
  { key: 'replies', label: 'Replies', title: 'Replies written in any thread' },
  { key: 'decisions', label: 'Decisions', title: "Status decisions on others' annotations (resolve, accept, reject)" },
  { key: 'firstActivity', label: 'First', title: 'First activity' },
  { key: 'lastActivity', label: 'Last', title: 'Last activity' },
];

/** One line of a person's breakdown: a part of the whole (a chapter of a seminar) and their row in it. */
export interface BreakdownLine {
  label: string;
  row: PersonRow;
}

/**
 * The people table of the seminar views: one row per reader, sortable by every column (the
 * header's buttons; `aria-sort` tells screen readers), claims split by status in a small bar.
 * Given a breakdown (a seminar's chapters), each reader's row opens on their row in each part.
 */
export class ApPeopleTable extends LitElement {
  static override properties = { people: { attribute: false }, order: { attribute: false }, breakdown: { attribute: false }, expanded: { state: true } };
  declare people: PersonRow[];
  declare order: PeopleOrder;
  /** Per user id, their row in each part, in the parts' order; null: rows do not open. */
  declare breakdown: ReadonlyMap<string, readonly BreakdownLine[]> | null;
  /** The user ids whose breakdown is shown. */
  declare expanded: ReadonlySet<string>;

  constructor() {
    super();
    this.people = [];
    this.order = { key: 'name', direction: 'ascending' };
    this.breakdown = null;
    this.expanded = new Set();
  }

  /** Opens (or closes) every reader's breakdown. */
  expandAll(open: boolean): void {
    this.setExpanded(open ? new Set(this.people.map((row) => row.userId)) : new Set());
  }

  /** Whether every reader's breakdown is open. */
  get allExpanded(): boolean {
    return this.people.length > 0 && this.people.every((row) => this.expanded.has(row.userId));
  }

  static override styles = [
    sharedStyles,
    seminarStyles,
    css`
      :host { display: block; }
      .scroll { overflow-x: auto; }
      table { width: 100%; border-collapse: separate; border-spacing: 0; font-size: 13px; }
      th, td { padding: 8px 8px; border-bottom: 1px solid var(--ap-rule); white-space: nowrap; }
      th:first-child { padding-left: 16px; }
      thead th { position: sticky; top: 0; background: var(--ap-surface-sunk); z-index: 1; font-weight: 600; text-align: right; }
      thead th:first-child, tbody th { text-align: left; }
      tbody th { font-weight: 600; position: sticky; left: 0; background: var(--ap-surface); max-width: 14em; overflow: hidden; text-overflow: ellipsis; }
      tbody tr:hover th, tbody tr:hover td { background: #faf8f3; }
      tbody tr:last-child th, tbody tr:last-child td { border-bottom: 0; }
      .sort { all: unset; cursor: pointer; font: 600 11px/1 var(--ap-sans); letter-spacing: 0.03em; text-transform: uppercase; color: var(--ap-muted); display: inline-flex; gap: 4px; align-items: center; }
      .sort:focus-visible { outline: 2px solid var(--ap-focus); outline-offset: 3px; border-radius: 2px; }
      th[aria-sort] .sort { color: var(--ap-ink); }
      .arrow { font-size: 10px; width: 8px; }
      .claims { display: inline-flex; align-items: center; gap: 8px; justify-content: flex-end; }
      .bar { display: inline-flex; width: 48px; height: 8px; border-radius: 4px; overflow: hidden; background: var(--ap-surface-sunk); }
      .bar i { display: block; height: 100%; }
      .s { background: var(--ap-sourced); } .c { background: #d9822b; } .n { background: var(--ap-interpretive); }
      .split { color: var(--ap-muted); font-size: 12px; }
      .accepted { color: var(--ap-ok); font-size: 12px; }
      .time { color: var(--ap-ink-soft); font-size: 12.5px; }
      .empty { padding: 28px 18px; text-align: center; color: var(--ap-muted); }
      .who { display: inline-flex; align-items: center; gap: 6px; max-width: 100%; }
      .who span { overflow: hidden; text-overflow: ellipsis; }
      .disclose { all: unset; cursor: pointer; flex: none; display: inline-grid; place-items: center; width: 22px; height: 22px; border-radius: 4px; color: var(--ap-muted); }
      .disclose:hover { background: var(--ap-surface-sunk); color: var(--ap-ink); }
      .disclose:focus-visible { outline: 2px solid var(--ap-focus); outline-offset: 1px; }
      .disclose svg { transition: transform 0.12s; }
      .disclose[aria-expanded='true'] { color: var(--ap-ink); }
      .disclose[aria-expanded='true'] svg { transform: rotate(90deg); }
      tr.part th, tr.part td { background: var(--ap-surface-sunk); font-size: 12.5px; border-bottom-color: #ebe6dc; }
      tr.part th { font-weight: 500; padding-left: 42px; color: var(--ap-ink-soft); }
      tr.opened th, tr.opened td { border-bottom-color: transparent; }
      @media (max-width: 640px) {
        /* A name wraps rather than end in an ellipsis after a few letters: the column stays narrow enough to scroll past. */
        tbody th { max-width: 10em; min-width: 8.5em; white-space: normal; line-height: 1.25; }
        .who span { overflow-wrap: anywhere; }
        th:first-child { padding-left: 10px; }
        tr.part th { padding-left: 34px; }
      }
      @media (prefers-reduced-motion: reduce) { .disclose svg { transition: none; } }
    `,
  ];

  override render() {
    if (this.people.length === 0) return html`<p class="empty">Nobody has written anything in this range yet.</p>`;
    return html`<div class="scroll" role="region" aria-label="People" tabindex="0">
      <table>
        <thead>
          <tr>
            ${COLUMNS.map((column) => this.header(column))}
          </tr>
        </thead>
        <tbody>
          ${this.people.map((row) => this.rowWithParts(row))}
        </tbody>
      </table>
    </div>`;
  }

  private header(column: (typeof COLUMNS)[number]) {
    const sorted = this.order.key === column.key;
    const sort = sorted ? this.order.direction : nothing;
    return html`<th scope="col" aria-sort=${sort} title=${column.title}>
      <button class="sort" type="button" @click=${() => this.choose(column.key)}>
        ${column.label}<span class="arrow" aria-hidden="true">${sorted ? (this.order.direction === 'ascending' ? '▲' : '▼') : ''}</span>
      </button>
    </th>`;
  }

  /** A reader's row, and below it, when opened, their row in each part. */
  private rowWithParts(row: PersonRow) {
    const parts = this.breakdown?.get(row.userId);
    if (!this.breakdown) return html`<tr data-user=${row.userId}><th scope="row" title=${row.name}>${row.name}</th>${this.cells(row)}</tr>`;
    const open = this.expanded.has(row.userId);
    const ids = (parts ?? []).map((_, i) => `part-${i}-${row.userId}`);
    return html`<tr data-user=${row.userId} class=${open ? 'opened' : ''}>
        <th scope="row" title=${row.name}>
          <span class="who">
            <button class="disclose" type="button" aria-expanded=${open ? 'true' : 'false'} aria-controls=${open && ids.length > 0 ? ids.join(' ') : nothing} aria-label=${`${row.name}, per chapter`} @click=${() => this.toggle(row.userId)}>
              <svg viewBox="0 0 10 10" width="10" height="10" aria-hidden="true"><path d="M3.5 1.5 7 5l-3.5 3.5" fill="none" stroke="currentColor" stroke-width="1.7" stroke-linecap="round" stroke-linejoin="round" /></svg>
            </button>
            <span>${row.name}</span>
          </span>
        </th>
        ${this.cells(row)}
      </tr>
      ${open
        ? (parts ?? []).map(
            (part, i) => html`<tr class="part" id=${ids[i]!} data-part-of=${row.userId}>
              <th scope="row" title=${part.label}>${part.label}</th>
              ${this.cells(part.row)}
            </tr>`,
          )
        : nothing}`;
  }

  private toggle(userId: string): void {
    const next = new Set(this.expanded);
    if (!next.delete(userId)) next.add(userId);
    this.setExpanded(next);
  }

  private setExpanded(expanded: ReadonlySet<string>): void {
    this.expanded = expanded;
    this.dispatchEvent(new CustomEvent(PEOPLE_EXPANDED, { bubbles: true, composed: true }));
  }

  /** A row's figures, after its header cell. */
  private cells(row: PersonRow) {
    const count = (n: number) => html`<span class=${n === 0 ? 'zero' : ''}>${n}</span>`;
    const share = (n: number) => (row.claims === 0 ? 0 : (n / row.claims) * 100);
    return html`<td class="num" data-column="annotations">${count(row.annotations)}</td>
      <td class="num" data-column="claims">
        <span class="claims">
          <span class="split" title="sourced / contested / interpretive">${row.sourced}·${row.contested}·${row.interpretive}</span>
          <span class="bar" aria-hidden="true"><i class="s" data-w=${share(row.sourced)}></i><i class="c" data-w=${share(row.contested)}></i><i class="n" data-w=${share(row.interpretive)}></i></span>
          ${count(row.claims)}
        </span>
      </td>
      <td class="num" data-column="claimsLinked">${count(row.claimsLinked)}</td>
      <td class="num" data-column="problems">${row.problemsAccepted > 0 ? html`<span class="accepted" title="accepted">${row.problemsAccepted} accepted · </span>` : nothing}${count(row.problems)}</td>
      <td class="num" data-column="comments">${count(row.comments)}</td>
      <td class="num" data-column="replies">${count(row.replies)}</td>
      <td class="num" data-column="decisions">${count(row.decisions)}</td>
      <td class="num time">${shortTime(row.firstActivity)}</td>
      <td class="num time">${shortTime(row.lastActivity)}</td>`;
  }

  override updated(): void {
    // Bar widths are set through the CSSOM: the page's CSP allows no inline style attributes.
    for (const segment of this.renderRoot.querySelectorAll<HTMLElement>('.bar i')) {
      if (segment.dataset.applied !== segment.dataset.w) segment.style.width = `${(segment.dataset.applied = segment.dataset.w ?? '0')}%`;
    }
  }

  private choose(key: PersonSortKey): void {
    const numeric = key !== 'name';
    const direction = this.order.key === key ? (this.order.direction === 'ascending' ? 'descending' : 'ascending') : numeric ? 'descending' : 'ascending';
    this.dispatchEvent(new CustomEvent<PeopleOrder>(PEOPLE_ORDER, { detail: { key, direction }, bubbles: true, composed: true }));
  }
}

customElements.define('ap-people-table', ApPeopleTable);
