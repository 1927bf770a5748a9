import { LitElement, css, html, nothing } from 'lit';
import { emptyPersonRow, sortPeople } from '../../schema/index.ts';
import type { AgreementReport, DateRange, PersonRow, SentenceDisagreement, SeminarDisagreement } from '../../schema/index.ts';
import { sentenceHash } from '../app/room-address.ts';
import { sharedStyles } from '../components/shared-styles.ts';
import { siteStyles } from '../site/site-styles.ts';
import { PEOPLE_EXPANDED, PEOPLE_ORDER } from './ap-people-table.ts';
import type { ApPeopleTable, BreakdownLine } from './ap-people-table.ts';
import { MARK_SESSION, RANGE_CHOICE } from './ap-range-filter.ts';
import type { RangeChoice } from './ap-range-filter.ts';
import { presetRange } from './date-range.ts';
import type { RangePreset } from './date-range.ts';
import { seminarGradebookHref } from './gradebook-href.ts';
import { gradebookLinks } from './gradebook-links.ts';
import { RefreshOnReturn } from './refresh-on-return.ts';
import type { PeopleOrder } from './seminar-model.ts';
import { fetchSeminarOverview } from './seminar-overview-api.ts';
import type { SeminarOverviewReport } from './seminar-overview-api.ts';
import { seminarStyles, shortTime, toolbarStyles } from './seminar-styles.ts';
import { lastSessionMark, markSession, seminarScope } from './session-marks.ts';
import './ap-agreement-panel.ts';
import './ap-chapter-lines.ts';
import './ap-figure-cards.ts';
import './ap-people-table.ts';
import './ap-range-filter.ts';

/** What a member who is neither owner nor reviewer reads (a student opening the address). */
const REFUSED = "This overview is for the seminar's owners and reviewers: it shows everyone's work, chapter by chapter. Your own annotations are in each chapter.";

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

/**
 * A seminar's overview `/s/<id>/overview` (owners and reviewers; docs/seminar-view.md): the
 * people table added up over every chapter, each person's row opening on their chapters, the
 * chapters with their alpha, agreement pooled over all chapters with the most disagreed
 * sentences (each a link into its chapter at that sentence), and the gradebook downloads. The
 * server computes it on request, with the chapter view's functions; the page asks again when the
 * person comes back to it, changes the range or presses Refresh (it does not follow every
 * chapter live, and says so).
 */
export class ApSeminarOverview extends LitElement {
  static override properties = {
    seminarId: { attribute: false },
    report: { state: true },
    error: { state: true },
    loading: { state: true },
    preset: { state: true },
    range: { state: true },
    lastSession: { state: true },
    order: { state: true },
    message: { state: true },
  };
  declare seminarId: string;
  declare report: SeminarOverviewReport | null;
  declare error: string;
  declare loading: boolean;
  declare preset: RangePreset;
  declare range: DateRange;
  declare lastSession: string | null;
  declare order: PeopleOrder;
  /** A short word about the last action (a session marked), read out politely. */
  declare message: string;

  readonly #refresh = new RefreshOnReturn(this, () => void this.load());
  #request = 0;
  #sorted: { report: SeminarOverviewReport; order: PeopleOrder; people: PersonRow[] } | null = null;
  #breakdown: { report: SeminarOverviewReport; lines: Map<string, BreakdownLine[]> } | null = null;

  constructor() {
    super();
    this.seminarId = '';
    this.report = null;
    this.error = '';
    this.loading = false;
    this.preset = 'all';
    this.range = {};
    this.lastSession = null;
    this.order = { key: 'name', direction: 'ascending' };
    this.message = '';
    this.addEventListener(PEOPLE_ORDER, (event) => (this.order = (event as CustomEvent<PeopleOrder>).detail));
    this.addEventListener(RANGE_CHOICE, (event) => this.chooseRange((event as CustomEvent<RangeChoice>).detail));
    this.addEventListener(MARK_SESSION, () => this.markSession());
    this.addEventListener(PEOPLE_EXPANDED, () => this.requestUpdate());
  }

  static override styles = [
    sharedStyles,
    siteStyles,
    seminarStyles,
    toolbarStyles,
    css`
      .page { max-width: 1240px; gap: 16px; }
      .page > * { min-width: 0; }
      .crumbs a { color: var(--ap-muted); text-decoration: none; font-size: 13px; }
      .crumbs a:hover { text-decoration: underline; }
      .head { display: grid; gap: 6px; }
      .bar { display: flex; flex-wrap: wrap; gap: 10px 18px; align-items: center; padding: 10px 14px; }
      .spacer { flex: 1; }
      .fresh { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 12px; font-size: 12.5px; color: var(--ap-muted); margin: -4px 2px 0; }
      .fresh b { color: var(--ap-ink-soft); font-weight: 600; }
      .people-tools { display: flex; gap: 10px; align-items: center; flex-wrap: wrap; }
      .loading { padding: 40px; text-align: center; color: var(--ap-muted); }
      .refused { max-width: 640px; }
      .refused .why { color: var(--ap-ink-soft); line-height: 1.5; }
      a.btn { text-decoration: none; }
      @media (max-width: 640px) {
        .page { padding: 14px 10px 48px; gap: 12px; }
        .bar { padding: 10px; }
      }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    this.lastSession = lastSessionMark(seminarScope(this.seminarId));
    void this.load();
  }

  /** Asks the server for the figures of the chosen range (a newer request wins). */
  async load(): Promise<void> {
    const request = ++this.#request;
    this.loading = true;
    const result = await fetchSeminarOverview(this.seminarId, this.range);
    if (request !== this.#request) return;
    this.loading = false;
    if (!result.ok) {
      this.error = result.status === 401 ? 'Sign in to see this overview.' : result.status === 403 ? REFUSED : result.error;
      return;
    }
    this.error = '';
    this.report = result.value;
    this.#refresh.loaded();
    document.title = `Overview · ${result.value.seminar.title} · Apparatus`;
  }

  private chooseRange({ preset, custom }: RangeChoice): void {
    this.preset = preset;
    this.range = presetRange(preset, { lastSession: this.lastSession, custom });
    void this.load();
  }

  private markSession(): void {
    this.lastSession = markSession(seminarScope(this.seminarId));
    this.message = `Session marked at ${clock.format(new Date(this.lastSession))}: “Since last session” will count from now.`;
  }

  override render() {
    const report = this.report;
    const back = html`<nav class="crumbs" aria-label="Breadcrumb"><a href=${`/s/${encodeURIComponent(this.seminarId)}`}>← ${report?.seminar.title ?? 'The seminar'}</a></nav>`;
    if (!report) {
      return html`<main class="page">${back}${this.error
        ? html`<div class="panel refused"><h1>Seminar overview</h1><p class=${this.error === REFUSED ? 'why' : 'error'} role="alert">${this.error}</p>${this.error.startsWith('Sign in')
            ? html`<p><a class="btn btn--primary" href=${`/sign-in?return=${encodeURIComponent(location.pathname)}`}>Sign in</a></p>`
            : html`<p><a class="btn" href=${`/s/${encodeURIComponent(this.seminarId)}`}>Back to the seminar</a></p>`}</div>`
        : html`<p class="card loading" role="status">Computing the figures of every chapter…</p>`}</main>`;
    }
    return html`<main class="page">
      ${back}
      <div class="head">
        <p class="eyebrow">Seminar overview · ${report.chapters.length} ${report.chapters.length === 1 ? 'chapter' : 'chapters'}</p>
        <h1>${report.seminar.title}</h1>
      </div>
      ${this.toolbar()}
      ${this.freshness(report)}
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <ap-figure-cards .people=${report.people}></ap-figure-cards>
      <section class="card" aria-labelledby="chapters-title">
        <div class="card__head"><h2 id="chapters-title">Chapters</h2><span class="hint">readers, annotations and agreement per chapter · “Seminar view” follows a chapter live</span></div>
        <ap-chapter-lines .lines=${report.chapters}></ap-chapter-lines>
      </section>
      ${this.peopleCard(report)}
      <section class="card" aria-labelledby="agreement-title">
        <div class="card__head"><h2 id="agreement-title">Agreement between readers, all chapters</h2><span class="hint">one alpha over the sentences of every chapter (not an average); a sentence a reader left untagged is missing, not a value</span></div>
        <ap-agreement-panel .report=${this.pooledReport(report)} .scope=${'seminar'} .place=${this.place}></ap-agreement-panel>
      </section>
    </main>`;
  }

  private toolbar() {
    const download = (format: 'csv' | 'json') => seminarGradebookHref(this.seminarId, { format, range: this.range, order: this.order });
    return html`<div class="card bar">
      <ap-range-filter .preset=${this.preset} .range=${this.range} .lastSession=${this.lastSession}></ap-range-filter>
      <span class="spacer"></span>
      ${gradebookLinks('Download the people table of all chapters', download)}
    </div>`;
  }

  private freshness(report: SeminarOverviewReport) {
    return html`<p class="fresh">
      <span role="status">${this.loading ? 'Computing the figures again…' : html`Figures as of <b>${clock.format(new Date(report.computedAt))}</b>${report.range.since || report.range.until ? html` · counting ${this.describeRange(report.range)}` : nothing}`}</span>
      <span>Not live across chapters: computed again when you come back to this page, change the range, or press Refresh.</span>
      <button class="btn btn--small" type="button" ?disabled=${this.loading} @click=${() => void this.load()}>Refresh</button>
      ${this.message ? html`<span role="status">${this.message}</span>` : nothing}
    </p>`;
  }

  private describeRange(range: SeminarOverviewReport['range']): string {
    if (range.since && range.until) return `from ${shortTime(range.since)} to ${shortTime(range.until)}`;
    return range.since ? `since ${shortTime(range.since)}` : `until ${shortTime(range.until)}`;
  }

  private peopleCard(report: SeminarOverviewReport) {
    const people = this.sortedPeople(report);
    const table = this.renderRoot.querySelector<ApPeopleTable>('ap-people-table');
    const allOpen = table?.allExpanded ?? false;
    return html`<section class="card" aria-labelledby="people-title">
      <div class="card__head">
        <h2 id="people-title">People</h2>
        <span class="people-tools">
          <span class="hint">${people.length} ${people.length === 1 ? 'person' : 'people'}, summed over ${report.chapters.length} ${report.chapters.length === 1 ? 'chapter' : 'chapters'} · click a column to sort</span>
          ${people.length > 0 && report.chapters.length > 0
            ? html`<button class="btn btn--small" type="button" aria-pressed=${allOpen ? 'true' : 'false'} @click=${() => table?.expandAll(!allOpen)}>${allOpen ? 'Hide the chapters' : 'Show every chapter'}</button>`
            : nothing}
        </span>
      </div>
      <ap-people-table .people=${people} .order=${this.order} .breakdown=${this.breakdownOf(report)}></ap-people-table>
    </section>`;
  }

  private sortedPeople(report: SeminarOverviewReport): PersonRow[] {
    if (this.#sorted?.report !== report || this.#sorted.order !== this.order) {
      this.#sorted = { report, order: this.order, people: sortPeople(report.people, this.order.key, this.order.direction) };
    }
    return this.#sorted.people;
  }

  /** Each person's row in every chapter, in the seminar's order (a chapter they did nothing in shows zeros). */
  private breakdownOf(report: SeminarOverviewReport): ReadonlyMap<string, readonly BreakdownLine[]> {
    if (this.#breakdown?.report !== report) {
      const byChapter = report.chapters.map((line) => ({ label: line.chapter.title, rows: new Map(line.rows.map((row) => [row.userId, row])) }));
      const lines = new Map(report.people.map((person) => [person.userId, byChapter.map(({ label, rows }) => ({ label, row: rows.get(person.userId) ?? emptyPersonRow(person.userId, person.name) }))]));
      this.#breakdown = { report, lines };
    }
    return this.#breakdown.lines;
  }

  /** The pooled agreement in the shape the chapter view's panel draws (no paragraphs: they belong to chapters). */
  private pooledReport(report: SeminarOverviewReport): AgreementReport {
    const { readers, tagged, coverage, sentences, disagreements } = report.agreement;
    return { readers, tagged, coverage, sentences, disagreements, chapter: report.alpha, paragraphs: [] };
  }

  /** A disagreement's link: its chapter's room, opened at the sentence. */
  private readonly place = (item: SentenceDisagreement): { href: string; where: string } => {
    const { chapter, paragraph, inParagraph, sentence } = item as SeminarDisagreement;
    const room = `/r/${encodeURIComponent(chapter.id)}`;
    const href = sentence.blockId ? `${room}${sentenceHash({ blockId: sentence.blockId, ...inParagraph })}` : room;
    return { href, where: `${chapter.title} · paragraph ${paragraph}, sentence ${sentence.ordinal + 1}` };
  };
}

customElements.define('ap-seminar-overview', ApSeminarOverview);
