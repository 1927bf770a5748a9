import { LitElement, css, html, nothing } from 'lit';
import type { Peer } from '../collab/presence.ts';
import { presenceClasses } from '../collab/presence-colours.ts';
import { ROLE_LABELS } from '../model/role-labels.ts';
import { moveTo, placeFloating } from './floating-position.ts';
import { OutsideClick } from './outside-click.ts';
import { presenceStyles } from './presence-styles.ts';
import { sharedStyles } from './shared-styles.ts';

function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0]!, words[words.length - 1]!] : words;
  return letters.map((w) => [...w][0] ?? '').join('').toLocaleUpperCase() || '?';
}

/** A person's name as the bar shows it. */
function nameOf(peer: Peer): string {
  return peer.isSelf ? `${peer.name} (you)` : peer.name;
}

/**
 * Who is in the room: coloured initials, the local user first. When more people are present
 * than fit, the rest are a "+N" button that opens a list of everyone present (their look, name
 * and role); Escape or a click elsewhere closes it.
 */
export class ApPresenceBar extends LitElement {
  static override properties = { peers: { attribute: false }, maxFaces: { attribute: false }, open: { state: true } };
  declare peers: Peer[];
  /** How many faces show before the "+N" overflow (fewer in the narrow header). */
  declare maxFaces: number;
  /** Whether the list of everyone present is open. */
  declare open: boolean;

  constructor() {
    super();
    this.peers = [];
    this.maxFaces = 5;
    this.open = false;
    new OutsideClick(this, () => (this.open = false));
  }

  static override styles = [
    sharedStyles,
    presenceStyles,
    css`
      :host { display: inline-flex; align-items: center; position: relative; }
      ul.faces { display: flex; list-style: none; margin: 0; padding: 0 0 0 6px; }
      ul.faces > li { margin-left: -6px; }
      .face {
        display: grid;
        place-items: center;
        width: 30px;
        height: 30px;
        border-radius: 50%;
        background: var(--peer, var(--ap-muted));
        color: #fff;
        font: 600 11.5px/1 var(--ap-sans);
        letter-spacing: 0.02em;
        border: 2px solid var(--ap-surface);
        cursor: default;
        flex: none;
      }
      .self { box-shadow: 0 0 0 2px var(--peer); }
      button.more { all: unset; box-sizing: border-box; display: grid; place-items: center; width: 30px; height: 30px; border-radius: 50%; border: 2px solid var(--ap-surface); background: var(--ap-surface-sunk); color: var(--ap-ink-soft); font: 600 11.5px/1 var(--ap-sans); cursor: pointer; }
      button.more:hover, button.more[aria-expanded='true'] { background: var(--ap-rule-strong); color: var(--ap-ink); }
      button.more:focus-visible { outline: 2px solid var(--ap-focus); outline-offset: 1px; }
      .everyone {
        position: fixed;
        top: 0;
        left: 0;
        z-index: 30;
        width: min(300px, calc(100vw - 24px));
        max-height: min(480px, 70vh);
        overflow-y: auto;
        background: var(--ap-surface);
        border: 1px solid var(--ap-rule-strong);
        border-radius: 10px;
        box-shadow: 0 10px 30px rgba(29, 34, 48, 0.16);
        padding: 8px 0;
      }
      .everyone h2 { margin: 0; padding: 6px 14px 8px; font: 600 11px/1.2 var(--ap-sans); letter-spacing: 0.08em; text-transform: uppercase; color: var(--ap-muted); }
      .everyone ul { list-style: none; margin: 0; padding: 0; }
      .everyone li { display: flex; align-items: center; gap: 10px; padding: 6px 14px; }
      .everyone .face { width: 28px; height: 28px; font-size: 11px; }
      .who { flex: 1; min-width: 0; font: 500 13.5px/1.3 var(--ap-sans); color: var(--ap-ink); overflow-wrap: anywhere; }
      .who small { font-size: 12px; color: var(--ap-muted); font-weight: 400; }
      .role { font: 600 10.5px/1 var(--ap-sans); letter-spacing: 0.06em; text-transform: uppercase; color: var(--ap-muted); }
    `,
  ];

  override render() {
    const shown = this.peers.slice(0, this.maxFaces);
    const hidden = this.peers.slice(this.maxFaces);
    const everyone = this.peers.map(nameOf).join(', ');
    return html`<ul class="faces" aria-label=${`${this.peers.length} ${this.peers.length === 1 ? 'person' : 'people'} in the room: ${everyone}`}>
        ${shown.map((peer) => html`<li>${this.face(peer)}</li>`)}
        ${hidden.length > 0
          ? html`<li>
              <button class="more" type="button" aria-expanded=${this.open ? 'true' : 'false'} aria-controls="everyone" aria-label=${`+${hidden.length}: everyone present`}
                title=${hidden.map((p) => p.name).join(', ')} @click=${() => (this.open = !this.open)} @keydown=${this.onKey}>+${hidden.length}</button>
            </li>`
          : nothing}
      </ul>
      ${this.open && hidden.length > 0 ? this.list() : nothing}`;
  }

  private face(peer: Peer) {
    return html`<span class="face ${presenceClasses(peer.slot)} ${peer.isSelf ? 'self' : ''}" title=${nameOf(peer)} data-peer=${peer.name}>${initials(peer.name)}</span>`;
  }

  /** Everyone present, in the bar's order: look, name, role. */
  private list() {
    return html`<div class="everyone" id="everyone" role="region" aria-labelledby="everyone-title" @keydown=${this.onKey}>
      <h2 id="everyone-title">Everyone present (${this.peers.length})</h2>
      <ul>
        ${this.peers.map(
          (peer) => html`<li data-peer=${peer.name}>
            <span aria-hidden="true">${this.face(peer)}</span>
            <span class="who">${peer.name}${peer.isSelf ? html` <small>(you)</small>` : nothing}</span>
            ${peer.role ? html`<span class="role">${ROLE_LABELS[peer.role]}</span>` : nothing}
          </li>`,
        )}
      </ul>
    </div>`;
  }

  private readonly onKey = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || !this.open) return;
    event.stopPropagation();
    this.open = false;
    this.renderRoot.querySelector<HTMLButtonElement>('button.more')?.focus();
  };

  override updated(changed: Map<string, unknown>): void {
    // Fewer people than fit now: nothing is left to list.
    if (changed.has('peers') && this.open && this.peers.length <= this.maxFaces) this.open = false;
    const list = this.renderRoot.querySelector<HTMLElement>('.everyone');
    const button = this.renderRoot.querySelector<HTMLElement>('button.more');
    // Below the button, kept inside the viewport (the bar sits anywhere in the header, a phone's included).
    if (list && button) moveTo(list, placeFloating(button.getBoundingClientRect(), { width: list.offsetWidth, height: list.offsetHeight }, { width: innerWidth, height: innerHeight }, 'below'));
  }
}

customElements.define('ap-presence-bar', ApPresenceBar);
