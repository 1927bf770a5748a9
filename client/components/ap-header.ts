import { LitElement, css, html } from 'lit';
import { can, isRole } from '../../schema/index.ts';
import type { Peer } from '../collab/presence.ts';
import type { ConnectionSnapshot } from '../collab/room-connection.ts';
import type { ExportChoice } from '../collab/room-api.ts';
import { ROLE_LABELS } from '../model/role-labels.ts';
import { apparatusLogo } from './apparatus-logo.ts';
import { sharedStyles } from './shared-styles.ts';
import { NarrowLayout } from './layout-mode.ts';
import { OutsideClick } from './outside-click.ts';
import './ap-presence-bar.ts';
import './ap-save-status.ts';
import { OPEN_SEMINAR } from '../seminar/ap-room-bar.ts';
import './ap-export-menu.ts';
import './ap-invites-panel.ts';

/** The event the owner's "Edit text" switch sends; detail is the new editing state. */
export const TOGGLE_EDITING = 'ap-toggle-editing';
/** The event the user chip sends to change the display name. */
export const RENAME_REQUEST = 'ap-rename-request';


/**
 * The room's header: the chapter title, who is here, the honest save status, the owner's
 * text-editing switch, the export menu and the local user. In the narrow layout the switch,
 * the menus and the user go into a Menu the header's button opens, so the rest fits.
 */
export class ApHeader extends LitElement {
  static override properties = {
    chapterTitle: { attribute: false },
    room: { attribute: false },
    userName: { attribute: false },
    role: { attribute: false },
    peers: { attribute: false },
    snapshot: { attribute: false },
    exportChoices: { attribute: false },
    canEditText: { attribute: false },
    editing: { attribute: false },
    home: { attribute: false },
    signUpHref: { attribute: false },
    menuOpen: { state: true },
    narrow: { state: true },
  };
  declare chapterTitle: string;
  declare room: string;
  declare userName: string;
  declare role: string;
  declare peers: Peer[];
  declare snapshot: ConnectionSnapshot | null;
  declare exportChoices: ExportChoice[] | null;
  declare canEditText: boolean;
  declare editing: boolean;
  /** Where the brand leads: the chapter's seminar, or the home page. */
  declare home: { href: string; label: string };
  /** For a guest: where to sign up and keep their work; null when signed in to an account. */
  declare signUpHref: string | null;
  /** In the narrow layout: whether the Menu is open. */
  declare menuOpen: boolean;
  declare narrow: boolean;
  private readonly layout = new NarrowLayout(this, (narrow) => {
    this.narrow = narrow;
    if (!narrow) this.menuOpen = false;
  });
  // A click anywhere else closes the Menu.
  private readonly outsideClick = new OutsideClick(this, () => (this.menuOpen = false));

  constructor() {
    super();
    this.chapterTitle = '';
    this.room = '';
    this.userName = '';
    this.role = 'viewer';
    this.peers = [];
    this.snapshot = null;
    this.exportChoices = null;
    this.canEditText = false;
    this.editing = false;
    this.home = { href: '/', label: 'Your seminars' };
    this.signUpHref = null;
    this.menuOpen = false;
    this.narrow = this.layout.matches;
  }

  static override styles = [
    sharedStyles,
    css`
      :host { display: block; position: relative; z-index: 35; background: var(--ap-surface); border-bottom: 1px solid var(--ap-rule); }
      header { height: var(--ap-header-height); display: flex; align-items: center; gap: 14px; padding: 0 16px 0 18px; }
      .brand { display: flex; align-items: center; gap: 10px; min-width: 0; flex: 1; }
      .home { display: inline-flex; align-items: center; gap: 10px; text-decoration: none; flex: none; border-radius: 6px; }
      .logo { width: 26px; height: 26px; flex: none; }
      .name { font: 700 15px/1 var(--ap-sans); letter-spacing: 0.01em; color: var(--ap-accent); }
      .sep { color: var(--ap-rule-strong); }
      .title { font: 500 14.5px/1.2 var(--ap-serif); color: var(--ap-ink-soft); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; min-width: 0; margin: 0; }
      .tools, .more { display: flex; align-items: center; gap: 10px; flex: none; }
      .me { display: inline-flex; align-items: center; gap: 8px; }
      .role { font: 600 10.5px/1 var(--ap-sans); letter-spacing: 0.08em; text-transform: uppercase; color: var(--ap-muted); padding: 4px 6px; border: 1px solid var(--ap-rule-strong); border-radius: 4px; }
      .editing[aria-pressed='true'] { background: #e8f0fd; border-color: var(--ap-focus); color: #123f86; }
      .divider { width: 1px; height: 24px; background: var(--ap-rule); }
      a.btn { text-decoration: none; }
      .menu-toggle { display: none; }
      .bars { display: grid; gap: 3px; }
      .bars span { display: block; width: 16px; height: 2px; border-radius: 1px; background: currentColor; }

      @media (max-width: 899px) {
        header { gap: 10px; padding: 0 10px 0 12px; }
        .tools { gap: 8px; }
        .divider { display: none; }
        .menu-toggle { display: inline-flex; min-height: 40px; }
        /* The Menu: a panel under the header holding the switch, the menus and the user. */
        .more { display: none; position: absolute; top: calc(100% + 1px); right: 8px; min-width: 240px; max-width: calc(100vw - 16px); flex-direction: column; align-items: stretch; gap: 10px; padding: 12px; background: var(--ap-surface); border: 1px solid var(--ap-rule); border-radius: var(--ap-radius); box-shadow: var(--ap-shadow-pop); }
        .more.open { display: flex; }
        .more > .btn, .more ap-export-menu, .more ap-invites-panel { width: 100%; }
        .me { justify-content: space-between; flex-wrap: wrap; border-top: 1px solid var(--ap-rule); padding-top: 10px; }
      }
      @media (max-width: 599px) {
        .name, .sep { display: none; }
        .title { font-size: 14px; }
      }
    `,
  ];

  override render() {
    return html`<header>
      <div class="brand">
        <a class="home" href=${this.home.href} title=${`Back to ${this.home.label}`} aria-label=${`Apparatus — back to ${this.home.label}`}>
          ${apparatusLogo}
          <span class="name">Apparatus</span>
        </a>
        <span class="sep" aria-hidden="true">/</span>
        <h1 class="title" title=${this.chapterTitle}>${this.chapterTitle}</h1>
      </div>
      <div class="tools">
        <ap-presence-bar .peers=${this.peers} .maxFaces=${this.narrow ? 3 : 5}></ap-presence-bar>
        <ap-save-status .snapshot=${this.snapshot}></ap-save-status>
        <span class="divider" aria-hidden="true"></span>
        <button class="btn menu-toggle" type="button" aria-expanded=${this.menuOpen ? 'true' : 'false'} aria-controls="header-menu" @click=${() => (this.menuOpen = !this.menuOpen)}>
          <span class="bars" aria-hidden="true"><span></span><span></span><span></span></span>Menu
        </button>
        <div class="more ${this.menuOpen ? 'open' : ''}" id="header-menu" @keydown=${this.onMenuKeydown}>
          ${isRole(this.role) && can(this.role, 'view-overview')
            ? html`<button class="btn" type="button" title="Who did what, agreement between readers, blind rounds" @click=${this.openSeminar}>Seminar</button>`
            : null}
          ${this.canEditText
            ? html`<button class="btn editing" type="button" aria-pressed=${this.editing ? 'true' : 'false'} title="Switch between annotating and editing the chapter text" @click=${this.toggleEditing}>
                ${this.editing ? 'Editing text' : 'Edit text'}
              </button>`
            : null}
          ${isRole(this.role) && can(this.role, 'manage-invites') ? html`<ap-invites-panel .room=${this.room}></ap-invites-panel>` : null}
          <ap-export-menu .choices=${this.exportChoices}></ap-export-menu>
          <span class="me">
            ${this.signUpHref ? html`<a class="btn btn--primary btn--small signup" href=${this.signUpHref} title="Sign up to keep your work on every device; everything you did here stays yours">Sign up</a>` : null}
            <button class="btn btn--quiet" type="button" title="Change your display name" @click=${this.rename}>${this.userName}</button>
            <span class="role" title="Your role in this room">${isRole(this.role) ? ROLE_LABELS[this.role] : this.role}</span>
          </span>
        </div>
      </div>
    </header>`;
  }

  /** Esc in the open Menu closes it and returns focus to its button (an open menu inside handles Esc first). */
  private onMenuKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Escape' || !this.menuOpen || event.defaultPrevented) return;
    this.menuOpen = false;
    this.renderRoot.querySelector<HTMLElement>('.menu-toggle')?.focus();
  }

  private toggleEditing(): void {
    this.menuOpen = false;
    this.dispatchEvent(new CustomEvent<boolean>(TOGGLE_EDITING, { detail: !this.editing, bubbles: true, composed: true }));
  }

  private openSeminar(): void {
    this.menuOpen = false;
    this.dispatchEvent(new CustomEvent(OPEN_SEMINAR, { bubbles: true, composed: true }));
  }

  private rename(): void {
    this.dispatchEvent(new CustomEvent(RENAME_REQUEST, { bubbles: true, composed: true }));
  }
}

customElements.define('ap-header', ApHeader);
