import { LitElement, css, html } from 'lit';
import { labelOf } from '../../schema/index.ts';
import type { Finding, FindingType } from '../../schema/index.ts';
import type { CoveredFinding, DismissedFinding, SuggestionList } from '../model/suggestion-list.ts';
import { sendAnnotationAction } from './app-events.ts';
import { sharedStyles } from './shared-styles.ts';

/** What the user asks of a suggestion. */
export interface SuggestionAction {
  type: 'accept' | 'dismiss' | 'show' | 'restore';
  id: string;
}

/** The event the panel sends; detail is a SuggestionAction. */
export const SUGGESTION_ACTION = 'ap-suggestion-action';

const GROUPS: Record<FindingType, { title: string; blurb: string }> = {
  duplication: { title: 'Duplicated passages', blurb: 'The same sentence rendered twice.' },
  transliteration: { title: 'Transliteration', blurb: 'One name or title romanised in several ways.' },
  ibid: { title: 'Citations and Ibid.', blurb: 'Ibid. after notes citing several works; duplicate or incomplete citations.' },
  unsourced: { title: 'Unsourced specifics', blurb: 'Figures, dates and counts with no footnote.' },
  typography: { title: 'Typography', blurb: 'Mixed quotation marks and stray spacing.' },
};

const PER_GROUP = 8;

/** Words the suggestion's outcome: "Add as problem · Duplication", "Add as sourced claim". */
function acceptLabel(finding: Finding): string {
  const s = finding.suggestion;
  if (s.kind === 'problem') return `Add problem${s.problemType ? ` · ${labelOf('problem-type', s.problemType)}` : ''}`;
  if (s.kind === 'claim') return `Add ${s.claimStatus ? labelOf('claim-status', s.claimStatus).toLocaleLowerCase() : ''} claim`;
  return 'Add comment';
}

const EMPTY: SuggestionList = { open: [], covered: [], dismissed: [] };

/**
 * The assistants' suggestions, grouped by detector: what is wrong, the quote it rests on,
 * and Accept (creates the annotation, credited to you and marked as suggested), Dismiss
 * (hides it for the whole room) and Show (scrolls the text to it). Below them, those an
 * annotation already records (covered, with a link to it) and, on request, those dismissed,
 * with Restore.
 */
export class ApSuggestionsPanel extends LitElement {
  static override properties = {
    list: { attribute: false },
    canAct: { attribute: false },
    expanded: { state: true },
    showDismissed: { state: true },
  };
  declare list: SuggestionList | null;
  declare canAct: boolean;
  declare expanded: Set<FindingType>;
  declare showDismissed: boolean;

  constructor() {
    super();
    this.list = null;
    this.canAct = false;
    this.expanded = new Set();
    this.showDismissed = false;
  }

  static override styles = [
    sharedStyles,
    css`
      :host { display: grid; gap: 18px; }
      .intro { margin: 0; font: 12.5px/1.45 var(--ap-sans); color: var(--ap-ink-soft); }
      h3 { margin: 0; font: 600 12px/1.2 var(--ap-sans); letter-spacing: 0.06em; text-transform: uppercase; color: var(--ap-ink-soft); display: flex; gap: 6px; }
      .blurb { margin: 3px 0 8px; font: 12px/1.35 var(--ap-sans); color: var(--ap-muted); }
      .n { color: var(--ap-muted); font-variant-numeric: tabular-nums; }
      ol { list-style: none; margin: 0; padding: 0; display: grid; gap: 8px; }
      li { background: var(--ap-surface); border: 1px solid var(--ap-rule); border-radius: var(--ap-radius); padding: 10px 11px; display: grid; gap: 7px; }
      .message { margin: 0; font: 13.5px/1.45 var(--ap-sans); }
      .severity { display: inline-block; width: 8px; height: 8px; border-radius: 50%; margin-right: 6px; background: var(--ap-contested); transform: translateY(-1px); }
      .severity.error { background: var(--ap-problem); }
      .quote { margin: 0; font-size: 13.5px; line-height: 1.45; display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; }
      .row { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; }
      .fn { font: 600 11.5px/1 var(--ap-sans); color: var(--ap-link); background: #eef3fb; padding: 3px 6px; border-radius: 4px; }
      .spacer { flex: 1; }
      .empty { margin: 0; text-align: center; padding: 24px 8px; color: var(--ap-muted); font: 13.5px/1.5 var(--ap-sans); }
      .aside li { background: transparent; }
      .covered-by { margin: 0; font: 12.5px/1.4 var(--ap-sans); color: var(--ap-ink-soft); }
      .covered-by .btn { margin-left: 4px; }
      .toggle { justify-self: start; }
    `,
  ];

  override render() {
    const { open, covered, dismissed } = this.list ?? EMPTY;
    const groups = new Map<FindingType, Finding[]>();
    for (const f of open) groups.set(f.type, [...(groups.get(f.type) ?? []), f]);
    return html`${open.length === 0
        ? html`<p class="empty">No open suggestions. The assistants look again whenever the text changes.</p>`
        : html`<p class="intro">The assistants read the chapter for duplicated passages, citation and transliteration problems, and unsourced specifics. Accepting a suggestion makes it your annotation, marked as suggested; dismissing hides it for everyone.</p>
            ${[...groups.entries()].map(([type, list]) => this.renderGroup(type, list))}`}
      ${covered.length > 0 ? this.renderCovered(covered) : null}
      ${dismissed.length > 0 ? this.renderDismissed(dismissed) : null}`;
  }

  private renderCovered(covered: CoveredFinding[]) {
    return html`<section class="aside" aria-labelledby="group-covered">
      <h3 id="group-covered">Already covered <span class="n">${covered.length}</span></h3>
      <p class="blurb">An annotation on the same passage already records these.</p>
      <ol>
        ${covered.map(
          (c) => html`<li data-finding-id=${c.finding.id}>
            <p class="message">${c.finding.message}</p>
            ${this.renderQuote(c.finding)}
            <p class="covered-by">Covered by: ${c.coveredBy}<button class="btn btn--quiet btn--small" type="button" @click=${() => sendAnnotationAction(this, { type: 'open', id: c.annotationId })}>Open it</button></p>
          </li>`,
        )}
      </ol>
    </section>`;
  }

  private renderDismissed(dismissed: DismissedFinding[]) {
    const toggle = html`<button class="btn btn--quiet btn--small toggle" type="button" aria-expanded=${this.showDismissed ? 'true' : 'false'} aria-controls="dismissed-list" @click=${() => (this.showDismissed = !this.showDismissed)}>
      ${this.showDismissed ? 'Hide' : 'Show'} dismissed (${dismissed.length})
    </button>`;
    return html`<section class="aside" aria-label="Dismissed suggestions">
      ${toggle}
      <ol id="dismissed-list" ?hidden=${!this.showDismissed}>
        ${dismissed.map(
          (d) => html`<li data-finding-id=${d.finding.id}>
            <p class="message">${d.finding.message}</p>
            ${this.renderQuote(d.finding)}
            <div class="row">
              <span class="covered-by">Dismissed by ${d.byName}</span><span class="spacer"></span>
              ${this.canAct && d.mayRestore ? html`<button class="btn btn--small" type="button" @click=${() => this.send('restore', d.finding.id)}>Restore</button>` : null}
            </div>
          </li>`,
        )}
      </ol>
    </section>`;
  }

  private renderQuote(f: Finding) {
    const quote = f.quotes[0]?.exact ?? '';
    return quote ? html`<p class="quote">“${quote}”</p>` : null;
  }

  private renderGroup(type: FindingType, list: Finding[]) {
    const open = this.expanded.has(type);
    const shown = open ? list : list.slice(0, PER_GROUP);
    return html`<section aria-labelledby="group-${type}">
      <h3 id="group-${type}">${GROUPS[type].title} <span class="n">${list.length}</span></h3>
      <p class="blurb">${GROUPS[type].blurb}</p>
      <ol>${shown.map((f) => this.renderFinding(f))}</ol>
      ${list.length > shown.length ? html`<button class="btn btn--quiet btn--small" type="button" @click=${() => (this.expanded = new Set([...this.expanded, type]))}>Show all ${list.length}</button>` : null}
    </section>`;
  }

  private renderFinding(f: Finding) {
    return html`<li data-finding-id=${f.id}>
      <p class="message"><span class="severity ${f.severity}" role="img" aria-label=${f.severity === 'error' ? 'Error' : 'Warning'}></span>${f.message}</p>
      ${this.renderQuote(f)}
      <div class="row">
        ${f.footnotes.map((n) => html`<span class="fn">fn ${n}</span>`)}
        <span class="spacer"></span>
        <button class="btn btn--quiet btn--small" type="button" @click=${() => this.send('show', f.id)}>Show</button>
        ${this.canAct
          ? html`<button class="btn btn--small" type="button" @click=${() => this.send('dismiss', f.id)}>Dismiss</button>
              <button class="btn btn--small btn--primary" type="button" @click=${() => this.send('accept', f.id)}>${acceptLabel(f)}</button>`
          : null}
      </div>
    </li>`;
  }

  private send(type: SuggestionAction['type'], id: string): void {
    this.dispatchEvent(new CustomEvent<SuggestionAction>(SUGGESTION_ACTION, { detail: { type, id }, bubbles: true, composed: true }));
  }
}

customElements.define('ap-suggestions-panel', ApSuggestionsPanel);
