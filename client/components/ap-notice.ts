import { LitElement, css, html } from 'lit';
import { sharedStyles } from './shared-styles.ts';

/** A message for the user. */
export interface Notice {
  level: 'info' | 'warning' | 'error';
  message: string;
}

interface ShownNotice extends Notice {
  id: number;
  repeats: number;
}

const INFO_LIFETIME_MS = 6000;

/**
 * The notice stack in the corner: refused writes, connection problems, confirmations.
 * Info notices fade on their own; warnings and errors stay until dismissed. A repeated
 * message is counted rather than stacked.
 */
export class ApNotice extends LitElement {
  static override properties = { notices: { state: true } };
  declare notices: ShownNotice[];
  private nextId = 1;

  constructor() {
    super();
    this.notices = [];
  }

  static override styles = [
    sharedStyles,
    css`
      :host { position: fixed; left: 20px; bottom: 20px; z-index: 60; display: grid; gap: 8px; max-width: 420px; }
      .notice {
        display: flex;
        gap: 10px;
        align-items: flex-start;
        background: var(--ap-accent);
        color: #fff;
        border-radius: var(--ap-radius);
        padding: 11px 12px 11px 14px;
        box-shadow: var(--ap-shadow-pop);
        font: 13.5px/1.45 var(--ap-sans);
      }
      .warning { background: #5b3b00; }
      .error { background: var(--ap-danger); }
      .message { flex: 1; }
      .close { color: #fff; border: 0; background: transparent; font-size: 18px; line-height: 1; cursor: pointer; padding: 0 2px; }
      .count { opacity: 0.8; font-size: 12px; margin-left: 4px; }
    `,
  ];

  /** Shows a notice, or counts it again if the same message is already shown. */
  show(notice: Notice): void {
    const same = this.notices.find((n) => n.message === notice.message && n.level === notice.level);
    if (same) {
      this.notices = this.notices.map((n) => (n === same ? { ...n, repeats: n.repeats + 1 } : n));
      return;
    }
    const shown: ShownNotice = { ...notice, id: this.nextId++, repeats: 1 };
    this.notices = [...this.notices.slice(-3), shown];
    if (notice.level === 'info') setTimeout(() => this.dismiss(shown.id), INFO_LIFETIME_MS);
  }

  /** Removes a notice. */
  dismiss(id: number): void {
    this.notices = this.notices.filter((n) => n.id !== id);
  }

  override render() {
    return html`<div role="log" aria-live="polite" aria-label="Notices">
      ${this.notices.map(
        (n) => html`<div class="notice ${n.level}" role=${n.level === 'info' ? 'status' : 'alert'}>
          <span class="message">${n.message}${n.repeats > 1 ? html`<span class="count">×${n.repeats}</span>` : null}</span>
          <button class="close" type="button" aria-label="Dismiss notice" @click=${() => this.dismiss(n.id)}>×</button>
        </div>`,
      )}
    </div>`;
  }
}

customElements.define('ap-notice', ApNotice);
