/** Where a floating element should go relative to an anchor rectangle. */
export interface FloatingPlacement {
  left: number;
  top: number;
  /** Whether it ended up below the anchor (there was no room above). */
  below: boolean;
}

const MARGIN = 8;

/**
 * Places a box of `size` centred above `anchor` (or below when there is no room above),
 * kept inside the viewport. Coordinates are viewport pixels, for `position: fixed`.
 */
export function placeFloating(
  anchor: { left: number; right: number; top: number; bottom: number },
  size: { width: number; height: number },
  viewport: { width: number; height: number },
  prefer: 'above' | 'below' = 'above',
): FloatingPlacement {
  const centre = (anchor.left + anchor.right) / 2;
  const left = Math.min(Math.max(MARGIN, centre - size.width / 2), Math.max(MARGIN, viewport.width - size.width - MARGIN));
  const fitsAbove = anchor.top - size.height - MARGIN >= MARGIN;
  const fitsBelow = anchor.bottom + size.height + MARGIN <= viewport.height - MARGIN;
  const below = prefer === 'below' ? fitsBelow || !fitsAbove : !fitsAbove && fitsBelow;
  const wanted = below ? anchor.bottom + MARGIN : anchor.top - size.height - MARGIN;
  // When it fits on neither side, keep the whole box on screen, even over the anchor.
  const top = Math.min(Math.max(MARGIN, wanted), Math.max(MARGIN, viewport.height - size.height - MARGIN));
  return { left: Math.round(left), top: Math.round(top), below };
}

/** Moves a `position: fixed` element with CSSOM (the CSP forbids style attributes, not CSSOM). */
export function moveTo(element: HTMLElement, placement: { left: number; top: number }): void {
  element.style.transform = `translate(${placement.left}px, ${placement.top}px)`;
}
