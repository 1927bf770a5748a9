import { LitElement, css, html, nothing } from 'lit';
import { roundIsBlind } from '../../schema/index.ts';
import type { RoundView } from '../collab/round-api.ts';
import { sharedStyles } from '../components/shared-styles.ts';
import { seminarStyles, shortTime } from './seminar-styles.ts';

/** The event the panel sends for an owner's round action; detail says which. */
export const ROUND_ACTION = 'ap-round-action';

/** A round action the owner confirmed. */
export type RoundAction = { type: 'start'; showStaff: boolean } | { type: 'reveal' } | { type: 'end' };

/**
 * Blind rounds in the seminar view. The owner starts one (optionally letting everyone see the
 * staff's annotations), watches who has joined, and reveals it or ends it unrevealed, each after
 * a confirmation; others see the round's state.
 */
export class ApRoundPanel extends LitElement {
  static override properties = {
    view: { attribute: false },
    isOwner: { attribute: false },
    busy: { attribute: false },
    confirming: { state: true },
    showStaff: { state: true },
  };
  declare view: RoundView;
  declare isOwner: boolean;
  declare busy: 'start' | 'reveal' | 'end' | null;
  declare confirming: 'reveal' | 'end' | null;
  declare showStaff: boolean;

  constructor() {
    super();
    this.view = { round: null, participants: [], you: { layer: null, writable: false, layers: [], sharedHidden: false } };
    this.isOwner = false;
    this.busy = null;
    this.confirming = null;
    this.showStaff = false;
  }

  static override styles = [
    sharedStyles,
    seminarStyles,
    css`
      :host { display: block; }
      .panel { padding: 14px 18px 16px; display: grid; gap: 10px; }
      .top { display: flex; align-items: center; gap: 10px; flex-wrap: wrap; }
      .state { font: 700 11px/1 var(--ap-sans); letter-spacing: 0.08em; text-transform: uppercase; padding: 5px 8px; border-radius: 4px; }
      .state--open { background: #fff1d6; color: #7a4b00; }
      .state--done { background: var(--ap-surface-sunk); color: var(--ap-muted); }
      .title { font: 600 15px/1.3 var(--ap-sans); }
      .people { display: flex; flex-wrap: wrap; gap: 6px; }
      .actions { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; }
      .confirm { display: grid; gap: 8px; padding: 12px; border-radius: 8px; background: var(--ap-warning-bg); color: #4d3500; font-size: 13.5px; }
      .confirm.end { background: var(--ap-danger-bg); color: #5c1510; }
      label.check { display: inline-flex; gap: 8px; align-items: center; font-size: 13.5px; color: var(--ap-ink-soft); }
      .idle { display: flex; align-items: center; gap: 8px 16px; flex-wrap: wrap; }
      .idle .hint { flex-basis: 100%; }
      .pulse { width: 8px; height: 8px; border-radius: 50%; background: #d9822b; box-shadow: 0 0 0 0 rgba(217, 130, 43, 0.6); animation: pulse 2s infinite; }
      @keyframes pulse { 70% { box-shadow: 0 0 0 8px rgba(217, 130, 43, 0); } 100% { box-shadow: 0 0 0 0 rgba(217, 130, 43, 0); } }
      @media (prefers-reduced-motion: reduce) { .pulse { animation: none; } }
    `,
  ];

  override render() {
    const round = this.view.round;
    if (round && roundIsBlind(round.state)) return this.running();
    return html`<div class="panel">
      ${round
        ? html`<div class="top"><span class="state state--done">Round ${round.id} ${round.state === 'revealed' ? 'revealed' : 'ended unrevealed'}</span>
            <span class="hint">${shortTime(round.closedAt)}${round.state === 'revealed' ? ` · ${round.revealed ?? 0} annotations and replies merged into the shared layer` : ' · its annotations stay private'}</span></div>`
        : nothing}
      ${this.isOwner
        ? html`<div class="idle">
            <button class="btn btn--primary" type="button" ?disabled=${this.busy !== null} @click=${() => this.send({ type: 'start', showStaff: this.showStaff })}>${this.busy === 'start' ? 'Starting…' : 'Start a blind round'}</button>
            <label class="check"><input type="checkbox" .checked=${this.showStaff} @change=${(e: Event) => (this.showStaff = (e.target as HTMLInputElement).checked)} /> let everyone see your and the reviewers' annotations</label>
            <p class="hint">Each reader then sees only their own annotations until you reveal them, and the agreement report shows where the group differs.</p>
          </div>`
        : round === null
          ? html`<p class="hint">No blind round yet. The room's owner starts them.</p>`
          : nothing}
    </div>`;
  }

  private running() {
    const round = this.view.round!;
    const readers = this.view.participants;
    return html`<div class="panel">
      <div class="top">
        <span class="pulse" aria-hidden="true"></span>
        <span class="state state--open">Blind round ${round.id}</span>
        <span class="title">${round.state === 'revealing' ? 'Being revealed…' : `started ${shortTime(round.startedAt)}`}</span>
        <span class="hint">${round.showStaff ? "Everyone sees the owner's and reviewers' annotations." : 'Each reader sees only their own annotations.'}</span>
      </div>
      ${this.isOwner
        ? html`<div class="people" aria-label="Readers in this round">
              ${readers.length === 0 ? html`<span class="hint">Nobody has opened the chapter since the round started.</span>` : readers.map((p) => html`<span class="badge badge--plain">${p.name}</span>`)}
            </div>
            ${this.confirming ? this.confirmation(readers.length) : this.actions()}`
        : html`<p class="hint">The owner sees this round's annotations until they reveal it.</p>`}
    </div>`;
  }

  private actions() {
    return html`<div class="actions">
      <button class="btn btn--primary" type="button" ?disabled=${this.busy !== null} @click=${() => (this.confirming = 'reveal')}>Reveal to everyone…</button>
      <button class="btn btn--danger" type="button" ?disabled=${this.busy !== null} @click=${() => (this.confirming = 'end')}>End without revealing…</button>
    </div>`;
  }

  private confirmation(readers: number) {
    const reveal = this.confirming === 'reveal';
    return html`<div class="confirm ${reveal ? 'reveal' : 'end'}" role="alertdialog" aria-label=${reveal ? 'Confirm the reveal' : 'Confirm ending the round'}>
      <span>${reveal
        ? `Merge the annotations of ${readers} reader${readers === 1 ? '' : 's'} into the shared layer? Everyone will see them; this cannot be undone.`
        : "End the round without revealing? Its annotations stay private to their readers and you; they cannot be revealed later."}</span>
      <span class="actions">
        <button class="btn ${reveal ? 'btn--primary' : 'btn--danger'}" type="button" ?disabled=${this.busy !== null} @click=${() => this.send({ type: reveal ? 'reveal' : 'end' })}>
          ${this.busy === 'reveal' ? 'Revealing…' : this.busy === 'end' ? 'Ending…' : reveal ? 'Yes, reveal' : 'Yes, end it'}
        </button>
        <button class="btn" type="button" @click=${() => (this.confirming = null)}>Cancel</button>
      </span>
    </div>`;
  }

  private send(action: RoundAction): void {
    this.confirming = null;
    this.dispatchEvent(new CustomEvent<RoundAction>(ROUND_ACTION, { detail: action, bubbles: true, composed: true }));
  }
}

customElements.define('ap-round-panel', ApRoundPanel);
