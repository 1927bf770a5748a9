import { LitElement, css, html } from 'lit';
import { sharedStyles } from './shared-styles.ts';

/** The event the dialog sends with the chosen display name. */
export const NAME_CHOSEN = 'ap-name-chosen';
/** The event the dialog sends when closed with Esc (only meaningful when renaming). */
export const NAME_CANCEL = 'ap-name-cancel';

const MAX_NAME_LENGTH = 60;

/**
 * Asks a first-time visitor for the name the others will see beside their highlights and
 * caret. A modal dialog: focus starts in the field, Enter joins.
 */
export class ApNameDialog extends LitElement {
  static override properties = {
    roomTitle: { attribute: false },
    role: { attribute: false },
    initialName: { attribute: false },
    error: { attribute: false },
    busy: { attribute: false },
  };
  declare roomTitle: string;
  declare role: string;
  declare initialName: string;
  declare error: string;
  declare busy: boolean;

  constructor() {
    super();
    this.roomTitle = '';
    this.role = '';
    this.initialName = '';
    this.error = '';
    this.busy = false;
  }

  static override styles = [
    sharedStyles,
    css`
      :host { position: fixed; inset: 0; display: grid; place-items: center; background: rgba(29, 34, 48, 0.42); z-index: 70; }
      form {
        width: min(440px, calc(100vw - 32px));
        background: var(--ap-surface);
        border-radius: 12px;
        box-shadow: var(--ap-shadow-pop);
        padding: 28px 28px 24px;
        display: grid;
        grid-template-columns: minmax(0, 1fr);
        gap: 16px;
      }
      @media (max-width: 599px) { form { padding: 22px 18px 18px; } }
      h2 { margin: 0; font: 600 22px/1.25 var(--ap-serif); color: var(--ap-accent); }
      /* A room id is one long word: it wraps rather than widening the dialog past a phone's screen. */
      p { margin: 0; color: var(--ap-ink-soft); line-height: 1.5; overflow-wrap: anywhere; }
      .role { font-weight: 600; }
      .actions { display: flex; justify-content: flex-end; }
      .error { color: var(--ap-danger); font-size: 13px; }
      input { font-size: 16px; padding: 10px 12px; }
    `,
  ];

  override firstUpdated(): void {
    this.renderRoot.querySelector('input')?.focus();
  }

  override render() {
    return html`<form role="dialog" aria-modal="true" aria-labelledby="name-title" @submit=${this.submit} @keydown=${this.onKeydown}>
      <h2 id="name-title">Join the reading room</h2>
      <p>You are joining <strong>${this.roomTitle}</strong> as <span class="role">${this.role}</span>. Which name should the others see beside your notes and your cursor?</p>
      <label class="field">Your name
        <input type="text" name="name" autocomplete="name" maxlength=${MAX_NAME_LENGTH} required .value=${this.initialName} aria-describedby="name-error" />
      </label>
      <span id="name-error" class="error" role="alert">${this.error}</span>
      <div class="actions"><button class="btn btn--primary" type="submit" ?disabled=${this.busy}>Join</button></div>
    </form>`;
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Escape') this.dispatchEvent(new CustomEvent(NAME_CANCEL, { bubbles: true, composed: true }));
  }

  private submit(event: SubmitEvent): void {
    event.preventDefault();
    const input = this.renderRoot.querySelector('input');
    const name = input?.value.trim() ?? '';
    if (name === '') {
      this.error = 'Please enter a name.';
      return;
    }
    this.dispatchEvent(new CustomEvent<string>(NAME_CHOSEN, { detail: name.slice(0, MAX_NAME_LENGTH), bubbles: true, composed: true }));
  }
}

customElements.define('ap-name-dialog', ApNameDialog);
