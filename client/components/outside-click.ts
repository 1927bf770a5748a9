import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Calls `onOutside` for every click in the document outside `host` while the host is
 * connected: how a dropdown (the export menu, the invites panel) closes when the user clicks
 * elsewhere. The listener goes with the host, so a removed element leaves none behind.
 */
export class OutsideClick implements ReactiveController {
  private readonly onClick = (event: MouseEvent): void => {
    if (!event.composedPath().includes(this.host)) this.onOutside();
  };

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly onOutside: () => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    document.addEventListener('click', this.onClick);
  }

  hostDisconnected(): void {
    document.removeEventListener('click', this.onClick);
  }
}
