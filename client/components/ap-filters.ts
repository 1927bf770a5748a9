import { LitElement, css, html } from 'lit';
import { ANNOTATION_STATUSES, PROBLEM_TYPES } from '../../schema/index.ts';
import type { AnnotationStatus, ProblemType } from '../../schema/index.ts';
import { isFilterActive, emptyFilter } from '../model/annotation-filter.ts';
import type { AnnotationFilter, FacetCounts } from '../model/annotation-filter.ts';
import { CATEGORY_LABELS } from '../model/annotation-view.ts';
import type { HighlightCategory } from '../model/annotation-view.ts';
import { sharedStyles } from './shared-styles.ts';

/** Sent with the new filter whenever the user changes one. */
export const FILTER_CHANGE = 'ap-filter-change';

const CATEGORIES: HighlightCategory[] = ['sourced', 'contested', 'interpretive', 'problem', 'comment'];

/**
 * The sidebar's search box and filters: category chips with counts, status, problem type,
 * author and footnote. Sends the whole new filter on each change.
 */
export class ApFilters extends LitElement {
  static override properties = {
    filter: { attribute: false },
    facets: { attribute: false },
    footnoteNumbers: { attribute: false },
    moreOpen: { state: true },
  };
  declare filter: AnnotationFilter;
  declare facets: FacetCounts | null;
  declare footnoteNumbers: number[];
  declare moreOpen: boolean;

  constructor() {
    super();
    this.filter = emptyFilter();
    this.facets = null;
    this.footnoteNumbers = [];
    this.moreOpen = false;
  }

  static override styles = [
    sharedStyles,
    css`
      :host { display: grid; gap: 10px; }
      .search { position: relative; }
      .search input { padding-left: 30px; }
      .search svg { position: absolute; left: 9px; top: 50%; width: 14px; height: 14px; transform: translateY(-50%); color: var(--ap-muted); }
      .chips { display: flex; flex-wrap: wrap; gap: 6px; }
      .chip {
        display: inline-flex; align-items: center; gap: 6px;
        font: 500 12.5px/1 var(--ap-sans);
        padding: 6px 9px;
        border-radius: 999px;
        border: 1px solid var(--ap-rule-strong);
        background: var(--ap-surface);
        color: var(--ap-ink-soft);
        cursor: pointer;
      }
      /* A swatch of the highlight as the text shows it: tint, pattern and underline (the pattern tells the tags apart without colour). */
      .chip::before { content: ''; width: 14px; height: 10px; border-radius: 2px; background-color: var(--cat-tint); background-image: var(--cat-pattern, none); background-size: var(--cat-pattern-size, auto); border-bottom: 2px solid var(--cat-ink); }
      .chip[aria-pressed='true'] { background: var(--cat-tint); border-color: var(--cat-ink); color: var(--cat-ink); font-weight: 600; }
      .count { font-variant-numeric: tabular-nums; color: var(--ap-muted); font-weight: 500; }
      .chip[aria-pressed='true'] .count { color: inherit; }
      .row { display: flex; gap: 8px; align-items: center; justify-content: space-between; }
      .more { display: grid; grid-template-columns: 1fr 1fr; gap: 8px; }
      .more label { font: 600 11.5px/1.2 var(--ap-sans); color: var(--ap-ink-soft); display: grid; gap: 4px; }
      select { padding: 5px 7px; font-size: 13px; }
      .link { all: unset; cursor: pointer; font: 500 12.5px/1 var(--ap-sans); color: var(--ap-link); padding: 3px 2px; border-radius: 3px; }
      .link:hover { text-decoration: underline; }
      .link:focus-visible { outline: 2px solid var(--ap-focus); }
    `,
  ];

  override render() {
    const f = this.filter;
    const active = isFilterActive(f);
    const advanced = f.statuses.size > 0 || f.problemType !== null || f.authorId !== null || f.footnote !== null;
    return html`<div class="search" role="search">
        <svg viewBox="0 0 16 16" aria-hidden="true"><circle cx="7" cy="7" r="5" fill="none" stroke="currentColor" stroke-width="1.6"></circle><path d="M11 11 L14.5 14.5" stroke="currentColor" stroke-width="1.6" stroke-linecap="round"></path></svg>
        <input type="search" aria-label="Search annotations" placeholder="Search quotes, notes, replies, people" .value=${f.search} @input=${(e: Event) => this.applyChange({ search: (e.target as HTMLInputElement).value })} />
      </div>
      <div class="chips" role="group" aria-label="Show only these tags">
        ${CATEGORIES.map((c) => {
          const pressed = f.categories.has(c);
          return html`<button type="button" class="chip cat-${c}" aria-pressed=${pressed ? 'true' : 'false'} data-category=${c} @click=${() => this.toggleCategory(c)}>
            ${CATEGORY_LABELS[c]} <span class="count">${this.facets?.categories.get(c) ?? 0}</span>
          </button>`;
        })}
      </div>
      <div class="row">
        <button class="link" type="button" aria-expanded=${this.moreOpen || advanced ? 'true' : 'false'} aria-controls="more-filters" @click=${() => (this.moreOpen = !this.moreOpen)}>
          ${this.moreOpen || advanced ? 'Fewer filters' : 'More filters'}
        </button>
        ${active ? html`<button class="link" type="button" @click=${() => this.emit(emptyFilter())}>Clear filters</button>` : null}
      </div>
      ${this.moreOpen || advanced ? this.renderMore() : null}`;
  }

  private renderMore() {
    const f = this.filter;
    const status = f.statuses.size === 1 ? [...f.statuses][0] : '';
    const authors = [...(this.facets?.authors ?? new Map()).entries()].sort((a, b) => a[1].name.localeCompare(b[1].name));
    return html`<div class="more" id="more-filters">
      <label>Status
        <select @change=${(e: Event) => this.setStatus((e.target as HTMLSelectElement).value)}>
          <option value="" ?selected=${status === ''}>Any status</option>
          ${ANNOTATION_STATUSES.map((s) => html`<option value=${s.term} ?selected=${status === s.term}>${s.label} (${this.facets?.statuses.get(s.term) ?? 0})</option>`)}
        </select>
      </label>
      <label>Problem type
        <select @change=${(e: Event) => this.applyChange({ problemType: (((e.target as HTMLSelectElement).value || null) as ProblemType | null) })}>
          <option value="" ?selected=${f.problemType === null}>Any type</option>
          ${PROBLEM_TYPES.map((t) => html`<option value=${t.term} ?selected=${f.problemType === t.term}>${t.label} (${this.facets?.problemTypes.get(t.term) ?? 0})</option>`)}
        </select>
      </label>
      <label>Author
        <select @change=${(e: Event) => this.applyChange({ authorId: (e.target as HTMLSelectElement).value || null })}>
          <option value="" ?selected=${f.authorId === null}>Anyone</option>
          ${authors.map(([id, a]) => html`<option value=${id} ?selected=${f.authorId === id}>${a.name} (${a.count})</option>`)}
        </select>
      </label>
      <label>Footnote
        <select @change=${(e: Event) => this.setFootnote((e.target as HTMLSelectElement).value)}>
          <option value="" ?selected=${f.footnote === null}>Any footnote</option>
          ${this.footnoteNumbers.map((n) => html`<option value=${String(n)} ?selected=${f.footnote === n}>${n} (${this.facets?.footnotes.get(n) ?? 0})</option>`)}
        </select>
      </label>
    </div>`;
  }

  private toggleCategory(category: HighlightCategory): void {
    const categories = new Set(this.filter.categories);
    if (categories.has(category)) categories.delete(category);
    else categories.add(category);
    this.applyChange({ categories });
  }

  private setStatus(value: string): void {
    this.applyChange({ statuses: value ? new Set([value as AnnotationStatus]) : new Set() });
  }

  private setFootnote(value: string): void {
    this.applyChange({ footnote: value === '' ? null : Number(value) });
  }

  private applyChange(change: Partial<AnnotationFilter>): void {
    this.emit({ ...this.filter, ...change });
  }

  private emit(filter: AnnotationFilter): void {
    this.dispatchEvent(new CustomEvent<AnnotationFilter>(FILTER_CHANGE, { detail: filter, bubbles: true, composed: true }));
  }
}

customElements.define('ap-filters', ApFilters);
