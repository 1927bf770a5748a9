/**
 * The presence palette: eight colours that stay readable as white label text (contrast
 * ≥ 4.5:1) and as a caret line on the cream page. Colours are applied through classes
 * (`ap-peer-0` … `ap-peer-7`, defined in app.css) because the page's CSP forbids inline
 * `style` attributes; the hex values exist only for y-prosemirror's colour check and for
 * the presence bar's CSSOM-set swatches.
 */
export const PRESENCE_COLOURS: readonly string[] = [
  '#b4233c',
  '#1f62a8',
  '#2b6e2f',
  '#7d3c98',
  '#9a4b00',
  '#00695c',
  '#ad1457',
  '#4e5b1a',
];

/** Returns the palette slot (0–7) for a stable identity, the same in every browser. */
export function presenceColourIndex(identity: string): number {
  // FNV-1a: cheap, stable across browsers, spreads short ids well enough for 8 slots.
  let hash = 0x811c9dc5;
  for (let i = 0; i < identity.length; i++) {
    hash ^= identity.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % PRESENCE_COLOURS.length;
}

/** Returns the class that paints an element in the colour of the given palette slot. */
export function presenceColourClass(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= PRESENCE_COLOURS.length) {
    throw new RangeError(`presence colour index out of range: ${index}`);
  }
  return `ap-peer-${index}`;
}
