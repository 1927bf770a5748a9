import { svg } from 'lit';

/** The Apparatus mark (an A with a gold bar), 26 px, decorative: headers pair it with the name. */
export const apparatusLogo = svg`<svg class="logo" viewBox="0 0 32 32" aria-hidden="true">
  <rect width="32" height="32" rx="7" fill="#26324b"></rect>
  <path d="M9 24 L16 7 L23 24" fill="none" stroke="#f4efe3" stroke-width="2.6" stroke-linejoin="round" stroke-linecap="round"></path>
  <path d="M11.6 18 H20.4" stroke="#e0a43a" stroke-width="2.6" stroke-linecap="round"></path>
</svg>`;
