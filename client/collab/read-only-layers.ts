import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';

/**
 * Annotation documents a page shows but never writes: during a blind round whose owner chose
 * so, the owner's and reviewers' layers (docs/seminar-view.md). Each is a stock provider on the
 * session cookie that only receives; nothing is cached locally (the server has it all).
 */
export class ReadOnlyLayers {
  readonly docs: Y.Doc[] = [];
  readonly #providers: WebsocketProvider[] = [];

  /** Opens `roomnames` (`<room>/rounds/<id>/<user>`); `onClosed` hears a close the provider gives up on (4409: the round changed). */
  constructor(collabUrl: string, roomnames: readonly string[], onClosed: (code: number) => void) {
    for (const roomname of roomnames) {
      const ydoc = new Y.Doc();
      const provider = new WebsocketProvider(collabUrl, roomname, ydoc, { disableBc: true });
      // Presence rides on the text document; a reader of a layer announces none.
      provider.awareness.setLocalState(null);
      provider.on('closed', ({ code }) => onClosed(code));
      this.docs.push(ydoc);
      this.#providers.push(provider);
    }
  }

  destroy(): void {
    for (const provider of this.#providers) provider.destroy();
    for (const doc of this.docs) doc.destroy();
  }
}
