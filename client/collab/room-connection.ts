import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { IndexeddbPersistence, clearDocument } from 'y-indexeddb';
import * as decoding from 'lib0/decoding';
import { applyServerStateQuietly, restoreQuietly } from './quiet-state-sync.ts';
import { restoredPending, SaveTracker } from './save-tracker.ts';
import type { StoredPendingList } from './save-tracker.ts';
import { COLLAB_CLOSE, MESSAGE_NOTICE, MESSAGE_SYNC, MESSAGE_QUERY_AWARENESS, readNoticeMessage, ROUND_CHANGED_CLOSE, TEXT_FRAGMENT_NAME } from '../../schema/index.ts';
import type { DocKind } from '../../schema/index.ts';
import { receiveOnly } from './read-only-link.ts';
import { followServerSlot } from './presence.ts';
import { accessEndedMessage } from './access-ended.ts';
import { decodeStoredMessage, STORED_MESSAGE_TYPE, PERMISSION_MESSAGE_TYPE } from './stored-message.ts';

/** The state of one document's connection to the server. */
export type LinkStatus = 'connecting' | 'connected' | 'offline' | 'refused';

/** What the status bar shows: connection, sync and the number of unsaved local changes. */
export interface ConnectionSnapshot {
  text: LinkStatus;
  annotations: LinkStatus;
  /** Both documents have received the server's state at least once on this page. */
  synced: boolean;
  /** Local changes (in either document) the server has not yet confirmed as stored. */
  pending: number;
  /** Whether the server has confirmed storage at least once (it supports acknowledgements). */
  acknowledged: boolean;
  /**
   * The server refused one of this user's annotation changes and some are still unconfirmed:
   * Yjs sends one client's changes in sequence, so those after the refused one wait behind it
   * until the user recovers (see refusal-recovery.ts).
   */
  blockedByRefusal: boolean;
}

/** A message the user should read: a refused write, a closed session. */
export interface ConnectionNotice {
  level: 'info' | 'warning' | 'error';
  message: string;
}

/** The server refused an update of one document, saying why. */
export interface ChangeRefusal {
  doc: DocKind;
  reason: string;
}

/** How to reach the server and where to cache the room locally. */
export interface RoomConnectionOptions {
  room: string;
  /** The room's creation id; local caches are keyed by it (see RoomMember.roomUid). */
  roomUid: string | null;
  /** The session's user; local caches are keyed by it as well. */
  userId: string;
  /** Base of the collaboration endpoint, e.g. `ws://127.0.0.1:8080/collab`. */
  collabUrl: string;
  /**
   * Which documents this user's role may change. A document it may not change is only
   * received (read-only-link.ts): nothing of it is ever sent to the server.
   */
  writable: Record<DocKind, boolean>;
  onNotice: (notice: ConnectionNotice) => void;
  /**
   * Called when the server refuses an update of the annotation document (the refused change
   * and everything sent after it stay unsaved until recovered: see refusal-recovery.ts).
   * Without it, such refusals are shown as notices like those of the text document.
   */
  onAnnotationsRefused?: (refusal: ChangeRefusal) => void;
  /**
   * The roomname of the annotation document when it is not `<room>/annotations`: during a blind
   * round, the user's own layer (`<room>/rounds/<id>/<user>`, docs/seminar-view.md). Cached locally
   * apart from the shared layer.
   */
  annotationsPath?: string | null;
  /** Called instead of a notice when the server closes a socket because a blind round changed (4409). */
  onRoundChanged?: () => void;
}

interface DocLink {
  name: DocKind;
  ydoc: Y.Doc;
  provider: WebsocketProvider;
  tracker: SaveTracker;
  cache: IndexeddbPersistence | null;
  status: LinkStatus;
  synced: boolean;
  /** The server's state is arriving in pieces: a piece came, the sync step 2 ending it has not. */
  receivingState: boolean;
}

/** y-protocols' sync update: a change, or a piece of a large state sent ahead of the step 2. */
const SYNC_UPDATE = 2;

const PENDING_KEY = 'apparatus-pending';
/** A y-protocols query-awareness message: just its type. */
const QUERY_AWARENESS = new Uint8Array([MESSAGE_QUERY_AWARENESS]);

/**
 * The IndexedDB database name for one user's copy of one document of one incarnation of a
 * room. Keyed by user too: two people sharing a browser profile (a seminar-room computer, a
 * second invite link) must never pick up each other's unsent changes, which the server would
 * refuse under the other's session.
 */
export function localCacheName(room: string, roomUid: string, userId: string, doc: DocKind, layer: string | null = null): string {
  // A blind round's layer (`<room>/rounds/<id>/<user>`) is cached apart from the shared layer it stands in for.
  const suffix = layer ? `@${layer.slice(room.length + 1)}` : '';
  return `apparatus/${room}/${roomUid}/${encodeURIComponent(userId)}/${doc}${suffix}`;
}

/**
 * Deletes one user's local cache of one room document (after its work was recovered onto the
 * server), or of their layer of a blind round. Close the RoomConnection using it first: the
 * deletion waits for open connections.
 */
export async function dropLocalCache(room: string, roomUid: string, userId: string, doc: DocKind, layer: string | null = null): Promise<void> {
  await clearDocument(localCacheName(room, roomUid, userId, doc, layer));
}

/** Explains a close code (and reason) the server uses to refuse a session. */
function refusalMessage(code: number, reason: string): string {
  if (code === COLLAB_CLOSE.unauthorized) return accessEndedMessage(reason) ?? 'You were signed out, or the server did not recognise your session. Sign in again, or open your invite link again.';
  if (code === COLLAB_CLOSE.forbidden) return 'You no longer have access to this chapter, or your role in it changed (reload the page to see which).';
  if (code === COLLAB_CLOSE.loadFailed) return 'The server could not read this room’s saved state, so it refused to open it rather than risk writing over it. Its operator has been told; try again later.';
  return `The server closed the connection (code ${code}).`;
}

/**
 * The two live documents of a room (chapter text and annotations), each synced with the
 * server by a stock y-websocket provider, cached in IndexedDB so unsaved work survives a
 * reload, and watched by a SaveTracker that turns the server's "stored" acknowledgements
 * into an honest saved / pending count.
 */
export class RoomConnection {
  readonly text: DocLink;
  readonly annotations: DocLink;
  private acknowledged = false;
  private refusedChange = false;
  private readonly listeners = new Set<(snapshot: ConnectionSnapshot) => void>();
  private readonly onOnline = (): void => this.forEachLink((link) => link.provider.connect());
  private readonly onOffline = (): void => this.forEachLink((link) => link.provider.disconnect());

  private constructor(
    private readonly options: RoomConnectionOptions,
    text: DocLink,
    annotations: DocLink,
  ) {
    this.text = text;
    this.annotations = annotations;
  }

  /**
   * Opens both documents: loads the local cache first (so an offline reload still shows the
   * chapter and the unsaved annotations), then connects to the server.
   */
  static async open(options: RoomConnectionOptions): Promise<RoomConnection> {
    const [text, annotations] = await Promise.all([openLink(options, 'text'), openLink(options, 'annotations')]);
    const connection = new RoomConnection(options, text, annotations);
    connection.wire();
    return connection;
  }

  /** The awareness (presence) channel; it rides on the text document, where cursors live. */
  get awareness(): WebsocketProvider['awareness'] {
    return this.text.provider.awareness;
  }

  /** The current connection, sync and save state. */
  snapshot(): ConnectionSnapshot {
    return {
      text: this.text.status,
      annotations: this.annotations.status,
      synced: this.text.synced && this.annotations.synced,
      pending: this.text.tracker.pendingCount + this.annotations.tracker.pendingCount,
      acknowledged: this.acknowledged,
      blockedByRefusal: this.refusedChange && this.annotations.tracker.pendingCount > 0,
    };
  }

  /** Registers a listener for connection and save-state changes; returns an unsubscribe function. */
  subscribe(listener: (snapshot: ConnectionSnapshot) => void): () => void {
    this.listeners.add(listener);
    listener(this.snapshot());
    return () => this.listeners.delete(listener);
  }

  /** Resolves once both documents hold the server's state (or the local cache's, when offline). */
  whenTextReady(): Promise<void> {
    if (this.text.synced || this.text.ydoc.getXmlFragment(TEXT_FRAGMENT_NAME).length > 0) return Promise.resolve();
    return new Promise((resolve) => {
      const check = (): void => {
        if (this.text.synced || this.text.ydoc.getXmlFragment(TEXT_FRAGMENT_NAME).length > 0) {
          this.text.ydoc.off('update', check);
          this.text.provider.off('sync', check);
          resolve();
        }
      };
      this.text.ydoc.on('update', check);
      this.text.provider.on('sync', check);
    });
  }

  /** Resolves once the annotation document holds the server's state (or, offline, the cached one). */
  whenAnnotationsReady(): Promise<void> {
    const ready = (): boolean => this.annotations.synced || (this.annotations.status === 'offline' && this.annotations.cache !== null);
    if (ready()) return Promise.resolve();
    return new Promise((resolve) => {
      const unsubscribe = this.subscribe(() => {
        if (!ready()) return;
        unsubscribe();
        resolve();
      });
    });
  }

  /**
   * Whether the server's annotation state is arriving in pieces right now (a large room:
   * server/collab/state-chunks.ts): pieces came, the sync step 2 that ends them has not, and the
   * socket is open. Listeners are told when this ends (sync, or the socket closing).
   */
  receivingAnnotationState(): boolean {
    return this.annotations.receivingState;
  }

  /**
   * The Yjs client ids under which this browser made annotation changes the server has not
   * yet confirmed as stored (kept across reloads): whose unsaved work is this user's own.
   */
  unsavedAnnotationClients(): Set<number> {
    return new Set(this.annotations.tracker.snapshot().map((change) => change.client));
  }

  /** Disconnects and releases both documents. */
  destroy(): void {
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    this.forEachLink((link) => {
      link.tracker.destroy();
      link.provider.destroy();
      void link.cache?.destroy();
      link.ydoc.destroy();
    });
    this.listeners.clear();
  }

  private forEachLink(fn: (link: DocLink) => void): void {
    fn(this.text);
    fn(this.annotations);
  }

  private wire(): void {
    this.forEachLink((link) => this.wireLink(link));
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
    // Presence belongs to the text document; the annotation link carries none.
    this.annotations.provider.awareness.setLocalState(null);
    followServerSlot(this.text.provider);
    if (navigator.onLine) this.forEachLink((link) => link.provider.connect());
    else this.forEachLink((link) => (link.status = 'offline'));
    this.emit();
  }

  private wireLink(link: DocLink): void {
    const { provider, tracker } = link;
    if (link.name === 'annotations') followStatePieces(link);
    provider.messageHandlers[STORED_MESSAGE_TYPE] = (_encoder, decoder) => {
      const stored = decodeStoredMessage(decoder);
      if (!stored.ok) return this.options.onNotice({ level: 'warning', message: stored.error });
      this.acknowledged = true;
      tracker.acknowledge(stored.value);
      this.emit();
    };
    // A notice for everyone in the room (e.g. its saved state is damaged and it is read-only).
    provider.messageHandlers[MESSAGE_NOTICE] = (_encoder, decoder) => {
      try {
        const notice = readNoticeMessage(decoder);
        this.options.onNotice({ level: notice.level, message: notice.message });
      } catch {
        this.options.onNotice({ level: 'warning', message: 'The server sent a notice that could not be read.' });
      }
    };
    provider.messageHandlers[PERMISSION_MESSAGE_TYPE] = (_encoder, decoder) => {
      const reason = readDenialReason(decoder);
      if (link.name === 'annotations') {
        this.refusedChange = true;
        this.emit();
      }
      const onRefused = this.options.onAnnotationsRefused;
      if (link.name === 'annotations' && onRefused) onRefused({ doc: link.name, reason });
      else this.options.onNotice({ level: 'warning', message: permissionDeniedMessage(link.name, reason) });
    };
    provider.on('status', ({ status }) => {
      link.status = status === 'connected' ? 'connected' : navigator.onLine ? 'connecting' : 'offline';
      if (status !== 'connected') link.receivingState = false;
      tracker.setConnected(status === 'connected');
      if (status === 'connected' && link.name === 'text') this.refreshPresence(provider);
      this.emit();
    });
    provider.on('sync', (synced: boolean) => {
      link.synced ||= synced;
      if (synced) link.receivingState = false;
      this.emit();
    });
    provider.on('closed', ({ code, reason }) => {
      link.status = 'refused';
      link.receivingState = false;
      if (code === ROUND_CHANGED_CLOSE && this.options.onRoundChanged) {
        this.emit();
        return this.options.onRoundChanged();
      }
      this.options.onNotice({ level: 'error', message: refusalMessage(code, reason) });
      this.emit();
    });
    tracker.subscribe(() => {
      void link.cache?.set(PENDING_KEY, JSON.stringify(tracker.snapshot()));
      this.emit();
    });
  }

  /**
   * Asks the server who is here (it does not push that to a new connection). y-websocket
   * dropped everyone on disconnect and bumped their clocks, which would make the server's
   * answer look stale until each peer's next renewal; forget those clocks first.
   */
  private refreshPresence(provider: WebsocketProvider): void {
    const awareness = provider.awareness;
    for (const clientId of [...awareness.meta.keys()]) {
      if (clientId !== awareness.clientID && !awareness.states.has(clientId)) awareness.meta.delete(clientId);
    }
    provider.ws?.send(QUERY_AWARENESS);
  }

  private emit(): void {
    const snapshot = this.snapshot();
    for (const listener of this.listeners) listener(snapshot);
  }
}

/** Reads the reason of a y-protocols permission-denied message (empty when it has none). */
export function readDenialReason(decoder: decoding.Decoder): string {
  try {
    // auth message: varUint subtype (0 = permission denied), then a reason string.
    return decoding.readVarUint(decoder) === 0 ? decoding.readVarString(decoder) : '';
  } catch {
    return '';
  }
}

/** Words a refusal for the user. */
function permissionDeniedMessage(doc: DocKind, reason: string): string {
  const what = doc === 'text' ? 'change the chapter text' : 'make that change to the annotations';
  return `Your role does not allow you to ${what}; the server kept the room as it was.${reason ? ` (${reason})` : ''}`;
}

/** Creates one document, restores it from the local cache, and prepares (but does not start) its provider. */
async function openLink(options: RoomConnectionOptions, name: DocKind): Promise<DocLink> {
  const ydoc = new Y.Doc();
  const layer = name === 'annotations' && options.annotationsPath ? options.annotationsPath : null;
  const cacheName = localCacheName(options.room, options.roomUid ?? '', options.userId, name, layer);
  const cache = options.roomUid ? new IndexeddbPersistence(cacheName, ydoc) : null;
  const restored = cache ? await restorePending(cache) : [];
  const tracker = new SaveTracker(ydoc, restored);
  const provider = new WebsocketProvider(options.collabUrl, layer ?? `${options.room}/${name}`, ydoc, {
    connect: false,
    params: { acks: '1' },
    // The server is the only authority on what is stored; tabs do not sync behind its back.
    disableBc: true,
  });
  // The annotation document can be megabytes: applied without encoding it again for listeners.
  if (name === 'annotations') applyServerStateQuietly(provider, cache);
  if (!options.writable[name]) receiveOnly(provider);
  return { name, ydoc, provider, tracker, cache, status: 'connecting', synced: false, receivingState: false };
}

/**
 * Notes when a sync update arrives before the provider has synced: the server sends a large
 * state as sync updates of at most 1 MiB and then a sync step 2 with the rest, and the page
 * draws once that step 2 is in rather than after every piece (see AnnotationLayer's
 * `drawingHeld`). The provider clears `synced` when its socket closes, so a reconnection's
 * pieces are noted again.
 */
function followStatePieces(link: DocLink): void {
  const handleSync = link.provider.messageHandlers[MESSAGE_SYNC];
  if (!handleSync) throw new RangeError('the provider has no sync message handler');
  link.provider.messageHandlers[MESSAGE_SYNC] = (encoder, decoder, provider, emitSynced, messageType) => {
    if (!provider.synced && decoding.readVarUint(decoding.clone(decoder)) === SYNC_UPDATE) link.receivingState = true;
    return handleSync(encoder, decoder, provider, emitSynced, messageType);
  };
}

async function restorePending(cache: IndexeddbPersistence): Promise<ReturnType<typeof restoredPending>> {
  await restoreQuietly(cache);
  const stored: StoredPendingList = await cache.get(PENDING_KEY).then(
    (value: unknown) => ({ readable: true as const, value }),
    () => ({ readable: false as const }),
  );
  return restoredPending(stored, cache.doc);
}
