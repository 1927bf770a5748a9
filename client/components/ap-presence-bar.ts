import { LitElement, css, html } from 'lit';
import type { Peer } from '../collab/presence.ts';
import { presenceClasses } from '../collab/presence-colours.ts';
import { presenceStyles } from './presence-styles.ts';
import { sharedStyles } from './shared-styles.ts';


function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0]!, words[words.length - 1]!] : words;
  return letters.map((w) => [...w][0] ?? '').join('').toLocaleUpperCase() || '?';
}

/** Who is in the room: coloured initials, the local user first, the rest in a "+N" overflow. */
export class ApPresenceBar extends LitElement {
  static override properties = { peers: { attribute: false }, maxFaces: { attribute: false } };
  declare peers: Peer[];
  /** How many faces show before the "+N" overflow (fewer in the narrow header). */
  declare maxFaces: number;

  constructor() {
    super();
    this.peers = [];
    this.maxFaces = 5;
  }

  static override styles = [
    sharedStyles,
    presenceStyles,
    css`
      :host { display: inline-flex; align-items: center; }
      ul { display: flex; list-style: none; margin: 0; padding: 0 0 0 6px; }
      li { margin-left: -6px; }
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
      }
      .self { box-shadow: 0 0 0 2px var(--peer); }
      .more { background: var(--ap-surface-sunk); color: var(--ap-ink-soft); }
    `,
  ];

  override render() {
    const shown = this.peers.slice(0, this.maxFaces);
    const hidden = this.peers.slice(this.maxFaces);
    const everyone = this.peers.map((p) => (p.isSelf ? `${p.name} (you)` : p.name)).join(', ');
    return html`<ul aria-label=${`${this.peers.length} ${this.peers.length === 1 ? 'person' : 'people'} in the room: ${everyone}`}>
      ${shown.map(
        (peer) => html`<li>
          <span class="face ${presenceClasses(peer.slot)} ${peer.isSelf ? 'self' : ''}" title=${peer.isSelf ? `${peer.name} (you)` : peer.name} data-peer=${peer.name}>
            ${initials(peer.name)}
          </span>
        </li>`,
      )}
      ${hidden.length > 0
        ? html`<li><span class="face more" title=${hidden.map((p) => p.name).join(', ')}>+${hidden.length}</span></li>`
        : null}
    </ul>`;
  }
}

customElements.define('ap-presence-bar', ApPresenceBar);
