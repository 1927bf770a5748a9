import { LitElement, css, html } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { Role } from '../../schema/index.ts';
import type { SuggestionList } from '../model/suggestion-list.ts';
import type { AnnotationAction } from './app-events.ts';
import { countFacets, emptyFilter, filterAnnotations, isFilterActive } from '../model/annotation-filter.ts';
import type { AnnotationFilter, FacetCounts, FilteredAnnotations } from '../model/annotation-filter.ts';
import type { AnnotationView } from '../model/annotation-view.ts';
import type { FootnoteReport } from '../model/footnote-report.ts';
import { sharedStyles } from './shared-styles.ts';
import { NarrowLayout } from './layout-mode.ts';
import { sheetStyles } from './sidebar-sheet-styles.ts';
import './ap-annotation-card.ts';
import './ap-filters.ts';
import './ap-footnote-panel.ts';
import './ap-suggestions-panel.ts';

/** The sidebar's tabs. */
export type SidebarTab = 'annotations' | 'footnotes' | 'suggestions';

const PAGE = 40;

/**
 * The sidebar: annotations in document order with search, filters and counts (a window of
 * cards with "show more", so thousands of annotations stay fast), a section for orphaned and
 * degraded annotations, the footnote panel, and the assistant's suggestions. In the narrow
 * layout (layout-mode.ts) it is a bottom sheet: its tabs, with their counts, stay in view at
 * the bottom of the screen, and the reader opens the panel over the chapter.
 */
export class ApSidebar extends LitElement {
  static override properties = {
    annotations: { attribute: false },
    activeId: { attribute: false },
    role: { attribute: false },
    userId: { attribute: false },
    footnoteNumbers: { attribute: false },
    footnoteReport: { attribute: false },
    suggestions: { attribute: false },
    canAct: { attribute: false },
    tab: { state: true },
    filter: { state: true },
    limit: { state: true },
    attentionLimit: { state: true },
    sheet: { type: Boolean, reflect: true },
    open: { type: Boolean, reflect: true },
  };
  declare annotations: AnnotationView[];
  declare activeId: string | null;
  declare role: Role;
  declare userId: string;
  declare footnoteNumbers: number[];
  declare footnoteReport: FootnoteReport | null;
  /** The assistants' suggestions, or null before the first analysis. */
  declare suggestions: SuggestionList | null;
  /** Whether the user may accept and dismiss suggestions. */
  declare canAct: boolean;
  declare tab: SidebarTab;
  declare filter: AnnotationFilter;
  declare limit: number;
  declare attentionLimit: number;
  /** Whether the sidebar is a bottom sheet (the narrow layout). */
  declare sheet: boolean;
  /** In the narrow layout: whether the sheet is open over the chapter. */
  declare open: boolean;
  private readonly layout = new NarrowLayout(this, (narrow) => (this.sheet = narrow));

  private filtered: FilteredAnnotations | null = null;
  private facets: FacetCounts | null = null;
  private filteredFor: { annotations: AnnotationView[]; filter: AnnotationFilter } | null = null;
  private scrolledTo: string | null = null;

  constructor() {
    super();
    this.annotations = [];
    this.activeId = null;
    this.role = 'viewer';
    this.userId = '';
    this.footnoteNumbers = [];
    this.footnoteReport = null;
    this.suggestions = null;
    this.canAct = false;
    this.tab = 'annotations';
    this.filter = emptyFilter();
    this.limit = PAGE;
    this.attentionLimit = PAGE;
    this.sheet = this.layout.matches;
    this.open = false;
  }

  static override styles = [
    sharedStyles,
    sheetStyles,
    css`
      :host { display: flex; flex-direction: column; background: var(--ap-surface-sunk); border-left: 1px solid var(--ap-rule); min-height: 0; }
      [role='tablist'] { display: flex; gap: 2px; padding: 8px 12px 0; }
      [role='tab'] {
        all: unset;
        cursor: pointer;
        font: 600 13px/1 var(--ap-sans);
        color: var(--ap-muted);
        padding: 10px 10px 11px;
        border-bottom: 2px solid transparent;
        display: inline-flex; gap: 6px; align-items: center;
      }
      [role='tab'][aria-selected='true'] { color: var(--ap-accent); border-bottom-color: var(--ap-accent); }
      [role='tab']:focus-visible { outline: 2px solid var(--ap-focus); outline-offset: -2px; border-radius: 4px; }
      .tab-count { font: 600 11px/1 var(--ap-sans); background: var(--ap-surface-sunk); color: var(--ap-ink-soft); padding: 3px 6px; border-radius: 999px; font-variant-numeric: tabular-nums; }
      .panel { overflow-y: auto; padding: 14px 14px 24px; flex: 1; min-height: 0; display: grid; align-content: start; gap: 12px; }
      .summary { font: 12.5px/1.3 var(--ap-sans); color: var(--ap-muted); display: flex; justify-content: space-between; }
      ol { list-style: none; margin: 0; padding: 0; display: grid; gap: 8px; }
      .attention { border: 1px solid #ecd9a8; background: #fffaf0; border-radius: var(--ap-radius); padding: 10px; display: grid; gap: 8px; }
      .attention h3 { margin: 0; font: 600 12px/1.3 var(--ap-sans); letter-spacing: 0.04em; text-transform: uppercase; color: var(--ap-warning); }
      .attention p { margin: 0; font: 12.5px/1.4 var(--ap-sans); color: var(--ap-ink-soft); }
      .empty { text-align: center; padding: 28px 12px; color: var(--ap-muted); font: 13.5px/1.55 var(--ap-sans); }
      .empty kbd { color: var(--ap-ink-soft); }
      .more { justify-self: center; }
    `,
  ];

  override willUpdate(): void {
    const cached = this.filteredFor;
    if (!cached || cached.annotations !== this.annotations || cached.filter !== this.filter) {
      this.filtered = filterAnnotations(this.annotations, this.filter);
      if (!cached || cached.annotations !== this.annotations) this.facets = countFacets(this.annotations);
      this.filteredFor = { annotations: this.annotations, filter: this.filter };
      this.revealActive();
    }
  }

  override render() {
    const tabs: Array<{ id: SidebarTab; label: string; count: number | null }> = [
      { id: 'annotations', label: 'Annotations', count: this.annotations.length },
      { id: 'footnotes', label: 'Footnotes', count: null },
    ];
    if (this.suggestions !== null) tabs.push({ id: 'suggestions', label: 'Suggestions', count: this.suggestions.open.length });
    const collapsed = this.sheet && !this.open;
    return html`<div class="head" @keydown=${this.onSheetKeydown}>
        <span class="grabber" aria-hidden="true"></span>
        <div role="tablist" aria-label="Sidebar" @keydown=${this.onTabKeydown}>
          ${tabs.map(
            (t) => html`<button role="tab" id="tab-${t.id}" aria-selected=${this.tab === t.id ? 'true' : 'false'} aria-controls="panel-${t.id}" tabindex=${this.tab === t.id ? 0 : -1} @click=${() => this.selectTab(t.id)}>
              ${t.label}${t.count !== null ? html`<span class="tab-count">${t.count}</span>` : null}
            </button>`,
          )}
        </div>
        <button class="btn btn--quiet sheet-toggle" type="button" aria-expanded=${this.open ? 'true' : 'false'} aria-controls="panel-${this.tab}" aria-label=${this.open ? 'Close the panel' : 'Open the panel'} @click=${() => (this.open = !this.open)}>
          <span class="chevron" aria-hidden="true"></span>
        </button>
      </div>
      <div class="panel" role="tabpanel" id="panel-${this.tab}" aria-labelledby="tab-${this.tab}" ?inert=${collapsed} @keydown=${this.onSheetKeydown}>
        ${this.tab === 'annotations' ? this.renderAnnotations() : null}
        ${this.tab === 'footnotes' ? html`<ap-footnote-panel .report=${this.footnoteReport}></ap-footnote-panel>` : null}
        ${this.tab === 'suggestions' ? html`<ap-suggestions-panel .list=${this.suggestions} .canAct=${this.canAct} @ap-annotation-action=${this.onSuggestionOpens}></ap-suggestions-panel>` : null}
      </div>`;
  }

  /** Shows a tab; in the narrow layout, choosing a tab also opens the sheet. */
  selectTab(tab: SidebarTab): void {
    this.tab = tab;
    if (this.sheet) this.open = true;
  }

  /** In the narrow layout, opens the sheet on a tab (a highlight was tapped); beside the chapter every tab is in view already. */
  reveal(tab: SidebarTab): void {
    if (!this.sheet) return;
    this.tab = tab;
    this.open = true;
  }

  /** "Open it" on a covered suggestion: show the annotation's card (the event goes on to the app, which opens it). */
  private onSuggestionOpens(event: CustomEvent<AnnotationAction>): void {
    if (event.detail.type === 'open') this.tab = 'annotations';
  }

  /** In the narrow layout, closes the sheet (the text is wanted in full: a suggestion's passage is shown). */
  collapse(): void {
    this.open = false;
  }

  /** Esc in the open sheet closes it and leaves focus on its toggle. */
  private onSheetKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Escape' || !this.sheet || !this.open || event.defaultPrevented) return;
    event.preventDefault();
    this.open = false;
    this.renderRoot.querySelector<HTMLElement>('.sheet-toggle')?.focus();
  }

  private renderAnnotations() {
    const f = this.filtered!;
    const shown = f.inText.slice(0, this.limit);
    const matched = f.inText.length + f.needsAttention.length;
    return html`<ap-filters .filter=${this.filter} .facets=${this.facets} .footnoteNumbers=${this.footnoteNumbers} @ap-filter-change=${this.onFilterChange}></ap-filters>
      <div class="summary" aria-live="polite">
        <span>${isFilterActive(this.filter) ? `${matched} of ${f.total} annotations match` : `${f.total} ${f.total === 1 ? 'annotation' : 'annotations'}`}</span>
      </div>
      ${f.needsAttention.length > 0 ? this.renderAttention(f.needsAttention) : null}
      ${f.total === 0
        ? html`<div class="empty">No annotations yet.<br />Select a passage in the chapter, then press <kbd>1</kbd> Sourced, <kbd>2</kbd> Contested, <kbd>3</kbd> Interpretive, <kbd>P</kbd> Problem or <kbd>C</kbd> Comment.</div>`
        : matched === 0
          ? html`<div class="empty">Nothing matches these filters.</div>`
          : null}
      <ol aria-label="Annotations in document order">
        ${repeat(shown, (a) => a.id, (a) => this.renderCard(a))}
      </ol>
      ${f.inText.length > this.limit
        ? html`<button class="btn more" type="button" @click=${() => (this.limit += PAGE)}>Show ${Math.min(PAGE, f.inText.length - this.limit)} more (${f.inText.length - this.limit} not shown)</button>`
        : null}`;
  }

  private renderAttention(list: AnnotationView[]) {
    return html`<section class="attention" aria-labelledby="attention-h">
      <h3 id="attention-h">Needs attention · ${list.length}</h3>
      <p>The text these annotations pointed at was deleted or changed. Their original quotes are kept.</p>
      <ol aria-label="Orphaned and changed annotations">${repeat(list.slice(0, this.attentionLimit), (a) => a.id, (a) => this.renderCard(a))}</ol>
      ${list.length > this.attentionLimit ? html`<button class="btn more" type="button" @click=${() => (this.attentionLimit += PAGE)}>Show more</button>` : null}
    </section>`;
  }

  private renderCard(a: AnnotationView) {
    const active = a.id === this.activeId;
    return html`<li><ap-annotation-card .annotation=${a} .expanded=${active} .active=${active} .role=${this.role} .userId=${this.userId}></ap-annotation-card></li>`;
  }

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('activeId')) this.revealActive();
    if (this.activeId && this.scrolledTo !== this.activeId) {
      const card = this.renderRoot.querySelector<HTMLElement>(`ap-annotation-card[expanded]`);
      if (card) {
        card.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
        this.scrolledTo = this.activeId;
      }
    }
    if (!this.activeId) this.scrolledTo = null;
  }

  /** Widens the window (and switches tabs) so the active annotation's card is rendered. */
  private revealActive(): void {
    if (!this.activeId || !this.filtered) return;
    const index = this.filtered.inText.findIndex((a) => a.id === this.activeId);
    if (index >= this.limit) this.limit = Math.ceil((index + 1) / PAGE) * PAGE;
    const attentionIndex = this.filtered.needsAttention.findIndex((a) => a.id === this.activeId);
    if (attentionIndex >= this.attentionLimit) this.attentionLimit = Math.ceil((attentionIndex + 1) / PAGE) * PAGE;
  }

  private onFilterChange(event: CustomEvent<AnnotationFilter>): void {
    event.stopPropagation();
    this.filter = event.detail;
    this.limit = PAGE;
  }

  private onTabKeydown(event: KeyboardEvent): void {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    const tabs = [...this.renderRoot.querySelectorAll<HTMLElement>('[role="tab"]')];
    const current = tabs.findIndex((t) => t.getAttribute('aria-selected') === 'true');
    const next = tabs[(current + (event.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length]!;
    next.click();
    next.focus();
  }
}

customElements.define('ap-sidebar', ApSidebar);
