import { LitElement, html } from 'lit';
import { formatFullTime, formatRelativeTime } from './relative-time.ts';

/** How often relative times are brought up to date ("just now" becomes "1 min ago"). */
const TICK_MS = 30_000;

const shown = new Set<ApTime>();
let ticker = 0;

function tick(): void {
  for (const element of shown) element.requestUpdate();
}

/**
 * A past moment as a relative time ("just now", "5 min ago", "12 Mar") in a `<time>` with its
 * machine-readable `datetime` and the full date as a tooltip, kept up to date: every element on
 * the page is refreshed by one shared timer while any is shown. Light DOM (no shadow root of its
 * own): a sidebar shows many of them.
 */
export class ApTime extends LitElement {
  static override properties = { at: { attribute: false } };
  /** The moment, in ms since the epoch. */
  declare at: number;

  constructor() {
    super();
    this.at = Number.NaN;
  }

  override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    shown.add(this);
    if (!ticker) ticker = window.setInterval(tick, TICK_MS);
  }

  override disconnectedCallback(): void {
    shown.delete(this);
    if (shown.size === 0 && ticker) {
      clearInterval(ticker);
      ticker = 0;
    }
    super.disconnectedCallback();
  }

  override render() {
    if (!Number.isFinite(this.at)) return html``;
    return html`<time datetime=${new Date(this.at).toISOString()} title=${formatFullTime(this.at)}>${formatRelativeTime(this.at)}</time>`;
  }
}

customElements.define('ap-time', ApTime);
