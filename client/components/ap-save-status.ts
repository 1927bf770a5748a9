import { LitElement, css, html } from 'lit';
import type { ConnectionSnapshot } from '../collab/room-connection.ts';
import { saveStatusLabel } from './save-status-label.ts';
import { sharedStyles } from './shared-styles.ts';

/** The connection and save state in the header: Saving… / Saved / Offline — N changes pending. */
export class ApSaveStatus extends LitElement {
  static override properties = { snapshot: { attribute: false } };
  declare snapshot: ConnectionSnapshot | null;

  constructor() {
    super();
    this.snapshot = null;
  }

  static override styles = [
    sharedStyles,
    css`
      :host { display: inline-flex; }
      .pill {
        display: inline-flex;
        align-items: center;
        gap: 7px;
        font: 500 12.5px/1 var(--ap-sans);
        padding: 6px 10px;
        border-radius: 999px;
        background: var(--ap-surface-sunk);
        color: var(--ap-ink-soft);
        white-space: nowrap;
      }
      .dot { width: 8px; height: 8px; border-radius: 50%; background: currentColor; flex: none; }
      .ok { color: var(--ap-ok); }
      .busy { color: var(--ap-ink-soft); }
      .busy .dot { animation: pulse 1.2s ease-in-out infinite; }
      .offline { color: var(--ap-warning); background: var(--ap-warning-bg); }
      .error { color: var(--ap-danger); background: var(--ap-danger-bg); }
      @keyframes pulse { 50% { opacity: 0.3; } }
      /* A phone's header has room for a short status; the whole of it is in the title and for screen readers. */
      @media (max-width: 599px) {
        .pill { padding: 6px 8px; }
        .text { max-width: 92px; overflow: hidden; text-overflow: ellipsis; }
      }
    `,
  ];

  override render() {
    if (!this.snapshot) return html``;
    const label = saveStatusLabel(this.snapshot);
    return html`<span class="pill ${label.tone}" role="status" aria-live="polite" title=${label.detail} data-tone=${label.tone}>
      <span class="dot" aria-hidden="true"></span><span class="text">${label.text}</span>
      <span class="sr" hidden>${label.detail}</span>
    </span>`;
  }
}

customElements.define('ap-save-status', ApSaveStatus);
