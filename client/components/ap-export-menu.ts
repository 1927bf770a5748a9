import { LitElement, css, html, nothing } from 'lit';
import { ANNOTATION_KINDS, choicesQuery, DEFAULT_EXPORT_CHOICES } from '../../schema/index.ts';
import type { AnnotationKind, ExportChoices, ExportGroup } from '../../schema/index.ts';
import type { ExportChoice } from '../collab/room-api.ts';
import { OutsideClick } from './outside-click.ts';
import { dropdownStyles, sharedStyles } from './shared-styles.ts';

/** Sent when the user asks to print the chapter with its apparatus. */
export const PRINT_REQUEST = 'ap-print-request';

const GROUPS: Array<{ group: ExportGroup; label: string }> = [
  { group: 'document', label: 'Documents' },
  { group: 'data', label: 'Data' },
];

const KIND_LABELS: Record<AnnotationKind, string> = { claim: 'Claims', problem: 'Problems', comment: 'Comments' };

/**
 * The export menu: Print (the chapter with the apparatus the filters show, also Ctrl+P), then one
 * download per format the server lists (`GET /api/rooms/<room>/exports`, from the one table of
 * formats in schema/exchange/export/formats.ts): documents (Word with tracked changes and comments,
 * corrected text, errata, printable page) with their choices (which kinds, closed annotations,
 * page numbers), and the data formats. Print works offline; downloads wait, with the reason shown,
 * until the server has answered.
 */
export class ApExportMenu extends LitElement {
  static override properties = {
    choices: { attribute: false },
    open: { state: true },
    selections: { state: true },
  };
  /** The downloads on offer; null while the server is being asked, empty when it offers none. */
  declare choices: ExportChoice[] | null;
  declare open: boolean;
  /** The options chosen for each format that takes some, by format name. */
  declare selections: Record<string, ExportChoices>;
  // A click anywhere else closes the menu.
  private readonly outsideClick = new OutsideClick(this, () => (this.open = false));

  constructor() {
    super();
    this.choices = null;
    this.open = false;
    this.selections = {};
  }

  static override styles = [
    sharedStyles,
    dropdownStyles,
    css`
      .menu { width: min(340px, calc(100vw - 24px)); max-height: min(75vh, 640px); overflow-y: auto; padding: 6px; margin: 0; list-style: none; }
      .item { display: grid; gap: 3px; padding: 8px 10px; border-radius: 6px; color: var(--ap-ink); text-decoration: none; }
      a.item:hover, a.item:focus-visible, button.item:hover, button.item:focus-visible { background: var(--ap-surface-sunk); }
      a.item[aria-disabled='true'] { color: var(--ap-muted); cursor: not-allowed; }
      button.item { all: unset; box-sizing: border-box; display: grid; gap: 3px; padding: 8px 10px; border-radius: 6px; width: 100%; cursor: pointer; }
      button.item:focus-visible { outline: 2px solid var(--ap-focus); }
      .label { font: 600 13.5px/1.2 var(--ap-sans); display: flex; justify-content: space-between; gap: 8px; align-items: baseline; }
      .ext { font: 500 11.5px/1 var(--ap-mono); color: var(--ap-muted); }
      .hint { font: 12px/1.35 var(--ap-sans); color: var(--ap-muted); }
      .group { font: 600 11px/1 var(--ap-sans); letter-spacing: 0.08em; text-transform: uppercase; color: var(--ap-muted); padding: 12px 10px 4px; }
      .options { display: flex; flex-wrap: wrap; gap: 4px 12px; padding: 0 10px 8px; font: 12.5px/1.3 var(--ap-sans); color: var(--ap-ink-soft); }
      .options label { display: inline-flex; gap: 5px; align-items: center; cursor: pointer; }
      .options input { margin: 0; accent-color: var(--ap-accent); }
      .why { padding: 4px 10px 8px; font: 12px/1.35 var(--ap-sans); color: var(--ap-warning); }
      .caret { font-size: 10px; }
      /* On a phone the button may sit anywhere in the header: the menu spans the screen instead. */
      @media (max-width: 600px) {
        .menu { position: fixed; left: 8px; right: 8px; top: calc(var(--ap-header-height) + 4px); width: auto; max-height: calc(100vh - var(--ap-header-height) - 16px); }
      }
    `,
  ];

  override render() {
    const choices = this.choices ?? [];
    return html`<button
        class="btn"
        type="button"
        aria-haspopup="true"
        aria-expanded=${this.open ? 'true' : 'false'}
        aria-controls="export-list"
        title="Print the chapter or download the annotations"
        @click=${() => (this.open = !this.open)}
        @keydown=${this.onKeydown}
      >
        Export <span class="caret" aria-hidden="true">▼</span>
      </button>
      <ul class="dropdown menu" id="export-list" ?hidden=${!this.open} aria-label="Export and print" @keydown=${this.onKeydown}>
        <li>
          <button class="item" type="button" @click=${this.requestPrint}>
            <span class="label">Print / PDF… <kbd>Ctrl+P</kbd></span>
            <span class="hint">The whole chapter for paper, with the numbered apparatus of the annotations your filters show</span>
          </button>
        </li>
        ${choices.length > 0
          ? null
          : html`<li class="why" role="note">${this.choices === null ? 'Checking which downloads the server offers…' : 'Downloads are not available right now (offline, or the server did not answer). Print still works.'}</li>`}
        ${GROUPS.map(({ group, label }) => {
          const listed = choices.filter((choice) => choice.group === group);
          return listed.length === 0 ? null : html`<li class="group" role="presentation">${label}</li>${listed.map((choice) => this.renderChoice(choice))}`;
        })}
      </ul>`;
  }

  private selectionOf(choice: ExportChoice): ExportChoices {
    return this.selections[choice.name] ?? DEFAULT_EXPORT_CHOICES;
  }

  private renderChoice(choice: ExportChoice) {
    const selection = this.selectionOf(choice);
    const ready = selection.kinds.size > 0;
    const extension = choice.fileName.slice(choice.fileName.lastIndexOf('.'));
    return html`<li>
      <a
        class="item"
        data-format=${choice.name}
        href=${ready ? choice.href + choicesQuery(choice, selection) : nothing}
        role=${ready ? nothing : 'link'}
        aria-disabled=${ready ? 'false' : 'true'}
        download=${choice.fileName}
        @click=${(event: Event) => (ready ? (this.open = false) : event.preventDefault())}
      >
        <span class="label">${choice.label} <span class="ext">${extension}</span></span>
        <span class="hint">${ready ? choice.hint : 'Choose at least one kind of annotation'}</span>
      </a>
      ${choice.options.length > 0 ? this.renderOptionBoxes(choice, selection) : null}
    </li>`;
  }

  private renderOptionBoxes(choice: ExportChoice, selection: ExportChoices) {
    const takes = (option: string) => (choice.options as readonly string[]).includes(option);
    const checkbox = (label: string, checked: boolean, change: (on: boolean) => void, title = '') =>
      html`<label title=${title || nothing}><input type="checkbox" .checked=${checked} @change=${(e: Event) => change((e.target as HTMLInputElement).checked)} />${label}</label>`;
    return html`<div class="options" role="group" aria-label="${choice.label} options">
      ${takes('kinds') ? ANNOTATION_KINDS.map(({ term }) => checkbox(KIND_LABELS[term], selection.kinds.has(term), (on) => this.toggleKind(choice, term, on))) : null}
      ${takes('include-resolved') ? checkbox('Closed ones too', selection.includeResolved, (on) => this.choose(choice, { includeResolved: on }), 'Resolved threads, applied and rejected problems') : null}
      ${takes('pages') ? checkbox('Page numbers', selection.pages, (on) => this.choose(choice, { pages: on })) : null}
    </div>`;
  }

  private toggleKind(choice: ExportChoice, kind: AnnotationKind, on: boolean): void {
    const kinds = new Set(this.selectionOf(choice).kinds);
    if (on) kinds.add(kind);
    else kinds.delete(kind);
    this.choose(choice, { kinds });
  }

  private choose(choice: ExportChoice, change: Partial<ExportChoices>): void {
    this.selections = { ...this.selections, [choice.name]: { ...this.selectionOf(choice), ...change } };
  }

  private requestPrint(): void {
    this.open = false;
    this.dispatchEvent(new CustomEvent(PRINT_REQUEST, { bubbles: true, composed: true }));
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Escape' && this.open) {
      this.open = false;
      this.renderRoot.querySelector('button')?.focus();
    }
  }
}

customElements.define('ap-export-menu', ApExportMenu);
