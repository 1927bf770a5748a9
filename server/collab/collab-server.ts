import { STATUS_CODES } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { RawData, WebSocket } from 'ws';
import { COLLAB_CLOSE } from '../../schema/index.ts';
import type { IdentityService } from '../auth/identity.ts';
import type { Logger } from '../logger.ts';
import type { StoreHealth } from '../persistence/store-health.ts';
import type { UpdateStore } from '../persistence/update-store.ts';
import { roomOfDocName } from '../rooms/doc-names.ts';
import type * as Y from 'yjs';
import type { DocKind } from '../../schema/index.ts';
import type { DocRelay } from './doc-relay.ts';
import type { RelayMessage } from '../cluster/relay-messages.ts';
import { StoreFollower } from './store-follower.ts';
import { WIRE_DEFLATE } from './wire-compression.ts';
import type { UpdateAuthorizer } from './authorize-update.ts';
import type { CollabDoc } from './collab-doc.ts';
import type { ConnectionGuard } from './connection-guard.ts';
import { CollabConnection } from './collab-connection.ts';
import { CommitQueue } from './commit-queue.ts';
import { LayoutUpgrades } from './layout-upgrades.ts';
import type { BeforeCommitHook } from './commit-queue.ts';
import { DocRegistry } from './doc-registry.ts';
import type { BeforeLoadHook } from './doc-registry.ts';
import { handleCollabFrame } from './message-handler.ts';
import type { CollabContext } from './message-handler.ts';
import { COLLAB_PATH_PREFIX, decideUpgrade } from './upgrade-auth.ts';
import type { AcceptedUpgrade, UpgradeDecision } from './upgrade-auth.ts';

/** Tuning of the collaboration server (from ServerConfig). */
export interface CollabSettings {
  maxPayloadBytes: number;
  idleUnloadMs: number;
  compactThreshold: number;
  storeRetryMs: number;
  storeRetryMaxMs: number;
  /** Interval of WebSocket pings; a socket that missed the previous pong is terminated. */
  heartbeatMs: number;
  /** Bytes queued for a connection that does not read before it is closed (1008); default unlimited. */
  sendBufferLimitBytes?: number;
  /** Whether shutdown folds each loaded annotation room's log into its snapshot; default true. */
  foldLogsOnShutdown?: boolean;
}

/** Test seams at the store boundary (see BeforeLoadHook and BeforeCommitHook), and of the relay. */
export interface StoreHooks {
  beforeLoad?: BeforeLoadHook;
  beforeCommit?: BeforeCommitHook;
  /** Messages from the other server processes this returns true for are lost (docs/several-servers.md). */
  dropRelayed?: (message: RelayMessage) => boolean;
}

/** Everything the collaboration server is built from. */
export interface CollabServerOptions {
  store: UpdateStore;
  identity: IdentityService;
  log: Logger;
  settings: CollabSettings;
  authorizeUpdate: UpdateAuthorizer;
  hooks?: StoreHooks | undefined;
  /** The access-control layer's checks on upgrades, frames and awareness (none without it). */
  guard?: ConnectionGuard | undefined;
  /** Makes appends durable before acknowledgements (WalSync); none when `store` commits durably itself. */
  syncStored?: (() => Promise<void>) | undefined;
  /** Told which documents had changes durably stored (after they were acknowledged): chapter figures. */
  onCommitted?: ((docs: Iterable<CollabDoc>) => void) | undefined;
  /** Where the store's problems are reported (/healthz). */
  health?: StoreHealth | undefined;
  /** Why every upgrade is refused (503): the store is lost, so no room can be served. */
  refuseAll?: string | null | undefined;
  /**
   * Several server processes share the store (PostgreSQL): documents follow what the others
   * store (store-follower.ts), through `relay` when there is one and by polling the head records
   * every `headPollMs` (default 1 s) in any case.
   */
  sharedStore?: boolean | undefined;
  headPollMs?: number | undefined;
  /** The relay to the other server processes (Redis), or none. */
  relay?: DocRelay | null | undefined;
  /** Before a document takes updates: what the access checks read from the store. */
  prepareDoc?: ((doc: CollabDoc) => Promise<void>) | undefined;
  /** Another process stored an update of a room's document (`applied`: and this process applied it to its live copy). */
  storedElsewhere?: ((room: string, kind: DocKind, applied: { ydoc: Y.Doc; update: Uint8Array } | null) => void) | undefined;
}

/** How often a process sharing the store reads the head records of its live documents, to catch what the relay did not bring. */
const HEAD_POLL_MS = 1000;

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * How long at most a loading document that offers its stored state waits, before it decodes, for
 * its peers to ask (a stock client sends its step 1 right after the handshake, unless busy) and
 * for the answers to leave the process: answering before the decode is the point (DocRegistry,
 * "stored state"). The decode of such a room takes longer than this.
 */
const STORED_STATE_WAIT_MS = 50;

/** Returns a frame as a Uint8Array view, whatever shape ws delivered it in. */
function frameBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Answers an upgrade request with an HTTP error instead of a handshake, and closes the socket. */
function refuseHandshake(socket: Duplex, status: number, reason: string): void {
  const text = STATUS_CODES[status] ?? 'Refused';
  const body = JSON.stringify({ error: reason });
  // The headers every response carries (responses.ts): the upgrade URL holds a token, so no referrer.
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\nCache-Control: no-store\r\n\r\n${body}`,
  );
}

/**
 * The y-websocket endpoint: authenticates upgrades, attaches sockets to live documents, and
 * runs the group-commit queue and the heartbeat. One instance per HTTP server.
 */
export class CollabServer {
  readonly registry: DocRegistry;
  readonly queue: CommitQueue;
  readonly #options: CollabServerOptions;
  readonly #wss: WebSocketServer;
  readonly #connections = new Set<CollabConnection>();
  readonly #context: CollabContext;
  readonly #heartbeat: NodeJS.Timeout;
  readonly #follower: StoreFollower;
  readonly #headPoll: NodeJS.Timeout | null;
  /** Converts annotation documents' layout-1 records (schema/README.md, "Layout 2"). */
  readonly #layoutUpgrades: LayoutUpgrades;
  #closing = false;

  constructor(options: CollabServerOptions) {
    this.#options = options;
    const { settings, log, store, hooks, relay } = options;
    this.#wss = new WebSocketServer({ noServer: true, maxPayload: settings.maxPayloadBytes, perMessageDeflate: WIRE_DEFLATE });
    this.#follower = new StoreFollower({
      store,
      log,
      applyFailed: (doc, error) => {
        log.error('collab.apply-failed', { doc: doc.name, error, note: 'an update stored by another server process does not apply here; the document is reloaded from the store' });
        this.registry.reload(doc);
      },
      damaged: (doc, damage) => {
        log.error('store.damaged', { doc: doc.name, damage: damage.join('; '), outcome: 'found catching up; served read-only' });
        this.registry.markDamaged(doc, damage);
      },
      applying: (doc, update) => options.storedElsewhere?.(doc.room, doc.kind, { ydoc: doc.ydoc, update }),
    });
    this.registry = new DocRegistry({
      store,
      log,
      idleUnloadMs: settings.idleUnloadMs,
      compactThreshold: settings.compactThreshold,
      beforeLoad: hooks?.beforeLoad,
      health: options.health,
      beforeRead: relay ? (doc) => relay.join(doc.room) : undefined,
      prepareDoc: options.prepareDoc,
      onReady: (doc) => {
        this.#ready(doc);
        this.#layoutUpgrades.watch(doc);
      },
      onGone: (doc) => this.#gone(doc),
      onStoredState: (doc) => this.#answerFromStoredState(doc),
    });
    this.queue = new CommitQueue({
      store,
      log,
      retryMs: settings.storeRetryMs,
      retryMaxMs: settings.storeRetryMaxMs,
      beforeCommit: hooks?.beforeCommit,
      syncStored: options.syncStored,
      onCommitted: (committed, storedVectors) => {
        this.registry.afterCommit(committed, storedVectors);
        options.onCommitted?.(committed.keys());
      },
      onRecovered: () => {
        this.registry.acknowledgeAll();
        options.health?.clear('append');
      },
      onAppendFailing: (error) => options.health?.raise('append', { kind: 'append-failing', message: `storing updates fails (${errorText(error)}); nothing is acknowledged, retrying` }),
      onSyncFailing: (failing, error) =>
        failing
          ? options.health?.raise('sync', { kind: 'sync-failing', message: `making stored updates durable fails (${errorText(error)}); they are not acknowledged` })
          : options.health?.clear('sync'),
      onApplyFailed: (doc) => this.registry.reload(doc),
      onStored: (stored) => {
        for (const [doc, entries] of stored) {
          this.#follower.storedHere(doc, entries);
          relay?.publishStored(doc.name, entries);
        }
      },
      onRoomGone: (doc) => void this.#evictGone(doc.room),
    });
    this.#layoutUpgrades = new LayoutUpgrades(this.queue, log);
    relay?.listen({
      stored: (docName, entries, lastSeq) => this.#storedElsewhere(docName, entries, lastSeq),
      awareness: (docName, update) => this.#readyDoc(docName)?.applyRemoteAwareness(update),
      awarenessQuery: (docName) => {
        const local = this.#readyDoc(docName)?.localAwareness();
        if (local) relay.publishAwareness(docName, local);
      },
      reconnected: () => {
        for (const doc of this.registry.docs()) {
          if (doc.state !== 'ready') continue;
          void this.#follower.catchUp(doc);
          relay.queryAwareness(doc.name);
        }
      },
    });
    this.#headPoll = options.sharedStore ? setInterval(() => void this.#follower.pollHeads([...this.registry.docs()]), options.headPollMs ?? HEAD_POLL_MS) : null;
    this.#headPoll?.unref();
    const guard = options.guard;
    this.#context = { queue: this.queue, authorizeUpdate: options.authorizeUpdate, log, receiveAwareness: guard ? (c, update) => guard.receiveAwareness(c, update) : undefined };
    this.#heartbeat = setInterval(() => this.#beat(), settings.heartbeatMs);
    this.#heartbeat.unref();
  }

  /** A live document that is ready, by name, or null. */
  #readyDoc(docName: string): CollabDoc | null {
    const doc = this.registry.get(docName);
    return doc?.state === 'ready' ? doc : null;
  }

  /** Another process stored entries of a document: applied in order if it is live here. */
  #storedElsewhere(docName: string, entries: Parameters<StoreFollower['storedElsewhere']>[1], lastSeq: number): void {
    const doc = this.#readyDoc(docName);
    if (doc) return this.#follower.storedElsewhere(doc, entries, lastSeq);
    const room = roomOfDocName(docName);
    if (docName === `${room}/text`) this.#options.storedElsewhere?.(room, 'text', null);
  }

  /**
   * A document finished loading. Sharing the store, it first reads what was stored after its
   * load read (heard meanwhile, but not applied to a document still loading) and asks the others
   * for their peers' presence; then the peers that waited are greeted.
   */
  #ready(doc: CollabDoc): void {
    const relay = this.#options.relay;
    if (relay) {
      doc.awarenessOut = (update) => relay.publishAwareness(doc.name, update);
      relay.queryAwareness(doc.name);
    }
    if (!this.#options.sharedStore) return this.#startWaiting(doc);
    void this.#follower.catchUp(doc).then(() => this.#startWaiting(doc));
  }

  /** A document left memory: stop following it, and stop hearing its room when no document of it is left. */
  #gone(doc: CollabDoc): void {
    this.#follower.forget(doc);
    const relay = this.#options.relay;
    if (!relay) return;
    for (const other of this.registry.docs()) if (other.room === doc.room) return;
    relay.leave(doc.room);
  }

  /**
   * The store refused updates of a room because the room is gone (deleted through another
   * process): its documents leave memory here too, their peers closed (4403) as the deleting
   * process closed its own.
   */
  async #evictGone(room: string): Promise<void> {
    try {
      await this.registry.evictRoom(room, COLLAB_CLOSE.forbidden, 'chapter deleted', async () => true);
    } finally {
      this.registry.endEviction(room);
    }
  }

  /**
   * Takes a room deleted through another server process out of memory here: its peers are closed
   * (4403), what they sent is stored first if it can be (the store refuses it, the room being gone).
   */
  evictDeletedRoom(room: string): Promise<void> {
    return this.#evictGone(room);
  }

  /**
   * Resolves once `docs` hold everything stored of them when called: sharing the store, what
   * other processes stored and this one has not heard of yet is read (a reveal reads the layers
   * others wrote). Alone on the store, at once.
   */
  async caughtUp(docs: readonly CollabDoc[]): Promise<void> {
    if (!this.#options.sharedStore) return;
    await Promise.all(docs.map((doc) => this.#follower.catchUp(doc)));
  }

  /** Every open collaboration connection (the access-control layer closes revoked ones). */
  connections(): ReadonlySet<CollabConnection> {
    return this.#connections;
  }

  /** Whether the path of an upgrade request belongs to this endpoint. */
  handles(request: IncomingMessage): boolean {
    return (request.url ?? '').startsWith(COLLAB_PATH_PREFIX);
  }

  /** Handles an HTTP upgrade to `/collab/…`: refused ones are accepted and closed with 44xx. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', (error) => this.#options.log.warn('collab.upgrade-socket-error', { error }));
    if (this.#closing) {
      socket.destroy();
      return;
    }
    if (this.#options.refuseAll) {
      refuseHandshake(socket, 503, this.#options.refuseAll);
      return;
    }
    const screened = this.#options.guard?.screenUpgrade(request) ?? { ok: true };
    if (!screened.ok) {
      this.#options.log.info('collab.refused', { status: screened.status, reason: screened.reason });
      refuseHandshake(socket, screened.status, screened.reason);
      return;
    }
    void decideUpgrade(request, this.#options.identity).then(
      async (decision) => this.#upgrade(request, socket, head, await this.#vet(decision)),
      (error: unknown) => {
        // The store did not answer (or a bug): the client may try again.
        this.#options.log.error('collab.upgrade-failed', { error });
        refuseHandshake(socket, 503, 'the server cannot check credentials right now; try again');
      },
    );
  }

  /** The guard's decision that reads the store (a blind round's layer), after the credentials'. */
  async #vet(decision: UpgradeDecision): Promise<UpgradeDecision> {
    if (!decision.ok || !this.#options.guard?.vetUpgrade) return decision;
    const refusal = await this.#options.guard.vetUpgrade(decision.value);
    return refusal ? { ok: false, ...refusal } : decision;
  }

  /** Completes the WebSocket handshake of an upgrade whose credentials were decided on. */
  #upgrade(request: IncomingMessage, socket: Duplex, head: Buffer, decision: UpgradeDecision): void {
    if (this.#closing || socket.destroyed) {
      socket.destroy();
      return;
    }
    this.#wss.handleUpgrade(request, socket, head, (ws) => {
      ws.on('error', (error) => this.#options.log.warn('collab.socket-error', { error }));
      const admitted = decision.ok ? (this.#options.guard?.admitConnection(request, decision.value) ?? { ok: true }) : decision;
      if (!admitted.ok) {
        this.#options.log.info('collab.refused', { code: admitted.code, reason: admitted.reason });
        ws.close(admitted.code, admitted.reason);
        return;
      }
      this.#attach(ws, (decision as { value: AcceptedUpgrade }).value, request);
    });
  }

  #attach(ws: WebSocket, accepted: AcceptedUpgrade, request: IncomingMessage): void {
    const doc = this.registry.open(accepted.room, accepted.kind, accepted.docName);
    const connection = new CollabConnection(ws, accepted.session, doc, accepted.wantsAcks, (c, frame) =>
      handleCollabFrame(c, frame, this.#context),
    );
    connection.sendBufferLimit = this.#options.settings.sendBufferLimitBytes ?? Infinity;
    doc.peers.add(connection);
    this.#connections.add(connection);
    const guard = this.#options.guard;
    guard?.attached(connection, request);
    ws.on('message', (data, isBinary) => {
      if (!isBinary) return connection.close(COLLAB_CLOSE.unsupportedData, 'binary frames only');
      try {
        const frame = frameBytes(data);
        if (guard && !guard.admitFrame(connection, frame)) return;
        connection.receive(frame);
      } catch (error) {
        // Bad bytes are caught by the parser; this is a server bug. It costs one connection, not the process.
        this.#options.log.error('collab.handler-failed', { doc: doc.name, user: accepted.session.userId, error });
        connection.close(COLLAB_CLOSE.loadFailed, 'internal error');
      }
    });
    ws.on('pong', () => {
      connection.alive = true;
    });
    ws.on('close', () => {
      guard?.detached(connection);
      this.#connections.delete(connection);
      doc.removePeer(connection);
      this.registry.release(doc);
    });
    // Sharing the store: a peer joining a live document gets everything stored, whatever reached this process.
    if (doc.state === 'ready' && this.#options.sharedStore) void this.#follower.catchUp(doc).then(() => connection.start());
    else if (doc.state === 'ready') connection.start();
    else if (doc.state === 'failed') connection.close(COLLAB_CLOSE.loadFailed, 'room could not be loaded');
  }

  /**
   * Answers the fresh replicas waiting for a loading document from its stored state, giving the
   * peers that have not spoken yet time to ask (each is answered as its step 1 arrives) and the
   * answers time to be written out, within STORED_STATE_WAIT_MS in all.
   */
  async #answerFromStoredState(doc: CollabDoc): Promise<void> {
    const deadline = performance.now() + STORED_STATE_WAIT_MS;
    const waiting = [...this.#connections].filter((connection) => connection.doc === doc);
    for (const connection of waiting) connection.answerFromStoredState();
    let timer: NodeJS.Timeout | undefined;
    const cap = new Promise<void>((resolve) => (timer = setTimeout(resolve, STORED_STATE_WAIT_MS)));
    await Promise.race([Promise.all(waiting.map((connection) => connection.whenSpoken())), cap]);
    clearTimeout(timer);
    // A large answer the socket could not take at once would otherwise wait out the decode.
    const unsent = () => waiting.some((connection) => connection.answeredFromStoredState && connection.open && connection.socket.bufferedAmount > 0);
    while (unsent() && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 1));
  }

  /** Starts the connections that waited for a document to load. */
  #startWaiting(doc: CollabDoc): void {
    for (const connection of this.#connections) if (connection.doc === doc) connection.start();
  }

  /** Terminates sockets that did not answer the previous ping, then pings the rest. */
  #beat(): void {
    for (const connection of this.#connections) {
      if (!connection.alive) {
        connection.socket.terminate();
        continue;
      }
      connection.alive = false;
      connection.socket.ping();
    }
  }

  /**
   * Shuts down: refuse new upgrades, store everything pending (retrying until `deadline`),
   * close every socket with 1001, unload every document. Returns whether everything was stored.
   */
  async shutdown(deadline: number): Promise<boolean> {
    this.#closing = true;
    clearInterval(this.#heartbeat);
    if (this.#headPoll) clearInterval(this.#headPoll);
    const flushed = await this.queue.drain(deadline);
    // Half of what is left at most: the late drain and the sockets' closing need the rest.
    if (flushed && this.#options.settings.foldLogsOnShutdown !== false) await this.registry.foldLogsForShutdown(Date.now() + Math.max(0, deadline - Date.now()) / 2);
    this.registry.closeAll(COLLAB_CLOSE.goingAway, 'server shutting down');
    // Frames that raced the close frames were queued after the drain: store them too.
    const flushedLate = await this.queue.drain(deadline);
    this.queue.stop();
    await this.#waitForSockets(Math.min(1000, Math.max(0, deadline - Date.now())));
    this.#wss.close();
    return flushed && flushedLate;
  }

  /** Waits up to `ms` for closing handshakes, then terminates what is left. */
  async #waitForSockets(ms: number): Promise<void> {
    const until = Date.now() + ms;
    while (this.#wss.clients.size > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    for (const ws of this.#wss.clients) ws.terminate();
  }
}
