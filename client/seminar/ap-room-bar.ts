import { LitElement, css, html, nothing } from 'lit';
import { can, roundIsBlind } from '../../schema/index.ts';
import type { Role } from '../../schema/index.ts';
import type { RoundView } from '../collab/round-api.ts';
import { sharedStyles } from '../components/shared-styles.ts';

/** The event that opens the seminar view (the header's Seminar button sends it). */
export const OPEN_SEMINAR = 'ap-open-seminar';

/**
 * A bar above the chapter while a blind round runs, saying what everyone sees (each reader their
 * own annotations only) and until when. Renders nothing otherwise. It holds nothing to focus, so
 * the chapter stays the first stop after the header.
 */
export class ApRoomBar extends LitElement {
  static override properties = { round: { attribute: false }, role: { attribute: false } };
  declare round: RoundView | null;
  declare role: Role;

  constructor() {
    super();
    this.round = null;
    this.role = 'viewer';
  }

  static override styles = [
    sharedStyles,
    css`
      :host { display: block; position: sticky; top: 0; z-index: 4; }
      .bar { display: flex; align-items: center; gap: 12px; padding: 8px 18px; font-size: 13.5px; background: #fff6e3; border-bottom: 1px solid #edd9ad; color: #4d3500; }
      .pill { font: 700 10.5px/1 var(--ap-sans); letter-spacing: 0.08em; text-transform: uppercase; padding: 5px 8px; border-radius: 4px; background: #f3dca8; color: #6a4200; flex: none; }
      .text { flex: 1; min-width: 0; }
      @media (max-width: 900px) { .bar { padding: 6px 10px; font-size: 12.5px; gap: 8px; } }
    `,
  ];

  override render() {
    const round = this.round?.round ?? null;
    if (round === null || !roundIsBlind(round.state)) return nothing;
    return html`<div class="bar" role="status"><span class="pill">Blind round ${round.id}</span><span class="text">${this.explain()}</span></div>`;
  }

  private explain(): string {
    const round = this.round!;
    if (round.round?.state === 'revealing') return 'The owner is revealing the round…';
    const staff = round.round?.showStaff ? " and the owner's and reviewers'" : '';
    if (!can(this.role, 'annotate')) return 'Readers are annotating privately until the owner reveals the round.';
    return `You see only your own annotations${staff}; everyone's become visible when the owner reveals the round.`;
  }

}

customElements.define('ap-room-bar', ApRoomBar);
