import { LitElement, css, html, nothing } from 'lit';
import type { DateRange } from '../../schema/index.ts';
import { sharedStyles } from '../components/shared-styles.ts';
import { localInput, RANGE_PRESETS } from './date-range.ts';
import type { RangePreset } from './date-range.ts';
import { shortTime, toolbarStyles } from './seminar-styles.ts';

/** The event the filter sends when a range is chosen; detail is the preset and, for a custom one, the range. */
export const RANGE_CHOICE = 'ap-range-choice';
/** The event the filter sends when "Mark session end" is pressed. */
export const MARK_SESSION = 'ap-mark-session';

/** What a range choice says. */
export interface RangeChoice {
  preset: RangePreset;
  custom: DateRange;
}

/**
 * The seminar views' "When" filter: the range presets (all time, since last session, today,
 * the last 7 days, custom with two date inputs) and "Mark session end". Laid out as groups of the
 * toolbar it sits in (its host takes no box of its own); sends the user's choices as events.
 */
export class ApRangeFilter extends LitElement {
  static override properties = { preset: { attribute: false }, range: { attribute: false }, lastSession: { attribute: false } };
  declare preset: RangePreset;
  declare range: DateRange;
  /** The last session mark, or null (then "Since last session" is unavailable). */
  declare lastSession: string | null;

  constructor() {
    super();
    this.preset = 'all';
    this.range = {};
    this.lastSession = null;
  }

  static override styles = [sharedStyles, toolbarStyles, css`:host { display: contents; }`];

  override render() {
    return html`<div class="group" role="group" aria-label="Time range">
      <span class="label">When</span>
      <span class="seg">
        ${RANGE_PRESETS.map(
          (p) => html`<button type="button" aria-pressed=${this.preset === p.preset ? 'true' : 'false'} ?disabled=${p.preset === 'session' && !this.lastSession}
            title=${p.preset === 'session' ? (this.lastSession ? `Since ${shortTime(this.lastSession)}` : 'Mark the end of a session first') : p.label}
            @click=${() => this.choose(p.preset, p.preset === 'custom' ? this.range : {})}>${p.label}</button>`,
        )}
      </span>
      ${this.preset === 'custom'
        ? html`<label class="group">from <input type="datetime-local" .value=${localInput(this.range.since)} @change=${(e: Event) => this.custom('since', e)} /></label>
            <label class="group">to <input type="datetime-local" .value=${localInput(this.range.until)} @change=${(e: Event) => this.custom('until', e)} /></label>`
        : nothing}
      <button class="btn btn--quiet btn--small" type="button" title="Remember now as the end of this session, for “Since last session”" @click=${this.mark}>Mark session end</button>
    </div>`;
  }

  private choose(preset: RangePreset, custom: DateRange): void {
    this.dispatchEvent(new CustomEvent<RangeChoice>(RANGE_CHOICE, { detail: { preset, custom }, bubbles: true, composed: true }));
  }

  private custom(end: 'since' | 'until', event: Event): void {
    const value = (event.target as HTMLInputElement).value;
    this.choose('custom', { ...this.range, [end]: value ? new Date(value).toISOString() : null });
  }

  private readonly mark = (): void => {
    this.dispatchEvent(new CustomEvent(MARK_SESSION, { bubbles: true, composed: true }));
  };
}

customElements.define('ap-range-filter', ApRangeFilter);
