import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** How long figures stay fresh enough not to ask again when the page is shown again. */
const FRESH_MS = 10_000;

/**
 * Calls `refresh` whenever the person comes back to the page: the tab is shown again, or the
 * page is restored from the back-forward cache (Back from a chapter the overview linked to).
 * A tab shown again asks only when the figures are older than a few seconds, so that switching
 * tabs back and forth asks once.
 * For figures computed on request rather than followed live (a seminar's overview).
 */
export class RefreshOnReturn implements ReactiveController {
  #loadedAt = 0;
  readonly #onVisibility = (): void => {
    if (document.visibilityState === 'visible') this.#maybeRefresh();
  };
  readonly #onPageShow = (event: PageTransitionEvent): void => {
    // Back from another page is a deliberate return: always ask again.
    if (event.persisted) this.refresh();
  };

  constructor(
    host: ReactiveControllerHost,
    private readonly refresh: () => void,
  ) {
    host.addController(this);
  }

  /** Records that the figures were just loaded. */
  loaded(): void {
    this.#loadedAt = Date.now();
  }

  hostConnected(): void {
    document.addEventListener('visibilitychange', this.#onVisibility);
    window.addEventListener('pageshow', this.#onPageShow);
  }

  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.#onVisibility);
    window.removeEventListener('pageshow', this.#onPageShow);
  }

  #maybeRefresh(): void {
    if (Date.now() - this.#loadedAt >= FRESH_MS) this.refresh();
  }
}
