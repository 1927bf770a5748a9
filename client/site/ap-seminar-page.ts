import { LitElement, css, html } from 'lit';
import { can } from '../../schema/index.ts';
import { sharedStyles } from '../components/shared-styles.ts';
import { ROLE_LABELS } from '../model/role-labels.ts';
import type { ApConfirmDialog, ConfirmRequest } from './ap-confirm-dialog.ts';
import { SEMINAR_CHANGED } from './ap-chapter-list.ts';
import { callApi, segment } from './site-api.ts';
import type { SeminarData } from './site-api.ts';
import { siteStyles } from './site-styles.ts';
import './ap-chapter-list.ts';
import './ap-chapter-upload.ts';
import './ap-confirm-dialog.ts';
import './ap-roster.ts';
import './ap-seminar-invites.ts';

/**
 * A seminar's page `/s/<id>`: its chapters (with figures; owners add, rename, archive and delete
 * them), its roster and, for owners, its invite links; owners and reviewers reach the seminar's
 * overview from it. Loaded again after every change.
 */
export class ApSeminarPage extends LitElement {
  static override properties = {
    seminarId: { attribute: false },
    data: { state: true },
    error: { state: true },
    renaming: { state: true },
  };
  declare seminarId: string;
  declare data: SeminarData | null;
  declare error: string;
  declare renaming: boolean;

  constructor() {
    super();
    this.seminarId = '';
    this.data = null;
    this.error = '';
    this.renaming = false;
    this.addEventListener(SEMINAR_CHANGED, () => void this.load());
  }

  static override styles = [
    sharedStyles,
    siteStyles,
    css`
      .head { display: flex; align-items: flex-end; justify-content: space-between; gap: 12px; flex-wrap: wrap; }
      .title-form { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; }
      .title-form input { font: 600 20px/1.2 var(--ap-serif); min-width: min(420px, 80vw); }
      .crumbs a { color: var(--ap-muted); text-decoration: none; font-size: 13px; }
      .crumbs a:hover { text-decoration: underline; }
      .columns { display: grid; grid-template-columns: minmax(0, 1fr); gap: 22px; }
      .head-actions { display: flex; gap: 8px; flex-wrap: wrap; }
      a.btn { text-decoration: none; }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    const result = await callApi<SeminarData>('GET', `/api/seminars/${segment(this.seminarId)}`);
    if (!result.ok) {
      this.error = result.status === 401 ? 'Sign in to see this seminar.' : result.error;
      return;
    }
    this.data = result.value;
    document.title = `${result.value.seminar.title} · Apparatus`;
  }

  private readonly confirm = (request: ConfirmRequest): Promise<boolean> => this.renderRoot.querySelector<ApConfirmDialog>('ap-confirm-dialog')!.ask(request);

  override render() {
    const data = this.data;
    if (!data) {
      return html`<main class="page">${this.error
        ? html`<p class="error" role="alert">${this.error}</p><p><a href="/">Back to your seminars</a>${this.error.startsWith('Sign in') ? html` · <a href="/sign-in?return=${encodeURIComponent(location.pathname)}">Sign in</a>` : null}</p>`
        : html`<p role="status">Loading the seminar…</p>`}</main>`;
    }
    const owner = data.you.role === 'owner';
    return html`<main class="page">
      <nav class="crumbs" aria-label="Breadcrumb"><a href="/">← Your seminars</a></nav>
      <div class="head">
        <div>
          <p class="eyebrow">Seminar · you are ${ROLE_LABELS[data.you.role]?.toLowerCase()}</p>
          ${this.renaming
            ? html`<form class="title-form" @submit=${this.rename} @keydown=${(event: KeyboardEvent) => event.key === 'Escape' && (this.renaming = false)}>
                <label class="ap-visually-hidden" for="seminar-title">Seminar title</label>
                <input id="seminar-title" type="text" name="title" maxlength="200" .value=${data.seminar.title} required />
                <button class="btn btn--primary btn--small" type="submit">Save</button>
                <button class="btn btn--small" type="button" @click=${() => (this.renaming = false)}>Cancel</button>
              </form>`
            : html`<h1>${data.seminar.title}</h1>`}
        </div>
        <div class="head-actions">
          ${can(data.you.role, 'view-overview') ? html`<a class="btn btn--small btn--primary" href=${`/s/${segment(data.seminar.id)}/overview`}>Overview: people and agreement</a>` : null}
          ${owner && !this.renaming ? html`<button class="btn btn--small" type="button" @click=${this.startRename}>Rename seminar</button>` : null}
        </div>
      </div>
      <p class="error" role="alert">${this.error}</p>
      <div class="columns">
        <section class="panel" aria-labelledby="chapters-title">
          <div class="panel__head"><h2 id="chapters-title">Chapters</h2><span class="hint">${data.chapters.filter((c) => !c.archived).length} open</span></div>
          <ap-chapter-list .chapters=${data.chapters} .owner=${owner} .confirm=${this.confirm}></ap-chapter-list>
        </section>
        ${owner
          ? html`<section class="panel" aria-labelledby="upload-title">
              <h2 id="upload-title">Add a chapter</h2>
              <ap-chapter-upload .seminarId=${data.seminar.id}></ap-chapter-upload>
            </section>`
          : null}
        <section class="panel" aria-labelledby="roster-title">
          <div class="panel__head"><h2 id="roster-title">Members</h2><span class="hint">${data.members.length}</span></div>
          <ap-roster .seminarId=${data.seminar.id} .members=${data.members} .chapters=${data.chapters} .owner=${owner} .you=${data.you.userId} .confirm=${this.confirm}></ap-roster>
        </section>
        ${owner && data.invites
          ? html`<section class="panel" aria-labelledby="invites-title">
              <div><h2 id="invites-title">Invite links</h2><p>Anyone who opens an active link joins this seminar with its role — with their account, or as a guest who can sign up later and keep their work.</p></div>
              <ap-seminar-invites .seminarId=${data.seminar.id} .invites=${data.invites} .confirm=${this.confirm}></ap-seminar-invites>
            </section>`
          : null}
      </div>
      <ap-confirm-dialog></ap-confirm-dialog>
    </main>`;
  }

  private async startRename(): Promise<void> {
    this.renaming = true;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>('#seminar-title')?.select();
  }

  private async rename(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const title = ((event.target as HTMLFormElement).elements.namedItem('title') as HTMLInputElement).value;
    const result = await callApi('PUT', `/api/seminars/${segment(this.seminarId)}`, { title });
    this.error = result.ok ? '' : result.error;
    this.renaming = false;
    await this.load();
  }
}

customElements.define('ap-seminar-page', ApSeminarPage);
