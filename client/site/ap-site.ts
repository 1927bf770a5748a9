import { LitElement, html } from 'lit';
import type { TemplateResult } from 'lit';
import { fetchAuthState, returnPath } from './site-api.ts';
import type { AuthState } from './site-api.ts';
import { siteStyles } from './site-styles.ts';
import { sharedStyles } from '../components/shared-styles.ts';
import './ap-account-page.ts';
import './ap-auth-page.ts';
import './ap-home-page.ts';
import './ap-join-page.ts';
import './ap-seminar-page.ts';
import '../seminar/ap-seminar-overview.ts';
import './ap-site-header.ts';

/**
 * The site around the rooms: the page the address names (`/`, `/setup`, `/sign-in`,
 * `/sign-up`, `/account`, `/s/<seminar>`, `/s/<seminar>/overview`, `/join/<token>`) under the site header. Every page is a
 * full page load (links are plain links), so the browser's history, reload and bookmarks behave.
 */
export class ApSite extends LitElement {
  static override properties = { auth: { state: true }, error: { state: true } };
  declare auth: AuthState | null;
  declare error: string;

  constructor() {
    super();
    this.auth = null;
    this.error = '';
  }

  static override styles = [sharedStyles, siteStyles];

  override connectedCallback(): void {
    super.connectedCallback();
    void fetchAuthState().then((result) => {
      if (!result.ok) {
        this.error = result.error;
        return;
      }
      this.auth = result.value;
      this.redirectIfDone(result.value);
    });
  }

  /** Pages that make no sense for who is here send them on (signed in: no sign-in page). */
  private redirectIfDone(auth: AuthState): void {
    const path = location.pathname;
    if (auth.person && !auth.person.isGuest && (path === '/sign-in' || path === '/sign-up')) location.replace(returnPath(location.search));
    if (!auth.setupNeeded && path === '/setup') location.replace(auth.person ? '/' : '/sign-in');
  }

  /** The page for the current address, and its title. */
  private page(auth: AuthState): [TemplateResult, string] {
    const path = location.pathname;
    const seminar = /^\/s\/([a-z0-9-]{1,64})$/.exec(path);
    const overview = /^\/s\/([a-z0-9-]{1,64})\/overview$/.exec(path);
    const join = /^\/join\/([A-Za-z0-9_-]{16,128})$/.exec(path);
    if (path === '/setup') return [html`<ap-auth-page .mode=${'setup'} .auth=${auth}></ap-auth-page>`, 'Set up'];
    if (path === '/sign-in') return [html`<ap-auth-page .mode=${'sign-in'} .auth=${auth}></ap-auth-page>`, 'Sign in'];
    if (path === '/sign-up') return [html`<ap-auth-page .mode=${'sign-up'} .auth=${auth}></ap-auth-page>`, 'Sign up'];
    if (path === '/account') return [html`<ap-account-page .person=${auth.person}></ap-account-page>`, 'Account'];
    if (seminar) return [html`<ap-seminar-page .seminarId=${seminar[1]!}></ap-seminar-page>`, 'Seminar'];
    if (overview) return [html`<ap-seminar-overview .seminarId=${overview[1]!}></ap-seminar-overview>`, 'Seminar overview'];
    if (join) return [html`<ap-join-page .token=${join[1]!}></ap-join-page>`, 'Invitation'];
    if (path === '/' && auth.person) return [html`<ap-home-page .person=${auth.person}></ap-home-page>`, 'Your seminars'];
    if (path === '/') return [this.welcome(auth), 'Welcome'];
    return [html`<main class="page page--narrow"><div class="panel"><h1>Not found</h1><p>This address names no page. <a href="/">Go to the home page</a>.</p></div></main>`, 'Not found'];
  }

  /** The home page of a visitor: sign in, or (first start) where the setup link is. */
  private welcome(auth: AuthState) {
    if (auth.setupNeeded) {
      return html`<main class="page page--narrow"><div class="panel">
        <h1>Welcome to Apparatus</h1>
        <p class="lede">This server is new. Its first start printed a one-time <strong>setup link</strong> in the terminal (“First start: open this link…”); open it to create the administrator account. Nothing else needs a terminal after that.</p>
        <p>Were you given an invite link? Open it instead.</p>
      </div></main>`;
    }
    return html`<ap-auth-page .mode=${'sign-in'} .auth=${auth}></ap-auth-page>`;
  }

  override render() {
    const auth = this.auth;
    if (!auth) return html`<main class="page page--narrow">${this.error ? html`<p class="error" role="alert">${this.error}</p>` : html`<p role="status">Loading…</p>`}</main>`;
    const [page, title] = this.page(auth);
    if (!location.pathname.startsWith('/s/')) document.title = `${title} · Apparatus`;
    return html`<ap-site-header .person=${auth.person} .signUpOpen=${auth.signUpOpen}></ap-site-header>${page}`;
  }
}

customElements.define('ap-site', ApSite);
