import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * The page's two layouts. Wide: the chapter and the sidebar side by side. Narrow (phones and
 * upright tablets, below 900 CSS pixels): the chapter alone at full width, the sidebar a bottom
 * sheet the reader opens, the header collapsed to what fits. app.css and the components' styles
 * use the same breakpoint in their media queries.
 */
export const NARROW_LAYOUT_QUERY = '(max-width: 899px)';

/** Whether the page is in its narrow layout now. */
export function isNarrowLayout(): boolean {
  return matchMedia(NARROW_LAYOUT_QUERY).matches;
}

/** Whether the primary pointer is a finger (no hover; the system shows its own selection menu above a selection). */
export function isCoarsePointer(): boolean {
  return matchMedia('(pointer: coarse)').matches;
}

/**
 * Keeps a component told whether the page is in its narrow layout: calls `onChange` with the
 * current answer when the host connects and whenever the layout changes, and stops listening
 * when the host disconnects.
 */
export class NarrowLayout implements ReactiveController {
  private readonly query = matchMedia(NARROW_LAYOUT_QUERY);
  private readonly onQueryChange = (): void => this.onChange(this.query.matches);

  constructor(
    host: ReactiveControllerHost,
    private readonly onChange: (narrow: boolean) => void,
  ) {
    host.addController(this);
  }

  /** Whether the page is in its narrow layout now. */
  get matches(): boolean {
    return this.query.matches;
  }

  hostConnected(): void {
    this.query.addEventListener('change', this.onQueryChange);
    this.onChange(this.query.matches);
  }

  hostDisconnected(): void {
    this.query.removeEventListener('change', this.onQueryChange);
  }
}
