import { LitElement, css, html } from 'lit';
import { sharedStyles } from '../components/shared-styles.ts';
import { ROLE_LABELS } from '../model/role-labels.ts';
import { formatFullTime, formatRelativeTime } from '../components/relative-time.ts';
import { callApi, segment } from './site-api.ts';
import type { HomeData, SitePerson } from './site-api.ts';
import { siteStyles } from './site-styles.ts';

/**
 * The home page `/`: my seminars (with chapters, members and last activity), a form to create
 * one, the chapters others shared with me by room invite, and — for administrators — the rooms
 * in no seminar (made before seminars existed, or with the admin token), to file into one.
 */
export class ApHomePage extends LitElement {
  static override properties = {
    person: { attribute: false },
    data: { state: true },
    error: { state: true },
    creating: { state: true },
  };
  declare person: SitePerson | null;
  declare data: HomeData | null;
  declare error: string;
  declare creating: boolean;

  constructor() {
    super();
    this.person = null;
    this.data = null;
    this.error = '';
    this.creating = false;
  }

  static override styles = [
    sharedStyles,
    siteStyles,
    css`
      .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(280px, 1fr)); gap: 14px; }
      .seminar { display: grid; gap: 10px; padding: 18px; background: var(--ap-surface); border: 1px solid var(--ap-rule); border-radius: 12px; box-shadow: var(--ap-shadow); text-decoration: none; color: inherit; }
      .seminar:hover { border-color: var(--ap-rule-strong); }
      .seminar:focus-visible { outline: 2px solid var(--ap-focus); outline-offset: 2px; }
      .seminar__title { font: 600 17px/1.3 var(--ap-serif); color: var(--ap-accent); }
      .seminar__meta { font-size: 13px; color: var(--ap-muted); display: flex; gap: 6px 12px; flex-wrap: wrap; align-items: center; }
      .create { display: flex; gap: 10px; flex-wrap: wrap; }
      .create input { flex: 1 1 240px; }
      ul.plain { list-style: none; margin: 0; padding: 0; display: grid; gap: 8px; }
      ul.plain li { display: flex; align-items: center; justify-content: space-between; gap: 10px; flex-wrap: wrap; }
      select { max-width: 100%; }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    const result = await callApi<HomeData>('GET', '/api/seminars');
    if (result.ok) this.data = result.value;
    else this.error = result.error;
  }

  override render() {
    const data = this.data;
    const canCreate = this.person !== null && !this.person.isGuest;
    return html`<main class="page">
      <div class="panel__head">
        <div>
          <p class="eyebrow">Apparatus</p>
          <h1>Your seminars</h1>
        </div>
      </div>
      <p class="error" role="alert">${this.error}</p>
      ${data === null && !this.error ? html`<p class="muted" role="status">Loading your seminars…</p>` : null}
      ${data ? this.renderSeminars(data) : null}
      ${canCreate ? this.renderCreate() : html`<p class="notice">Guests take part in the seminars they were invited to. <a href="/sign-up">Sign up</a> to create seminars of your own and to keep your work on every device.</p>`}
      ${data && data.sharedRooms.length > 0 ? this.renderShared(data) : null}
      ${data && data.unfiledRooms.length > 0 ? this.renderUnfiled(data) : null}
    </main>`;
  }

  private renderSeminars(data: HomeData) {
    if (data.seminars.length === 0) return html`<p class="empty">You are not in a seminar yet. Create one below, or open the invite link your lecturer sent you.</p>`;
    return html`<div class="grid" role="list" aria-label="Your seminars">
      ${data.seminars.map(
        (seminar) => html`<a class="seminar" role="listitem" href="/s/${segment(seminar.id)}">
          <span class="seminar__title">${seminar.title}</span>
          <span class="seminar__meta">
            <span class="role-chip">${ROLE_LABELS[seminar.role] ?? seminar.role}</span>
            <span>${seminar.chapters} ${seminar.chapters === 1 ? 'chapter' : 'chapters'}</span>
            <span>${seminar.members} ${seminar.members === 1 ? 'member' : 'members'}</span>
            ${seminar.lastActivityAt ? html`<span title=${formatFullTime(Date.parse(seminar.lastActivityAt))}>active ${formatRelativeTime(Date.parse(seminar.lastActivityAt))}</span>` : null}
          </span>
        </a>`,
      )}
    </div>`;
  }

  private renderCreate() {
    return html`<section class="panel" aria-labelledby="create-title">
      <h2 id="create-title">New seminar</h2>
      <form class="create" @submit=${this.create}>
        <label class="ap-visually-hidden" for="seminar-title">Title of the new seminar</label>
        <input id="seminar-title" type="text" name="title" maxlength="200" placeholder="e.g. History 204: The Soviet 1930s" required />
        <button class="btn btn--primary" type="submit" ?disabled=${this.creating}>${this.creating ? 'Creating…' : 'Create seminar'}</button>
      </form>
    </section>`;
  }

  private renderShared(data: HomeData) {
    return html`<section class="panel" aria-labelledby="shared-title">
      <h2 id="shared-title">Chapters shared with you</h2>
      <ul class="plain">
        ${data.sharedRooms.map((room) => html`<li><a class="title-link" href="/r/${segment(room.id)}">${room.title}</a><span class="role-chip">${ROLE_LABELS[room.role]}</span></li>`)}
      </ul>
    </section>`;
  }

  private renderUnfiled(data: HomeData) {
    const owned = data.seminars.filter((seminar) => seminar.role === 'owner');
    return html`<section class="panel" aria-labelledby="unfiled-title">
      <div>
        <h2 id="unfiled-title">Chapters in no seminar</h2>
        <p>Rooms made before seminars existed, or with the admin token. Their invite links work as before; add one to a seminar to manage it there.</p>
      </div>
      <ul class="plain">
        ${data.unfiledRooms.map(
          (room) => html`<li>
            <a class="title-link" href="/r/${segment(room.id)}">${room.title || room.id}</a>
            ${owned.length > 0
              ? html`<form class="row" @submit=${(event: SubmitEvent) => this.file(event, room.id)}>
                  <label class="ap-visually-hidden" for="file-${room.id}">Seminar for ${room.title}</label>
                  <select id="file-${room.id}" name="seminar">${owned.map((seminar) => html`<option value=${seminar.id}>${seminar.title}</option>`)}</select>
                  <button class="btn btn--small" type="submit">Add to seminar</button>
                </form>`
              : html`<span class="hint">Create a seminar to add it to one.</span>`}
          </li>`,
        )}
      </ul>
    </section>`;
  }

  private async create(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).elements.namedItem('title') as HTMLInputElement;
    if (input.value.trim() === '') {
      this.error = 'Give the seminar a title.';
      return;
    }
    this.creating = true;
    const result = await callApi<{ seminar: { id: string } }>('POST', '/api/seminars', { title: input.value });
    this.creating = false;
    if (!result.ok) {
      this.error = result.error;
      return;
    }
    location.assign(`/s/${segment(result.value.seminar.id)}`);
  }

  private async file(event: SubmitEvent, room: string): Promise<void> {
    event.preventDefault();
    const seminarId = ((event.target as HTMLFormElement).elements.namedItem('seminar') as HTMLSelectElement).value;
    const result = await callApi('PUT', `/api/chapters/${segment(room)}/seminar`, { seminarId });
    if (!result.ok) {
      this.error = result.error;
      return;
    }
    location.assign(`/s/${segment(seminarId)}`);
  }
}

customElements.define('ap-home-page', ApHomePage);
