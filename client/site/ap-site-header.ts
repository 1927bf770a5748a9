import { LitElement, css, html } from 'lit';
import { apparatusLogo } from '../components/apparatus-logo.ts';
import { sharedStyles } from '../components/shared-styles.ts';
import type { SitePerson } from './site-api.ts';
import { callApi } from './site-api.ts';

/**
 * The site's header: the brand (home), and the person — their name, Account, Sign out — or
 * Sign in / Sign up for a visitor. Wraps onto two lines at phone width.
 */
export class ApSiteHeader extends LitElement {
  static override properties = {
    person: { attribute: false },
    signUpOpen: { attribute: false },
    busy: { state: true },
  };
  declare person: SitePerson | null;
  declare signUpOpen: boolean;
  declare busy: boolean;

  constructor() {
    super();
    this.person = null;
    this.signUpOpen = false;
    this.busy = false;
  }

  static override styles = [
    sharedStyles,
    css`
      :host { display: block; background: var(--ap-surface); border-bottom: 1px solid var(--ap-rule); }
      header { max-width: 1040px; margin: 0 auto; min-height: var(--ap-header-height); display: flex; align-items: center; gap: 12px; padding: 8px 24px; flex-wrap: wrap; }
      .brand { display: inline-flex; align-items: center; gap: 10px; text-decoration: none; flex: 1; min-width: 0; }
      .logo { width: 26px; height: 26px; flex: none; }
      .name { font: 700 15px/1 var(--ap-sans); letter-spacing: 0.01em; color: var(--ap-accent); }
      nav { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
      a.btn { text-decoration: none; }
      .who { font-size: 13.5px; color: var(--ap-ink-soft); max-width: 220px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      .guest { font: 600 10.5px/1 var(--ap-sans); letter-spacing: 0.06em; text-transform: uppercase; color: var(--ap-warning); background: var(--ap-warning-bg); padding: 4px 6px; border-radius: 4px; }
      @media (max-width: 640px) {
        header { padding: 8px 14px; }
        .who { display: none; }
      }
    `,
  ];

  override render() {
    const person = this.person;
    return html`<header>
      <a class="brand" href="/" aria-label="Apparatus — your seminars">
        ${apparatusLogo}
        <span class="name">Apparatus</span>
      </a>
      <nav aria-label="Account">
        ${person
          ? html`<span class="who" title=${person.email ?? person.name}>${person.name}</span>
              ${person.isGuest ? html`<span class="guest" title="Your work is kept in this browser only until you sign up">Guest</span>` : null}
              ${person.isGuest
                ? html`<a class="btn btn--primary btn--small" href="/sign-up?return=${encodeURIComponent(location.pathname)}">Sign up to keep your work</a>`
                : html`<a class="btn btn--quiet btn--small" href="/account">Account</a>`}
              <button class="btn btn--small" type="button" ?disabled=${this.busy} @click=${this.signOut}>Sign out</button>`
          : html`<a class="btn btn--quiet btn--small" href="/sign-in">Sign in</a>
              ${this.signUpOpen ? html`<a class="btn btn--primary btn--small" href="/sign-up">Sign up</a>` : null}`}
      </nav>
    </header>`;
  }

  private async signOut(): Promise<void> {
    this.busy = true;
    await callApi('POST', '/api/auth/sign-out', {});
    location.assign('/sign-in');
  }
}

customElements.define('ap-site-header', ApSiteHeader);
