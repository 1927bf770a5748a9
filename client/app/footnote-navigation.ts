const FLASH_MS = 1400;

function flash(element: HTMLElement): void {
  element.classList.add('is-flashing');
  setTimeout(() => element.classList.remove('is-flashing'), FLASH_MS);
}

/**
 * Scrolls the chapter to footnote `n` (or back to its first marker) and flashes it, moving
 * keyboard focus there too so that Tab continues from the new place.
 */
export function jumpToFootnote(root: HTMLElement, n: number, to: 'note' | 'marker'): boolean {
  const target =
    to === 'note'
      ? root.querySelector<HTMLElement>(`#footnote-${CSS.escape(String(n))}`)
      : root.querySelector<HTMLElement>(`.ap-fn-ref[data-n="${CSS.escape(String(n))}"]`);
  if (!target) return false;
  target.scrollIntoView({ block: 'center', behavior: 'smooth' });
  flash(target);
  const focusable = to === 'note' ? target.querySelector<HTMLElement>('.ap-footnote__number') : target;
  focusable?.focus({ preventScroll: true });
  return true;
}
