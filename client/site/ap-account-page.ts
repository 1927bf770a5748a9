import { LitElement, css, html } from 'lit';
import { sharedStyles } from '../components/shared-styles.ts';
import type { ApConfirmDialog } from './ap-confirm-dialog.ts';
import { callApi } from './site-api.ts';
import type { SitePerson } from './site-api.ts';
import { siteStyles } from './site-styles.ts';
import './ap-confirm-dialog.ts';

/** A form's outcome line: what went well, or what did not. */
type Outcome = { ok: boolean; message: string } | null;

/**
 * The account page: the display name, the password (the current one is asked first; other
 * browsers are signed out), signing out everywhere, and for administrators the server's
 * sign-up setting. A guest sees their name and the way to sign up.
 */
export class ApAccountPage extends LitElement {
  static override properties = {
    person: { attribute: false },
    name: { state: true },
    password: { state: true },
    everywhere: { state: true },
    signUpOpen: { state: true },
    busy: { state: true },
  };
  declare person: SitePerson | null;
  declare name: Outcome;
  declare password: Outcome;
  declare everywhere: Outcome;
  declare signUpOpen: boolean | null;
  declare busy: string;

  constructor() {
    super();
    this.person = null;
    this.name = null;
    this.password = null;
    this.everywhere = null;
    this.signUpOpen = null;
    this.busy = '';
  }

  static override styles = [sharedStyles, siteStyles, css`.check { display: flex; gap: 10px; align-items: flex-start; font-size: 14px; line-height: 1.45; } .check input { margin-top: 3px; }`];

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.person?.isAdmin) void callApi<{ signUpOpen: boolean }>('GET', '/api/admin/settings').then((result) => (this.signUpOpen = result.ok ? result.value.signUpOpen : null));
  }

  private outcome(outcome: Outcome) {
    return outcome ? html`<p class=${outcome.ok ? 'notice notice--ok' : 'error'} role=${outcome.ok ? 'status' : 'alert'}>${outcome.message}</p>` : null;
  }

  override render() {
    const person = this.person;
    if (!person) return html`<main class="page page--narrow"><p>Sign in to see your account. <a href="/sign-in?return=/account">Sign in</a></p></main>`;
    return html`<main class="page page--narrow">
      <h1>${person.isGuest ? 'You are a guest' : 'Your account'}</h1>
      ${person.isGuest ? html`<p class="notice">Your work is tied to this browser. <a href="/sign-up?return=/account">Sign up</a> to keep it on every device — everything you did as a guest stays yours.</p>` : html`<p>Signed in as <strong>${person.email}</strong>.</p>`}
      <section class="panel" aria-labelledby="name-title">
        <h2 id="name-title">Display name</h2>
        <form class="stack" @submit=${this.saveName}>
          <label class="field">The name others see beside your notes and your cursor
            <input type="text" name="name" maxlength="60" autocomplete="name" required .value=${person.name} />
          </label>
          ${this.outcome(this.name)}
          <div class="actions"><button class="btn btn--primary" type="submit" ?disabled=${this.busy === 'name'}>Save name</button></div>
        </form>
      </section>
      ${person.isGuest ? null : this.renderPassword()}
      ${person.isGuest ? null : this.renderEverywhere()}
      ${person.isAdmin && this.signUpOpen !== null ? this.renderServer() : null}
      <ap-confirm-dialog></ap-confirm-dialog>
    </main>`;
  }

  private renderPassword() {
    return html`<section class="panel" aria-labelledby="password-title">
      <h2 id="password-title">Password</h2>
      <form class="stack" @submit=${this.changePassword}>
        <input type="email" name="username" autocomplete="username" .value=${this.person?.email ?? ''} hidden />
        <label class="field">Current password <input type="password" name="current" autocomplete="current-password" required /></label>
        <label class="field">New password <span class="hint">at least 10 characters</span><input type="password" name="next" autocomplete="new-password" minlength="10" required /></label>
        ${this.outcome(this.password)}
        <p class="hint">Changing it signs you out in every other browser.</p>
        <div class="actions"><button class="btn btn--primary" type="submit" ?disabled=${this.busy === 'password'}>${this.busy === 'password' ? 'Changing…' : 'Change password'}</button></div>
      </form>
    </section>`;
  }

  private renderEverywhere() {
    return html`<section class="panel" aria-labelledby="everywhere-title">
      <h2 id="everywhere-title">Sign out everywhere</h2>
      <p>Lost a phone, or signed in on a shared computer? This ends every session of your account, in every browser, this one included; open chapters close at once.</p>
      ${this.outcome(this.everywhere)}
      <div class="actions"><button class="btn btn--danger" type="button" @click=${this.signOutEverywhere}>Sign out everywhere</button></div>
    </section>`;
  }

  private renderServer() {
    return html`<section class="panel" aria-labelledby="server-title">
      <h2 id="server-title">Server settings</h2>
      <label class="check">
        <input type="checkbox" .checked=${this.signUpOpen === true} @change=${this.toggleSignUp} />
        <span>Anyone may sign up<br /><span class="hint">Off: people sign up only through an invite link (guests who joined by one may always sign up).</span></span>
      </label>
    </section>`;
  }

  private async saveName(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const name = ((event.target as HTMLFormElement).elements.namedItem('name') as HTMLInputElement).value;
    this.busy = 'name';
    const result = await callApi<{ person: SitePerson }>('PUT', '/api/auth/profile', { name });
    this.busy = '';
    this.name = result.ok ? { ok: true, message: 'Saved. Open chapters show the new name from their next reload.' } : { ok: false, message: result.error };
    if (result.ok) this.person = result.value.person;
  }

  private async changePassword(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value;
    this.busy = 'password';
    const result = await callApi('PUT', '/api/auth/password', { current: value('current'), next: value('next') });
    this.busy = '';
    this.password = result.ok ? { ok: true, message: 'Password changed. Other browsers are signed out.' } : { ok: false, message: result.error };
    if (result.ok) form.reset();
  }

  private async signOutEverywhere(): Promise<void> {
    const ok = await this.renderRoot.querySelector<ApConfirmDialog>('ap-confirm-dialog')!.ask({
      title: 'Sign out everywhere?',
      message: 'Every browser signed in to your account is signed out, this one too. Unsaved changes in open chapters stay in those browsers and are sent after you sign in there again.',
      confirmLabel: 'Sign out everywhere',
      danger: true,
    });
    if (!ok) return;
    const result = await callApi('POST', '/api/auth/sign-out-everywhere', {});
    if (!result.ok) {
      this.everywhere = { ok: false, message: result.error };
      return;
    }
    location.assign('/sign-in');
  }

  private async toggleSignUp(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    const result = await callApi<{ signUpOpen: boolean }>('PUT', '/api/admin/settings', { signUpOpen: input.checked });
    this.signUpOpen = result.ok ? result.value.signUpOpen : !input.checked;
  }
}

customElements.define('ap-account-page', ApAccountPage);
