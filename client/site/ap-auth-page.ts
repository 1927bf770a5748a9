import { LitElement, css, html } from 'lit';
import { sharedStyles } from '../components/shared-styles.ts';
import { callApi, returnPath } from './site-api.ts';
import type { AuthState } from './site-api.ts';
import { siteStyles } from './site-styles.ts';

/** Which form the page shows. */
export type AuthMode = 'setup' | 'sign-in' | 'sign-up';

const TITLES: Record<AuthMode, string> = { setup: 'Set up Apparatus', 'sign-in': 'Sign in', 'sign-up': 'Create your account' };
const BUTTONS: Record<AuthMode, [string, string]> = { setup: ['Create administrator account', 'Creating…'], 'sign-in': ['Sign in', 'Signing in…'], 'sign-up': ['Sign up', 'Signing up…'] };

/**
 * Setup (the first administrator, from the link printed at first start: its token is in the
 * address's fragment, which never reaches the server's logs), sign in and sign up. A guest who
 * signs up or in here keeps what they did as a guest. Single sign-on, when configured, is a
 * button above the form.
 */
export class ApAuthPage extends LitElement {
  static override properties = {
    mode: { attribute: false },
    auth: { attribute: false },
    error: { state: true },
    busy: { state: true },
  };
  declare mode: AuthMode;
  declare auth: AuthState | null;
  declare error: string;
  declare busy: boolean;

  constructor() {
    super();
    this.mode = 'sign-in';
    this.auth = null;
    this.error = '';
    this.busy = false;
  }

  static override styles = [
    sharedStyles,
    siteStyles,
    css`
      .page { padding-top: 48px; }
      .sso { text-decoration: none; }
      .switch { text-align: center; font-size: 14px; }
      @media (max-width: 640px) { .page { padding-top: 24px; } }
    `,
  ];

  override firstUpdated(): void {
    this.renderRoot.querySelector<HTMLInputElement>('input')?.focus();
  }

  /** The invite link's token when signing up from one (`?invite=`). */
  private get invite(): string | null {
    return new URLSearchParams(location.search).get('invite');
  }

  private intro() {
    const auth = this.auth;
    const guest = auth?.person?.isGuest ? auth.person : null;
    if (this.mode === 'setup') return html`<p class="lede">This server has no administrator yet. The account you create here administers it: you can then create seminars, upload chapters and invite people. This link works once.</p>`;
    if (guest) return html`<p class="notice notice--ok">You are here as the guest <strong>${guest.name}</strong>. Everything you did as a guest stays yours when you ${this.mode === 'sign-up' ? 'sign up' : 'sign in'}.</p>`;
    if (this.mode === 'sign-up' && auth && !auth.signUpOpen && !this.invite) return html`<p class="notice">Sign-up on this server is by invitation: open the invite link you were given, then sign up from there.</p>`;
    return null;
  }

  override render() {
    const mode = this.mode;
    const sso = this.auth?.singleSignOn ?? null;
    const back = returnPath(location.search);
    return html`<main class="page page--narrow">
      <div class="panel">
        <h1>${TITLES[mode]}</h1>
        ${this.intro()}
        ${sso && mode !== 'setup'
          ? html`<a class="btn btn--wide sso" href="/auth/oidc/start?return=${encodeURIComponent(back)}">Sign in with ${sso.label}</a>
              <div class="divider">or with your email address</div>`
          : null}
        <form class="stack" @submit=${this.submit} novalidate>
          ${mode === 'sign-in' ? null : html`<label class="field">Your name <span class="hint">as others will see it</span>
              <input type="text" name="name" autocomplete="name" maxlength="60" required .value=${this.auth?.person?.name ?? ''} /></label>`}
          <label class="field">Email address
            <input type="email" name="email" autocomplete=${mode === 'sign-in' ? 'username' : 'email'} required /></label>
          <label class="field">Password ${mode === 'sign-in' ? null : html`<span class="hint">at least 10 characters</span>`}
            <input type="password" name="password" autocomplete=${mode === 'sign-in' ? 'current-password' : 'new-password'} minlength=${mode === 'sign-in' ? 1 : 10} required /></label>
          <p class="error" role="alert">${this.error}</p>
          <button class="btn btn--primary btn--wide" type="submit" ?disabled=${this.busy}>${BUTTONS[mode][this.busy ? 1 : 0]}</button>
        </form>
        ${mode === 'sign-in' && this.auth?.signUpOpen ? html`<p class="switch">New here? <a href="/sign-up${location.search}">Create an account</a></p>` : null}
        ${mode === 'sign-up' ? html`<p class="switch">Have an account? <a href="/sign-in${location.search}">Sign in</a></p>` : null}
      </div>
    </main>`;
  }

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement | null)?.value ?? '';
    const fields: Record<string, unknown> = { email: value('email').trim(), password: value('password') };
    if (this.mode !== 'sign-in') fields.name = value('name').trim();
    const missing = this.mode !== 'sign-in' && fields.name === '' ? 'Enter your name.' : fields.email === '' ? 'Enter your email address.' : fields.password === '' ? 'Enter your password.' : '';
    if (missing) {
      this.error = missing;
      return;
    }
    if (this.mode === 'setup') fields.token = location.hash.slice(1);
    if (this.mode === 'sign-up' && this.invite) fields.invite = this.invite;
    this.busy = true;
    this.error = '';
    const result = await callApi('POST', `/api/auth/${this.mode}`, fields);
    this.busy = false;
    if (!result.ok) {
      this.error = result.error;
      return;
    }
    location.assign(this.mode === 'setup' ? '/' : returnPath(location.search));
  }
}

customElements.define('ap-auth-page', ApAuthPage);
