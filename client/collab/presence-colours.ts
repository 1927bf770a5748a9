import { presenceLook } from '../../schema/index.ts';

/**
 * The classes that paint a person's presence slot (schema/room/presence-palette.ts): `ap-peer-N`
 * sets the colour (`--peer`, `--peer-tint`, app.css) and `ap-peer--alt` the second cue of slots
 * 12–23. Classes, because the page's CSP forbids inline `style` attributes. A slot not yet known
 * (the local user, until the server's answer arrives) is painted neutral, never in a colour
 * someone else may hold.
 */
export function presenceClasses(slot: number | null): string {
  if (slot === null) return 'ap-peer-pending';
  const look = presenceLook(slot);
  return look.patterned ? `ap-peer-${look.colourIndex} ap-peer--alt` : `ap-peer-${look.colourIndex}`;
}
