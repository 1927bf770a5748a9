import { LitElement, css, html } from 'lit';
import { sharedStyles } from '../components/shared-styles.ts';
import { ROLE_LABELS } from '../model/role-labels.ts';
import { formatFullTime, formatRelativeTime } from '../components/relative-time.ts';
import type { ConfirmRequest } from './ap-confirm-dialog.ts';
import { callApi, segment } from './site-api.ts';
import type { ChapterSummary } from './site-api.ts';
import { siteStyles } from './site-styles.ts';

/** The event sent when the seminar changed and the page should load it again. */
export const SEMINAR_CHANGED = 'ap-seminar-changed';

/**
 * A seminar's chapters: each with its annotations, open problems, last activity and the
 * person's role there; owners rename, archive, restore and delete (after a confirmation that
 * offers the export first). Archived chapters are listed apart. At phone width the table
 * becomes cards.
 */
export class ApChapterList extends LitElement {
  static override properties = {
    chapters: { attribute: false },
    owner: { attribute: false },
    confirm: { attribute: false },
    renaming: { state: true },
    error: { state: true },
  };
  declare chapters: ChapterSummary[];
  declare owner: boolean;
  declare confirm: (request: ConfirmRequest) => Promise<boolean>;
  declare renaming: string | null;
  declare error: string;

  constructor() {
    super();
    this.chapters = [];
    this.owner = false;
    this.confirm = async () => false;
    this.renaming = null;
    this.error = '';
  }

  static override styles = [
    sharedStyles,
    siteStyles,
    css`
      .rename { display: flex; gap: 6px; flex-wrap: wrap; }
      .rename input { flex: 1 1 200px; }
      .problems { color: var(--ap-problem); font-weight: 600; }
      details summary { cursor: pointer; color: var(--ap-ink-soft); font-size: 14px; padding: 6px 0; }
      .archived .title-link { color: var(--ap-muted); }
    `,
  ];

  override render() {
    const active = this.chapters.filter((chapter) => !chapter.archived);
    const archived = this.chapters.filter((chapter) => chapter.archived);
    return html`<p class="error" role="alert">${this.error}</p>
      ${active.length === 0 ? html`<p class="empty">No chapters yet.${this.owner ? ' Upload the first one below.' : ''}</p>` : this.table(active, 'Chapters')}
      ${archived.length > 0
        ? html`<details class="archived">
            <summary>${archived.length} archived ${archived.length === 1 ? 'chapter' : 'chapters'} (read-only)</summary>
            ${this.table(archived, 'Archived chapters')}
          </details>`
        : null}`;
  }

  private table(chapters: ChapterSummary[], label: string) {
    return html`<table class="cards" aria-label=${label}>
      <thead>
        <tr><th>Chapter</th><th class="num">Annotations</th><th class="num">Open problems</th><th>Last activity</th><th>Your role</th>${this.owner ? html`<th><span class="ap-visually-hidden">Actions</span></th>` : null}</tr>
      </thead>
      <tbody>
        ${chapters.map((chapter) => this.row(chapter))}
      </tbody>
    </table>`;
  }

  private row(chapter: ChapterSummary) {
    const last = chapter.lastActivityAt ? Date.parse(chapter.lastActivityAt) : null;
    return html`<tr>
      <td class="main">
        ${this.renaming === chapter.id
          ? html`<form class="rename" @submit=${(event: SubmitEvent) => this.rename(event, chapter)} @keydown=${(event: KeyboardEvent) => event.key === 'Escape' && (this.renaming = null)}>
              <label class="ap-visually-hidden" for="rename-${chapter.id}">New title</label>
              <input id="rename-${chapter.id}" type="text" name="title" maxlength="200" .value=${chapter.title} required />
              <button class="btn btn--primary btn--small" type="submit">Save</button>
              <button class="btn btn--small" type="button" @click=${() => (this.renaming = null)}>Cancel</button>
            </form>`
          : html`<a class="title-link" href="/r/${segment(chapter.id)}">${chapter.title}</a>`}
      </td>
      <td class="num" data-label="Annotations">${chapter.annotations}</td>
      <td class="num ${chapter.openProblems > 0 ? 'problems' : ''}" data-label="Open problems">${chapter.openProblems}</td>
      <td data-label="Last activity"><span title=${last ? formatFullTime(last) : ''}>${last ? formatRelativeTime(last) : '—'}</span></td>
      <td data-label="Your role"><span class="role-chip">${chapter.yourRole ? ROLE_LABELS[chapter.yourRole] : '—'}</span></td>
      ${this.owner
        ? html`<td>
            <div class="actions">
              <button class="btn btn--quiet btn--small" type="button" aria-label="Rename ${chapter.title}" @click=${() => this.startRename(chapter.id)}>Rename</button>
              <button class="btn btn--quiet btn--small" type="button" aria-label="${chapter.archived ? 'Restore' : 'Archive'} ${chapter.title}" @click=${() => this.archive(chapter)}>${chapter.archived ? 'Restore' : 'Archive'}</button>
              <button class="btn btn--quiet btn--small btn--danger" type="button" aria-label="Delete ${chapter.title}" @click=${() => this.deleteChapter(chapter)}>Delete</button>
            </div>
          </td>`
        : null}
    </tr>`;
  }

  private async startRename(id: string): Promise<void> {
    this.renaming = id;
    await this.updateComplete;
    const input = this.renderRoot.querySelector<HTMLInputElement>(`#rename-${CSS.escape(id)}`);
    input?.focus();
    input?.select();
  }

  private changed(): void {
    this.dispatchEvent(new CustomEvent(SEMINAR_CHANGED, { bubbles: true, composed: true }));
  }

  private async change(chapter: ChapterSummary, body: Record<string, unknown>): Promise<void> {
    const result = await callApi('PUT', `/api/chapters/${segment(chapter.id)}`, body);
    this.error = result.ok ? '' : result.error;
    if (result.ok) this.changed();
  }

  private async rename(event: SubmitEvent, chapter: ChapterSummary): Promise<void> {
    event.preventDefault();
    const title = ((event.target as HTMLFormElement).elements.namedItem('title') as HTMLInputElement).value;
    this.renaming = null;
    await this.change(chapter, { title });
  }

  private async archive(chapter: ChapterSummary): Promise<void> {
    if (!chapter.archived) {
      const ok = await this.confirm({
        title: `Archive “${chapter.title}”?`,
        message: 'An archived chapter is read-only for everyone, owners included: its annotations stay and can be read and exported. You can restore it at any time.',
        confirmLabel: 'Archive chapter',
      });
      if (!ok) return;
    }
    await this.change(chapter, { archived: !chapter.archived });
  }

  private async deleteChapter(chapter: ChapterSummary): Promise<void> {
    const exportLink = `/api/rooms/${segment(chapter.id)}/export?format=native`;
    const ok = await this.confirm({
      title: `Delete “${chapter.title}”?`,
      message: `This deletes the chapter's text and its ${chapter.annotations} ${chapter.annotations === 1 ? 'annotation' : 'annotations'} with every thread, for everyone. It cannot be undone. Download the annotations first if you may need them; archiving keeps everything read-only instead.`,
      confirmLabel: 'Delete chapter',
      danger: true,
      extra: html`<p><a href=${exportLink} download>Download the annotations first (Apparatus JSON)</a></p>`,
    });
    if (!ok) return;
    const result = await callApi('DELETE', `/api/chapters/${segment(chapter.id)}`);
    this.error = result.ok ? '' : result.error;
    if (result.ok) this.changed();
  }
}

customElements.define('ap-chapter-list', ApChapterList);
