import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import type { ReadAnnotation } from '../../schema/index.ts';
import { AnnotationLayer } from '../app/annotation-layer.ts';

/**
 * Where the seminar view reads annotations from: the reading room's own layer when it shows
 * the one the view counts, or annotation documents the view opens itself, read-only (the shared
 * layer while the user annotates in a blind round; every participant's layer of a round, for
 * the owner).
 */

/** A live set of annotations with their threads and ranges. */
export interface SeminarSource {
  /** The annotations as they are now. */
  read(): ReadAnnotation[];
  /** Calls `listener` after each change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** Whether the source holds the server's state (a document it opened has synced). */
  readonly ready: boolean;
  destroy(): void;
}

/** The reading room's annotation layer as a source (the room keeps owning it); `ready` says whether its document holds the server's state. */
export function layerSource(layer: AnnotationLayer, ready: () => boolean): SeminarSource {
  return {
    read: () => layer.readAnnotations(),
    subscribe: (listener) => layer.subscribe(listener),
    get ready() {
      return ready();
    },
    destroy: () => {},
  };
}

/** What a read-only remote layer needs. */
export interface RemoteLayerOptions {
  collabUrl: string;
  /** The roomname: `<room>/annotations` or a round layer `<room>/rounds/<id>/<user>`. */
  roomname: string;
  /** The chapter text the anchors resolve in (the reading room's text document). */
  textDoc: Y.Doc;
  /** Called when the server closes the socket for good (a round changed: 4409; access ended). */
  onClosed?: (code: number) => void;
}

/**
 * An annotation document the view opens itself: a stock provider (the session cookie is its
 * credential) that only receives, read through an AnnotationLayer that draws nothing.
 */
export class RemoteLayer implements SeminarSource {
  readonly #ydoc = new Y.Doc();
  readonly #provider: WebsocketProvider;
  readonly #layer: AnnotationLayer;
  #synced = false;

  constructor(options: RemoteLayerOptions) {
    this.#layer = new AnnotationLayer({ annotationsDoc: this.#ydoc, textDoc: options.textDoc, actor: { userId: '', name: '' }, getView: () => undefined });
    this.#provider = new WebsocketProvider(options.collabUrl, options.roomname, this.#ydoc, { disableBc: true });
    // Presence rides on the text document; a reader of an annotation layer has none.
    this.#provider.awareness.setLocalState(null);
    this.#provider.on('sync', (synced: boolean) => (this.#synced ||= synced));
    this.#provider.on('closed', ({ code }) => options.onClosed?.(code));
  }

  get ready(): boolean {
    return this.#synced;
  }

  read(): ReadAnnotation[] {
    return this.#layer.readAnnotations();
  }

  subscribe(listener: () => void): () => void {
    const unsubscribe = this.#layer.subscribe(listener);
    const onSync = (): void => listener();
    this.#provider.on('sync', onSync);
    return () => {
      unsubscribe();
      this.#provider.off('sync', onSync);
    };
  }

  destroy(): void {
    this.#layer.destroy();
    this.#provider.destroy();
    this.#ydoc.destroy();
  }
}
