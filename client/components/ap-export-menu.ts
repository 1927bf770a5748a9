import { LitElement, css, html } from 'lit';
import { exportUrl } from '../collab/room-api.ts';
import type { ExportFormat } from '../collab/room-api.ts';
import { dropdownStyles, sharedStyles } from './shared-styles.ts';

const FORMATS: Array<{ format: ExportFormat; label: string; hint: string }> = [
  { format: 'native', label: 'Apparatus JSON', hint: 'Lossless; can be imported again' },
  { format: 'w3c', label: 'W3C Web Annotation', hint: 'JSON-LD for other annotation tools' },
  { format: 'csv', label: 'Spreadsheet (CSV)', hint: 'One row per annotation' },
];

/**
 * The export menu: native JSON, W3C JSON-LD and CSV downloads. It stays disabled, with a
 * tooltip saying why, until the server's export endpoint has answered.
 */
export class ApExportMenu extends LitElement {
  static override properties = {
    room: { attribute: false },
    available: { attribute: false },
    open: { state: true },
  };
  declare room: string;
  /** null while the endpoint is being checked. */
  declare available: boolean | null;
  declare open: boolean;
  private readonly onDocumentClick = (event: MouseEvent): void => {
    if (!event.composedPath().includes(this)) this.open = false;
  };

  constructor() {
    super();
    this.room = '';
    this.available = null;
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

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('click', this.onDocumentClick);
  }

  override disconnectedCallback(): void {
    document.removeEventListener('click', this.onDocumentClick);
    super.disconnectedCallback();
  }

  override render() {
    const disabled = this.available !== true;
    const why = this.available === null ? 'Checking whether exports are available…' : 'Exports are not available on this server yet.';
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
        ${FORMATS.map(
          (f) => html`<li>
            <a href=${exportUrl(this.room, f.format)} download @click=${() => (this.open = false)}>
              <span class="label">${f.label}</span><span class="hint">${f.hint}</span>
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
