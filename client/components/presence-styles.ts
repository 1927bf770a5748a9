import { css, unsafeCSS } from 'lit';
import { PRESENCE_COLOURS } from '../collab/presence-colours.ts';

/** The presence palette classes (`ap-peer-N` → `--peer`) for use inside shadow roots. */
export const presenceStyles = css`
  ${unsafeCSS(PRESENCE_COLOURS.map((colour, i) => `.ap-peer-${i} { --peer: ${colour}; }`).join('\n'))}
`;
