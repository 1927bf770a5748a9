import { LitElement, css, html } from 'lit';
import { sharedStyles } from '../components/shared-styles.ts';
import { callApi, segment } from './site-api.ts';
import type { JoinData } from './site-api.ts';
import { siteStyles } from './site-styles.ts';

const ROLE_PHRASES: Record<string, string> = { owner: 'an owner', reviewer: 'a reviewer', annotator: 'an annotator', viewer: 'a viewer' };

/**
 * An invite link `/join/<token>`: says which seminar and role it gives, and lets the person
 * join as who this browser is (an account, or a guest from before), as a new guest with just a
 * name, or sign up / sign in first. Guests can sign up later and keep everything.
 */
export class ApJoinPage extends LitElement {
  static override properties = {
    token: { attribute: false },
    data: { state: true },
    error: { state: true },
    busy: { state: true },
    asSomeoneElse: { state: true },
  };
  declare token: string;
  declare data: JoinData | null;
  declare error: string;
  declare busy: boolean;
  declare asSomeoneElse: boolean;

  constructor() {
    super();
    this.token = '';
    this.data = null;
    this.error = '';
    this.busy = false;
    this.asSomeoneElse = false;
  }

  static override styles = [sharedStyles, siteStyles, css`.page { padding-top: 48px; } .links { display: flex; gap: 8px; flex-wrap: wrap; } .links a { text-decoration: none; flex: 1 1 140px; justify-content: center; }`];

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    const result = await callApi<JoinData>('GET', `/api/join/${segment(this.token)}`);
    if (result.ok) this.data = result.value;
    else this.error = result.error;
  }

  override render() {
    const data = this.data;
    if (!data) {
      return html`<main class="page page--narrow"><div class="panel">
        <h1>Invite link</h1>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p><p><a href="/">Go to the home page</a></p>` : html`<p role="status">Opening the invitation…</p>`}
      </div></main>`;
    }
    const you = data.you;
    return html`<main class="page page--narrow"><div class="panel">
      <p class="eyebrow">Invitation</p>
      <h1>${data.seminar.title}</h1>
      <p class="lede">You are invited to join as ${ROLE_PHRASES[data.role] ?? data.role}${data.label ? html` (${data.label})` : null}.</p>
      ${you && you.member
        ? html`<p class="notice notice--ok">You are a member already, as ${you.name}.</p><a class="btn btn--primary btn--wide" href="/s/${segment(data.seminar.id)}">Open the seminar</a>`
        : you && !this.asSomeoneElse
          ? html`<button class="btn btn--primary btn--wide" type="button" ?disabled=${this.busy} @click=${() => this.join({ as: 'me' })}>${you.kind === 'account' ? `Join as ${you.name}` : `Continue as ${you.name}`}</button>
              ${you.kind === 'account' ? null : html`<p>Not ${you.name}? <button class="btn btn--quiet btn--small" type="button" @click=${this.joinAsSomeoneElse}>Join as someone else</button></p>`}`
          : this.renderGuestForm()}
      <p class="error" role="alert">${this.error}</p>
      ${you?.kind === 'account'
        ? null
        : html`<div class="divider">or keep your work on every device</div>
            <div class="links">
              <a class="btn" href="/sign-up?invite=${encodeURIComponent(this.token)}&return=${encodeURIComponent(`/s/${data.seminar.id}`)}">Sign up</a>
              <a class="btn" href="/sign-in?return=${encodeURIComponent(location.pathname)}">Sign in</a>
            </div>`}
    </div></main>`;
  }

  private renderGuestForm() {
    return html`<form class="stack" @submit=${this.joinAsGuest}>
      <label class="field">Your name <span class="hint">as the others will see it beside your notes</span>
        <input type="text" name="name" autocomplete="name" maxlength="60" required />
      </label>
      <button class="btn btn--primary btn--wide" type="submit" ?disabled=${this.busy}>${this.busy ? 'Joining…' : 'Join as a guest'}</button>
      <p class="hint">As a guest your work is tied to this browser until you sign up; signing up later keeps it.</p>
    </form>`;
  }

  private async joinAsSomeoneElse(): Promise<void> {
    this.asSomeoneElse = true;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>('input[name="name"]')?.focus();
  }

  private joinAsGuest(event: SubmitEvent): void {
    event.preventDefault();
    const name = ((event.target as HTMLFormElement).elements.namedItem('name') as HTMLInputElement).value.trim();
    if (name === '') {
      this.error = 'Enter your name.';
      return;
    }
    void this.join({ as: 'guest', name });
  }

  private async join(body: Record<string, unknown>): Promise<void> {
    this.busy = true;
    this.error = '';
    const result = await callApi<{ seminarId: string }>('POST', `/api/join/${segment(this.token)}`, body);
    this.busy = false;
    if (!result.ok) {
      this.error = result.error;
      return;
    }
    location.assign(`/s/${segment(result.value.seminarId)}`);
  }
}

customElements.define('ap-join-page', ApJoinPage);
