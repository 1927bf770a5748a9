import { LitElement, css, html } from 'lit';
import { ROLES } from '../../schema/index.ts';
import { sharedStyles } from '../components/shared-styles.ts';
import { ROLE_LABELS } from '../model/role-labels.ts';
import { formatFullTime, formatRelativeTime } from '../components/relative-time.ts';
import type { ConfirmRequest } from './ap-confirm-dialog.ts';
import { SEMINAR_CHANGED } from './ap-chapter-list.ts';
import { callApi, segment } from './site-api.ts';
import type { SeminarInvite } from './site-api.ts';
import { siteStyles } from './site-styles.ts';

const LIFETIMES: Array<[string, number | null]> = [['Never expires', null], ['1 day', 86_400], ['7 days', 7 * 86_400], ['30 days', 30 * 86_400], ['Until the end of term (120 days)', 120 * 86_400]];
const STATES: Record<SeminarInvite['state'], string> = { active: 'Active', expired: 'Expired', revoked: 'Revoked' };

/**
 * A seminar's invite links (owners): make one with a role, a label and an expiry — the link is
 * shown once, to copy — and revoke one after a confirmation. Whoever opens an active link joins
 * the seminar with its role, as themselves or as a guest.
 */
export class ApSeminarInvites extends LitElement {
  static override properties = {
    seminarId: { attribute: false },
    invites: { attribute: false },
    confirm: { attribute: false },
    created: { state: true },
    copied: { state: true },
    error: { state: true },
    busy: { state: true },
  };
  declare seminarId: string;
  declare invites: SeminarInvite[];
  declare confirm: (request: ConfirmRequest) => Promise<boolean>;
  declare created: { url: string; invite: SeminarInvite } | null;
  declare copied: boolean;
  declare error: string;
  declare busy: boolean;

  constructor() {
    super();
    this.seminarId = '';
    this.invites = [];
    this.confirm = async () => false;
    this.created = null;
    this.copied = false;
    this.error = '';
    this.busy = false;
  }

  static override styles = [
    sharedStyles,
    siteStyles,
    css`
      .new { display: grid; grid-template-columns: 150px 1fr 190px auto; gap: 10px; align-items: end; }
      .link { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; background: #e7f4ea; border-radius: 8px; padding: 10px 12px; }
      .link input { flex: 1 1 260px; font: 13px var(--ap-mono); }
      .state-revoked, .state-expired { color: var(--ap-muted); text-decoration: line-through; }
      .label { font-weight: 600; }
      @media (max-width: 760px) { .new { grid-template-columns: 1fr 1fr; } .new button { grid-column: 1 / -1; } }
    `,
  ];

  override render() {
    return html`<form class="new" @submit=${this.create} aria-label="New invite link">
        <label class="field">Role
          <select name="role">${ROLES.map((role) => html`<option value=${role} ?selected=${role === 'annotator'}>${ROLE_LABELS[role]}</option>`)}</select>
        </label>
        <label class="field">Label
          <input type="text" name="label" maxlength="80" placeholder="Who it is for, e.g. Tuesday group" />
        </label>
        <label class="field">Expires
          <select name="lifetime">${LIFETIMES.map(([name, seconds], index) => html`<option value=${String(index)} ?selected=${seconds === 30 * 86_400}>${name}</option>`)}</select>
        </label>
        <button class="btn btn--primary" type="submit" ?disabled=${this.busy}>Create link</button>
      </form>
      ${this.created
        ? html`<div class="link" role="status">
            <label class="ap-visually-hidden" for="new-link">New invite link</label>
            <input id="new-link" type="text" readonly .value=${this.created.url} @focus=${(event: FocusEvent) => (event.target as HTMLInputElement).select()} />
            <button class="btn btn--small" type="button" @click=${this.copy}>${this.copied ? 'Copied' : 'Copy link'}</button>
            <span class="hint">Shown once: copy it now and send it to the ${ROLE_LABELS[this.created.invite.role].toLowerCase()}s.</span>
          </div>`
        : null}
      <p class="error" role="alert">${this.error}</p>
      ${this.invites.length === 0
        ? html`<p class="empty">No invite links yet.</p>`
        : html`<table class="cards" aria-label="Invite links">
            <thead><tr><th>Link</th><th>Role</th><th>Expires</th><th>State</th><th><span class="ap-visually-hidden">Actions</span></th></tr></thead>
            <tbody>${this.invites.map((invite) => this.row(invite))}</tbody>
          </table>`}`;
  }

  private row(invite: SeminarInvite) {
    const expires = invite.expiresAt ? Date.parse(invite.expiresAt) : null;
    const created = Date.parse(invite.createdAt);
    return html`<tr>
      <td class="main"><span class="label">${invite.label ?? 'Unlabelled link'}</span> <span class="hint" title=${formatFullTime(created)}>made ${formatRelativeTime(created)}</span></td>
      <td data-label="Role"><span class="role-chip">${ROLE_LABELS[invite.role]}</span></td>
      <td data-label="Expires">${expires ? html`<span title=${formatFullTime(expires)}>${new Date(expires).toLocaleDateString()}</span>` : 'never'}</td>
      <td data-label="State"><span class="state-${invite.state}">${STATES[invite.state]}</span></td>
      <td>
        <div class="actions">
          ${invite.state === 'active' ? html`<button class="btn btn--quiet btn--small btn--danger" type="button" aria-label="Revoke ${invite.label ?? 'unlabelled link'}" @click=${() => this.revoke(invite)}>Revoke</button>` : null}
        </div>
      </td>
    </tr>`;
  }

  private async create(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const field = (name: string) => (form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement).value;
    const lifetime = LIFETIMES[Number(field('lifetime'))]?.[1] ?? null;
    this.busy = true;
    const result = await callApi<{ url: string; invite: SeminarInvite }>('POST', `/api/seminars/${segment(this.seminarId)}/invites`, {
      role: field('role'),
      label: field('label').trim() || null,
      ...(lifetime === null ? {} : { expiresInSeconds: lifetime }),
    });
    this.busy = false;
    if (!result.ok) {
      this.error = result.error;
      return;
    }
    this.error = '';
    this.copied = false;
    this.created = result.value;
    form.reset();
    this.dispatchEvent(new CustomEvent(SEMINAR_CHANGED, { bubbles: true, composed: true }));
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>('#new-link')?.focus();
  }

  private async copy(): Promise<void> {
    const input = this.renderRoot.querySelector<HTMLInputElement>('#new-link');
    if (!input || !this.created) return;
    try {
      await navigator.clipboard.writeText(this.created.url);
      this.copied = true;
    } catch {
      // No clipboard permission (an insecure origin, a locked-down browser): select it to copy by hand.
      input.focus();
      input.select();
    }
  }

  private async revoke(invite: SeminarInvite): Promise<void> {
    const ok = await this.confirm({
      title: `Revoke “${invite.label ?? 'unlabelled link'}”?`,
      message: 'Nobody can join with this link any more. People who already joined with it stay in the seminar; remove them from the roster if they should not.',
      confirmLabel: 'Revoke link',
      danger: true,
    });
    if (!ok) return;
    const result = await callApi('DELETE', `/api/seminars/${segment(this.seminarId)}/invites/${segment(invite.id)}`);
    this.error = result.ok ? '' : result.error;
    if (result.ok && this.created?.invite.id === invite.id) this.created = null;
    this.dispatchEvent(new CustomEvent(SEMINAR_CHANGED, { bubbles: true, composed: true }));
  }
}

customElements.define('ap-seminar-invites', ApSeminarInvites);
