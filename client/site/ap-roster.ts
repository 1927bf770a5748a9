import { LitElement, css, html } from 'lit';
import { ROLES } from '../../schema/index.ts';
import { sharedStyles } from '../components/shared-styles.ts';
import { ROLE_LABELS } from '../model/role-labels.ts';
import { formatFullTime, formatRelativeTime } from '../components/relative-time.ts';
import type { ConfirmRequest } from './ap-confirm-dialog.ts';
import { SEMINAR_CHANGED } from './ap-chapter-list.ts';
import { callApi, roleOrNull, segment } from './site-api.ts';
import type { ChapterSummary, MemberSummary } from './site-api.ts';
import { siteStyles } from './site-styles.ts';

/**
 * A seminar's roster: every member once (a guest who signed up or in is one person), their role
 * and whether they are a guest. Owners change roles — for the whole seminar, or for one chapter
 * where a member needs another role there — and remove members (after a confirmation; their
 * open chapters close at once, their annotations stay).
 */
export class ApRoster extends LitElement {
  static override properties = {
    seminarId: { attribute: false },
    members: { attribute: false },
    chapters: { attribute: false },
    owner: { attribute: false },
    you: { attribute: false },
    confirm: { attribute: false },
    error: { state: true },
  };
  declare seminarId: string;
  declare members: MemberSummary[];
  declare chapters: ChapterSummary[];
  declare owner: boolean;
  declare you: string;
  declare confirm: (request: ConfirmRequest) => Promise<boolean>;
  declare error: string;

  constructor() {
    super();
    this.seminarId = '';
    this.members = [];
    this.chapters = [];
    this.owner = false;
    this.you = '';
    this.confirm = async () => false;
    this.error = '';
  }

  static override styles = [
    sharedStyles,
    siteStyles,
    css`
      .person { display: grid; gap: 2px; }
      .person strong { font-weight: 600; }
      .email { font-size: 12.5px; color: var(--ap-muted); word-break: break-all; }
      details { font-size: 13.5px; }
      details summary { cursor: pointer; color: var(--ap-link); }
      .overrides { display: grid; gap: 6px; padding-top: 8px; }
      .overrides label { display: flex; align-items: center; justify-content: space-between; gap: 8px; font-size: 13px; }
      .overrides select { width: auto; max-width: 55%; }
      select.role { width: auto; }
    `,
  ];

  override render() {
    return html`<p class="error" role="alert">${this.error}</p>
      <table class="cards" aria-label="Members">
        <thead><tr><th>Member</th><th>Role</th><th>Joined</th>${this.owner ? html`<th><span class="ap-visually-hidden">Actions</span></th>` : null}</tr></thead>
        <tbody>${this.members.map((member) => this.row(member))}</tbody>
      </table>`;
  }

  private row(member: MemberSummary) {
    const joined = Date.parse(member.joinedAt);
    const overrides = Object.keys(member.chapterRoles ?? {}).length;
    return html`<tr>
      <td class="main">
        <span class="person">
          <span><strong>${member.name}</strong>${member.userId === this.you ? html` <span class="hint">(you)</span>` : null} ${member.isGuest ? html`<span class="guest-chip" title="Joined by invite link without an account">Guest</span>` : null}</span>
          ${member.email ? html`<span class="email">${member.email}</span>` : null}
        </span>
      </td>
      <td data-label="Role">
        ${this.owner
          ? html`<label class="ap-visually-hidden" for="role-${member.userId}">Role of ${member.name}</label>
              <select class="role" id="role-${member.userId}" @change=${(event: Event) => this.setRole(member, (event.target as HTMLSelectElement).value)}>
                ${ROLES.map((role) => html`<option value=${role} ?selected=${role === member.role}>${ROLE_LABELS[role]}</option>`)}
              </select>
              ${this.chapters.length > 0 ? this.renderOverrides(member, overrides) : null}`
          : html`<span class="role-chip">${ROLE_LABELS[member.role]}</span>`}
      </td>
      <td data-label="Joined"><span title=${formatFullTime(joined)}>${formatRelativeTime(joined)}</span></td>
      ${this.owner
        ? html`<td><div class="actions"><button class="btn btn--quiet btn--small btn--danger" type="button" aria-label="Remove ${member.name}" @click=${() => this.removeMember(member)}>Remove</button></div></td>`
        : null}
    </tr>`;
  }

  private renderOverrides(member: MemberSummary, count: number) {
    return html`<details>
      <summary>Per chapter${count > 0 ? ` (${count} set)` : ''}</summary>
      <div class="overrides">
        ${this.chapters.map((chapter) => {
          const current = member.chapterRoles?.[chapter.id] ?? '';
          return html`<label>${chapter.title}
            <select @change=${(event: Event) => this.setChapterRole(member, chapter.id, (event.target as HTMLSelectElement).value)}>
              <option value="" ?selected=${current === ''}>Seminar role (${ROLE_LABELS[member.role]})</option>
              ${ROLES.map((role) => html`<option value=${role} ?selected=${role === current}>${ROLE_LABELS[role]}</option>`)}
            </select>
          </label>`;
        })}
      </div>
    </details>`;
  }

  private async send(method: string, path: string, body?: unknown): Promise<void> {
    const result = await callApi(method, path, body);
    this.error = result.ok ? '' : result.error;
    // Reload either way: a refused change (the last owner) must show the role it kept.
    this.dispatchEvent(new CustomEvent(SEMINAR_CHANGED, { bubbles: true, composed: true }));
  }

  private setRole(member: MemberSummary, value: string): Promise<void> {
    return this.send('PUT', `/api/seminars/${segment(this.seminarId)}/members/${segment(member.userId)}`, { role: roleOrNull(value) });
  }

  private setChapterRole(member: MemberSummary, room: string, value: string): Promise<void> {
    return this.send('PUT', `/api/seminars/${segment(this.seminarId)}/members/${segment(member.userId)}/chapters/${segment(room)}`, { role: roleOrNull(value) });
  }

  private async removeMember(member: MemberSummary): Promise<void> {
    const self = member.userId === this.you;
    const ok = await this.confirm({
      title: self ? 'Leave this seminar?' : `Remove ${member.name}?`,
      message: self
        ? 'You lose access to its chapters at once. Your annotations stay.'
        : `${member.name} loses access to every chapter of the seminar at once (open chapters close within a second). Their annotations stay. They can come back only through an invite link (revoke it if they should not).`,
      confirmLabel: self ? 'Leave seminar' : 'Remove member',
      danger: true,
    });
    if (ok) await this.send('DELETE', `/api/seminars/${segment(this.seminarId)}/members/${segment(member.userId)}`);
  }
}

customElements.define('ap-roster', ApRoster);
