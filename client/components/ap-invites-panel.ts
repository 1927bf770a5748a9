import { LitElement, css, html } from 'lit';
import { ROLES } from '../../schema/index.ts';
import { OutsideClick } from './outside-click.ts';
import type { InviteSummary, Role } from '../../schema/index.ts';
import { ROLE_LABELS } from '../model/role-labels.ts';
import { dropdownStyles, sharedStyles } from './shared-styles.ts';

/** An invite as the owner API lists it (`GET /api/rooms/<room>/invites`): whether it is the one you came in with, too. */
type InviteRow = InviteSummary & { yours: boolean };

/** Lifetimes offered when creating an invite, in seconds (null: never expires). */
const LIFETIMES: Array<{ label: string; seconds: number | null }> = [
  { label: 'Never expires', seconds: null },
  { label: 'Expires in 1 day', seconds: 24 * 3600 },
  { label: 'Expires in 7 days', seconds: 7 * 24 * 3600 },
  { label: 'Expires in 30 days', seconds: 30 * 24 * 3600 },
];

/** Validates the untrusted listing once, at the edge; rows that do not fit are left out. */
function parseRows(body: unknown): InviteRow[] {
  const invites = (body as { invites?: unknown } | null)?.invites;
  if (!Array.isArray(invites)) return [];
  return invites.filter((value: unknown): value is InviteRow => {
    const row = value as Record<string, unknown> | null;
    return (
      typeof row === 'object' &&
      row !== null &&
      typeof row.id === 'string' &&
      (ROLES as readonly unknown[]).includes(row.role) &&
      (row.label === null || typeof row.label === 'string') &&
      typeof row.createdAt === 'string' &&
      (row.expiresAt === null || typeof row.expiresAt === 'string') &&
      ['active', 'expired', 'revoked'].includes(row.state as string)
    );
  });
}

/** The message an error response carries, or a plain one for its status. */
async function errorOf(response: Response): Promise<string> {
  const body = (await response.json().catch(() => null)) as { error?: unknown } | null;
  return typeof body?.error === 'string' ? body.error : `The server answered ${response.status}.`;
}

function formatDate(iso: string | null): string {
  if (iso === null) return 'never';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '—' : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/**
 * The owner's invite panel: a header button opening a popover that lists the room's invites
 * (role, label, state, expiry), creates new ones per role with an optional label and lifetime
 * (the link is shown once: the server keeps only a hash), and revokes them — which also closes
 * the sockets of everyone who joined through them. Every string is rendered as text.
 */
export class ApInvitesPanel extends LitElement {
  static override properties = {
    room: { attribute: false },
    open: { state: true },
    rows: { state: true },
    error: { state: true },
    busy: { state: true },
    created: { state: true },
    confirmingRevoke: { state: true },
  };
  declare room: string;
  declare open: boolean;
  declare rows: InviteRow[];
  declare error: string;
  declare busy: boolean;
  /** The link of the invite just created, shown until the panel closes. */
  declare created: { url: string; role: Role } | null;
  /** The invite whose Revoke was pressed and awaits confirmation, or null. */
  declare confirmingRevoke: string | null;
  // A click anywhere else closes the panel.
  private readonly outsideClick = new OutsideClick(this, () => this.open && this.close());

  constructor() {
    super();
    this.room = '';
    this.open = false;
    this.rows = [];
    this.error = '';
    this.busy = false;
    this.created = null;
    this.confirmingRevoke = null;
  }

  static override styles = [
    sharedStyles,
    dropdownStyles,
    css`
      .panel { width: 420px; max-height: 70vh; overflow: auto; padding: 12px; display: grid; gap: 12px; }
      h2 { font: 600 14px/1.2 var(--ap-sans); margin: 0; }
      form { display: grid; grid-template-columns: 1fr 1fr; gap: 8px; align-items: end; }
      form .wide { grid-column: 1 / -1; }
      ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 6px; }
      li { display: grid; grid-template-columns: 1fr auto; gap: 2px 8px; padding: 8px; border: 1px solid var(--ap-rule); border-radius: 6px; }
      li.ended { opacity: 0.65; }
      .what { font: 600 13px/1.3 var(--ap-sans); overflow-wrap: anywhere; }
      .when { font: 12px/1.3 var(--ap-sans); color: var(--ap-muted); grid-column: 1; }
      li .btn { grid-row: 1 / span 2; grid-column: 2; align-self: center; }
      .link { display: grid; gap: 6px; padding: 8px; background: var(--ap-surface-sunk); border-radius: 6px; }
      .link input { font: 12px/1.3 var(--ap-mono); }
      .note { font: 12px/1.4 var(--ap-sans); color: var(--ap-muted); margin: 0; }
      .error { font: 12.5px/1.4 var(--ap-sans); color: var(--ap-danger); margin: 0; }
      .confirm { grid-column: 1 / -1; display: flex; flex-wrap: wrap; gap: 6px; align-items: center; font: 12.5px/1.4 var(--ap-sans); color: var(--ap-danger); padding-top: 6px; }
      .confirm .btn { grid-row: auto; grid-column: auto; }
    `,
  ];

  private get base(): string {
    return `/api/rooms/${encodeURIComponent(this.room)}/invites`;
  }

  private async toggle(): Promise<void> {
    if (this.open) return this.close();
    this.open = true;
    await this.load();
  }

  private close(): void {
    this.open = false;
    this.created = null;
    this.error = '';
    this.confirmingRevoke = null;
  }

  private async load(): Promise<void> {
    try {
      const response = await fetch(this.base, { credentials: 'same-origin', headers: { accept: 'application/json' } });
      if (!response.ok) {
        this.error = await errorOf(response);
        return;
      }
      this.rows = parseRows(await response.json());
    } catch {
      this.error = 'The server cannot be reached.';
    }
  }

  private async create(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    // Read now: once dispatch ends, the event's target is retargeted to this element's host.
    const form = event.target as HTMLFormElement;
    const fields = new FormData(form);
    const lifetime = LIFETIMES[Number(fields.get('lifetime'))]?.seconds ?? null;
    const label = String(fields.get('label') ?? '').trim();
    await this.request(this.base, { method: 'POST', body: JSON.stringify({ role: fields.get('role'), label: label || null, expiresInSeconds: lifetime }) }, async (response) => {
      const body = (await response.json()) as { url?: unknown; invite?: { role?: Role } };
      if (typeof body.url === 'string' && body.invite?.role) this.created = { url: body.url, role: body.invite.role };
      form.reset();
    });
  }

  private async revoke(row: InviteRow): Promise<void> {
    this.confirmingRevoke = null;
    await this.request(`${this.base}/${encodeURIComponent(row.id)}`, { method: 'DELETE' }, async () => {});
  }

  /** Runs one state-changing request, then reloads the list; errors are shown in the panel. */
  private async request(url: string, init: RequestInit, onSuccess: (response: Response) => Promise<void>): Promise<void> {
    this.busy = true;
    this.error = '';
    try {
      const response = await fetch(url, { ...init, credentials: 'same-origin', headers: { 'content-type': 'application/json', accept: 'application/json' } });
      if (response.ok) await onSuccess(response);
      else this.error = await errorOf(response);
      await this.load();
    } catch {
      this.error = 'The server cannot be reached.';
    } finally {
      this.busy = false;
    }
  }

  private async copy(): Promise<void> {
    if (!this.created) return;
    try {
      await navigator.clipboard.writeText(this.created.url);
    } catch {
      // No clipboard permission: the link stays selectable in its field.
      this.renderRoot.querySelector<HTMLInputElement>('.link input')?.select();
    }
  }

  override render() {
    return html`<button class="btn" type="button" aria-haspopup="dialog" aria-expanded=${this.open ? 'true' : 'false'} @click=${this.toggle}>Invites</button>
      <section class="dropdown panel" role="dialog" aria-label="Invites" ?hidden=${!this.open} @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && this.close()}>
        <h2>Invite people to this room</h2>
        <form @submit=${this.create}>
          <label class="field">Role
            <select name="role">${ROLES.map((role) => html`<option value=${role} ?selected=${role === 'annotator'}>${ROLE_LABELS[role]}</option>`)}</select>
          </label>
          <label class="field">Lifetime
            <select name="lifetime">${LIFETIMES.map((l, i) => html`<option value=${String(i)}>${l.label}</option>`)}</select>
          </label>
          <label class="field wide">Label (optional)<input type="text" name="label" maxlength="80" placeholder="e.g. Tuesday seminar" /></label>
          <button class="btn btn--primary wide" type="submit" ?disabled=${this.busy}>Create invite link</button>
        </form>
        ${this.created
          ? html`<div class="link">
              <span class="note">New ${ROLE_LABELS[this.created.role].toLowerCase()} link — copy it now; it is not shown again.</span>
              <input type="text" readonly aria-label="Invite link" .value=${this.created.url} />
              <button class="btn btn--small" type="button" @click=${this.copy}>Copy link</button>
            </div>`
          : null}
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : null}
        <ul aria-label="Invites of this room">
          ${this.rows.map(
            (row) => html`<li class=${row.state === 'active' ? '' : 'ended'}>
              <span class="what">${ROLE_LABELS[row.role]}${row.label ? ` · ${row.label}` : ''}${row.yours ? ' (yours)' : ''}</span>
              <span class="when">${row.state === 'active' ? `expires ${formatDate(row.expiresAt)}` : row.state} · created ${formatDate(row.createdAt)}</span>
              ${row.state === 'active' && !row.yours && this.confirmingRevoke !== row.id
                ? html`<button class="btn btn--small btn--danger" type="button" ?disabled=${this.busy} @click=${() => (this.confirmingRevoke = row.id)} aria-label=${`Revoke the ${ROLE_LABELS[row.role]} invite ${row.label ?? ''}`}>Revoke</button>`
                : null}
              ${this.confirmingRevoke === row.id
                ? html`<span class="confirm" role="group" aria-label="Confirm revoking the invite">Everyone who joined with this link loses access now.
                    <button class="btn btn--small btn--danger" type="button" ?disabled=${this.busy} @click=${() => this.revoke(row)}>Revoke access</button>
                    <button class="btn btn--small" type="button" @click=${() => (this.confirmingRevoke = null)}>Keep</button>
                  </span>`
                : null}
            </li>`,
          )}
        </ul>
        <p class="note">Revoking an invite signs out everyone who joined with it, at once.</p>
      </section>`;
  }
}

customElements.define('ap-invites-panel', ApInvitesPanel);
