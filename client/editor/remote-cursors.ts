import type { DecorationAttrs } from 'prosemirror-view';
import { presenceUserOf } from '../collab/presence.ts';
import { presenceClasses } from '../collab/presence-colours.ts';

/**
 * Builds the caret of another user: a coloured bar with their name above it. Colour comes
 * from a palette class, never from a `style` attribute, so the page's CSP holds
 * (y-prosemirror's default builder writes `style`, which a strict CSP blocks).
 */
export function buildRemoteCursor(user: unknown, clientId: number): HTMLElement {
  const peer = presenceUserOf({ user }, clientId);
  const caret = document.createElement('span');
  caret.className = `ap-remote-caret ${presenceClasses(peer.slot)}`;
  caret.setAttribute('aria-hidden', 'true');
  const label = document.createElement('span');
  label.className = 'ap-remote-caret__label';
  label.textContent = peer.name;
  // Word joiners keep the caret from creating a line-break opportunity in the text.
  caret.append(document.createTextNode('\u2060'), label, document.createTextNode('\u2060'));
  return caret;
}

/** Decoration attributes for another user's selection: a tint in their palette colour. */
export function buildRemoteSelection(user: unknown, clientId: number): DecorationAttrs {
  const peer = presenceUserOf({ user }, clientId);
  return { class: `ap-remote-selection ${presenceClasses(peer.slot)}` };
}
