import { LitElement, css, html } from 'lit';
import type { ExportChoice } from '../collab/room-api.ts';
import { OutsideClick } from './outside-click.ts';
import { dropdownStyles, sharedStyles } from './shared-styles.ts';

/**
 * The export menu: one download per format the server lists (`GET /api/rooms/<room>/exports`,
 * from the one table of formats in schema/exchange/export/formats.ts). It stays disabled, with
 * a tooltip saying why, until the server has answered with at least one.
 */
export class ApExportMenu extends LitElement {
  static override properties = {
    choices: { attribute: false },
    open: { state: true },
  };
  /** The downloads on offer; null while the server is being asked, empty when it offers none. */
  declare choices: ExportChoice[] | null;
  declare open: boolean;
  // A click anywhere else closes the menu.
  private readonly outsideClick = new OutsideClick(this, () => (this.open = false));

  constructor() {
    super();
    this.choices = null;
    this.open = false;
  }

  static override styles = [
    sharedStyles,
    dropdownStyles,
    css`
      .menu { width: 270px; padding: 6px; margin: 0; list-style: none; }
      a { display: grid; gap: 3px; padding: 8px 10px; border-radius: 6px; color: var(--ap-ink); text-decoration: none; }
      a:hover, a:focus-visible { background: var(--ap-surface-sunk); }
      .label { font: 600 13.5px/1.2 var(--ap-sans); }
      .hint { font: 12px/1.3 var(--ap-sans); color: var(--ap-muted); }
      .caret { font-size: 10px; }
    `,
  ];

  override render() {
    const choices = this.choices ?? [];
    const disabled = choices.length === 0;
    const why = this.choices === null ? 'Checking whether exports are available…' : 'Exports are not available on this server yet.';
    return html`<button
        class="btn"
        type="button"
        aria-haspopup="true"
        aria-expanded=${this.open ? 'true' : 'false'}
        aria-controls="export-list"
        ?disabled=${disabled}
        title=${disabled ? why : 'Download the annotations'}
        @click=${() => (this.open = !this.open)}
        @keydown=${this.onKeydown}
      >
        Export <span class="caret" aria-hidden="true">▼</span>
      </button>
      <ul class="dropdown menu" id="export-list" ?hidden=${!this.open} aria-label="Export formats" @keydown=${this.onKeydown}>
        ${choices.map(
          (choice) => html`<li>
            <a href=${choice.href} download=${choice.fileName} data-format=${choice.name} @click=${() => (this.open = false)}>
              <span class="label">${choice.label}</span><span class="hint">${choice.hint}</span>
            </a>
          </li>`,
        )}
      </ul>`;
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Escape' && this.open) {
      this.open = false;
      this.renderRoot.querySelector('button')?.focus();
    }
  }
}

customElements.define('ap-export-menu', ApExportMenu);
