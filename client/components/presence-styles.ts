import { css, unsafeCSS } from 'lit';
import { PRESENCE_PALETTE } from '../../schema/index.ts';

/**
 * The presence classes (`ap-peer-N` → `--peer`, `ap-peer--alt` → the second cue of slots 12–23,
 * `ap-peer-pending` → neutral) for use inside shadow roots; app.css defines the same for the page.
 */
export const presenceStyles = css`
  ${unsafeCSS(PRESENCE_PALETTE.map((colour, i) => `.ap-peer-${i} { --peer: ${colour}; }`).join('\n'))}
  .ap-peer-pending { --peer: var(--ap-muted); }
  .ap-peer--alt { background-image: repeating-linear-gradient(135deg, transparent 0 4px, rgba(255, 255, 255, 0.28) 4px 7px); }
`;
