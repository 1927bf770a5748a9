import { LitElement, css, html } from 'lit';
import { sharedStyles } from './shared-styles.ts';

/** A button offered with a notice (e.g. "Recover" after a refused change). */
export interface NoticeAction {
  label: string;
  run: () => void;
}

/** A message for the user. */
export interface Notice {
  level: 'info' | 'warning' | 'error';
  message: string;
  /** Notices with the same key replace each other (one notice per ongoing situation). */
  key?: string;
  action?: NoticeAction;
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
      .action {
        flex: none;
        align-self: center;
        color: inherit;
        background: rgba(255, 255, 255, 0.14);
        border: 1px solid rgba(255, 255, 255, 0.7);
        border-radius: 6px;
        padding: 4px 10px;
        font: 600 13px/1.2 var(--ap-sans);
        cursor: pointer;
      }
      .action:hover { background: rgba(255, 255, 255, 0.24); }
      .action:focus-visible, .close:focus-visible { outline: 2px solid #fff; outline-offset: 2px; }
    `,
  ];

  /**
   * Shows a notice, or counts it again if the same message is already shown. A notice with a
   * key replaces the one shown with that key.
   */
  show(notice: Notice): void {
    const keyed = notice.key === undefined ? undefined : this.notices.find((n) => n.key === notice.key);
    if (keyed && (keyed.message !== notice.message || keyed.level !== notice.level)) {
      this.notices = this.notices.map((n) => (n === keyed ? { ...notice, id: n.id, repeats: 1 } : n));
      return;
    }
    const same = keyed ?? this.notices.find((n) => n.message === notice.message && n.level === notice.level);
    if (same) {
      this.notices = this.notices.map((n) => (n === same ? { ...n, action: notice.action, repeats: n.repeats + 1 } : n));
      return;
    }
    const shown: ShownNotice = { ...notice, id: this.nextId++, repeats: 1 };
    this.notices = [...this.notices.slice(-3), shown];
    // A keyed notice may have been replaced by a warning meanwhile: only an info notice fades.
    if (notice.level === 'info') setTimeout(() => this.notices.find((n) => n.id === shown.id)?.level === 'info' && this.dismiss(shown.id), INFO_LIFETIME_MS);
  }

  /** Removes a notice. */
  dismiss(id: number): void {
    this.notices = this.notices.filter((n) => n.id !== id);
  }

  /** Removes the notice shown with `key`, if any. */
  dismissKey(key: string): void {
    this.notices = this.notices.filter((n) => n.key !== key);
  }

  override render() {
    return html`<div role="log" aria-live="polite" aria-label="Notices">
      ${this.notices.map(
        (n) => html`<div class="notice ${n.level}" role=${n.level === 'info' ? 'status' : 'alert'}>
          <span class="message">${n.message}${n.repeats > 1 ? html`<span class="count">×${n.repeats}</span>` : null}</span>
          ${n.action ? html`<button class="action" type="button" @click=${n.action.run}>${n.action.label}</button>` : null}
          <button class="close" type="button" aria-label="Dismiss notice" @click=${() => this.dismiss(n.id)}>×</button>
        </div>`,
      )}
    </div>`;
  }
}

customElements.define('ap-notice', ApNotice);
