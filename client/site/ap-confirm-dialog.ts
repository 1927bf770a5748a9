import { LitElement, css, html } from 'lit';
import type { TemplateResult } from 'lit';
import { sharedStyles } from '../components/shared-styles.ts';

/** What to ask: a title, an explanation, the confirming button, and optional extra content (an export link). */
export interface ConfirmRequest {
  title: string;
  message: string;
  confirmLabel: string;
  danger?: boolean;
  extra?: TemplateResult;
}

/**
 * A confirmation before a destructive action (revoking a link, removing a member, deleting a
 * chapter): a modal `<dialog>` — focus moves into it and stays there, Esc cancels — with Cancel
 * focused first, so Enter never destroys anything by accident.
 */
export class ApConfirmDialog extends LitElement {
  static override properties = { request: { state: true } };
  declare request: ConfirmRequest | null;
  #resolve: ((confirmed: boolean) => void) | null = null;

  constructor() {
    super();
    this.request = null;
  }

  static override styles = [
    sharedStyles,
    css`
      dialog { border: 0; border-radius: 12px; padding: 0; box-shadow: var(--ap-shadow-pop); width: min(460px, calc(100vw - 28px)); }
      dialog::backdrop { background: rgba(29, 34, 48, 0.42); }
      .body { padding: 22px 22px 18px; display: grid; gap: 12px; }
      h2 { margin: 0; font: 600 19px/1.3 var(--ap-serif); color: var(--ap-accent); }
      p { margin: 0; color: var(--ap-ink-soft); line-height: 1.5; }
      .buttons { display: flex; justify-content: flex-end; gap: 8px; flex-wrap: wrap; }
      .btn--danger-solid { background: var(--ap-danger); border-color: var(--ap-danger); color: #fff; }
      .btn--danger-solid:hover:not(:disabled) { background: #861e17; border-color: #861e17; }
    `,
  ];

  /** Shows the dialog; resolves with whether the person confirmed. */
  async ask(request: ConfirmRequest): Promise<boolean> {
    this.#resolve?.(false);
    this.request = request;
    await this.updateComplete;
    const dialog = this.renderRoot.querySelector('dialog')!;
    if (!dialog.open) dialog.showModal();
    this.renderRoot.querySelector<HTMLButtonElement>('button[data-cancel]')?.focus();
    return new Promise((resolve) => (this.#resolve = resolve));
  }

  private finish(confirmed: boolean): void {
    const dialog = this.renderRoot.querySelector('dialog');
    if (dialog?.open) dialog.close();
    this.#resolve?.(confirmed);
    this.#resolve = null;
    this.request = null;
  }

  override render() {
    const request = this.request;
    return html`<dialog aria-labelledby="confirm-title" @cancel=${(event: Event) => { event.preventDefault(); this.finish(false); }}>
      ${request
        ? html`<div class="body">
            <h2 id="confirm-title">${request.title}</h2>
            <p>${request.message}</p>
            ${request.extra ?? null}
            <div class="buttons">
              <button class="btn" type="button" data-cancel @click=${() => this.finish(false)}>Cancel</button>
              <button class="btn ${request.danger ? 'btn--danger-solid' : 'btn--primary'}" type="button" @click=${() => this.finish(true)}>${request.confirmLabel}</button>
            </div>
          </div>`
        : null}
    </dialog>`;
  }
}

customElements.define('ap-confirm-dialog', ApConfirmDialog);
