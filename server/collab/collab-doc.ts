import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as random from 'lib0/random';
import * as Y from 'yjs';
import { stateAsUpdateChunks } from './state-chunks.ts';
import { COLLAB_CLOSE, encodeNoticeMessage, encodeStoredMessage, isEmptyStateVector, MESSAGE_AWARENESS, MESSAGE_SYNC } from '../../schema/index.ts';
import type { DocKind } from '../../schema/index.ts';

/** What a document needs from one of its connections. */
export interface DocPeer {
  readonly id: number;
  /** Whether the peer asked for MESSAGE_STORED acknowledgements (`acks=1`). */
  readonly wantsAcks: boolean;
  /** Awareness client ids this peer has announced; removed when it leaves. */
  readonly awarenessClients: Set<number>;
  send(message: Uint8Array): void;
  close(code: number, reason: string): void;
}

/** The typed origin of transactions applied to a live document (`stored-elsewhere`: stored by another server process). */
export type CollabOrigin = { kind: 'client'; peerId: number } | { kind: 'server' } | { kind: 'stored-elsewhere' };

/** The origin of presence changes relayed from other server processes (never relayed back to them). */
export const REMOTE_AWARENESS_ORIGIN = { kind: 'stored-elsewhere' } as const;

/** Lifecycle of a live document: loading from the store, serving, refused, or unloaded. */
export type DocState = 'loading' | 'ready' | 'failed' | 'unloaded';

/** Encodes a sync update message carrying `update`. */
function syncUpdateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

/**
 * Awareness relays of one document are batched: a change goes out at once when none went out
 * in the last AWARENESS_BATCH_MS, otherwise with every other change of the window in one message
 * at its end. 200 readers moving their cursors twice a second are then ≤ 20 messages a second to
 * each peer instead of 400 (each with its own send to all 200).
 */
const AWARENESS_BATCH_MS = 50;

/** Encodes a sync step 2 message carrying `update`. */
function syncStep2Message(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** Encodes an awareness message for the given clients' states. */
function awarenessMessage(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
  return encoding.toUint8Array(encoder);
}

/**
 * One live Yjs document of a room (`<room>/text` or `<room>/annotations`) and its connections.
 * It holds only what is stored, plus — while the store is failing — updates applied but not yet
 * stored (counted in `appliedUnstoredCount`, which withholds acknowledgements).
 */
export class CollabDoc {
  readonly room: string;
  readonly kind: DocKind;
  readonly name: string;
  readonly peers = new Set<DocPeer>();
  /** Updates accepted for this document and not yet committed. Unloading waits for zero. */
  unstoredCount = 0;
  /** Of those, how many are already applied and relayed (store failing). */
  appliedUnstoredCount = 0;
  /** Updates in the stored log after the snapshot; compaction resets it. */
  logLength = 0;
  /**
   * The log seq through which the live document holds every stored entry (its own and other
   * server processes'): what a compaction may fold, and where catching up starts
   * (doc-sequence.ts). Set on load.
   */
  storedSeq = 0;
  /**
   * Appends of updates already applied here that are on their way to the store. While any is,
   * nothing is answered from the live document (`whenStored`): it holds what is not stored yet.
   */
  storing = 0;
  /**
   * Called with each batch of presence changes this process's peers made (the other processes
   * relay them to theirs: docs/several-servers.md); null with one process.
   */
  awarenessOut: ((update: Uint8Array) => void) | null = null;
  /** Bytes of those updates, and of the stored snapshot: when to compact (DocRegistry). */
  logBytes = 0;
  snapshotBytes = 0;
  unloadTimer: NodeJS.Timeout | null = null;
  /** False when the loaded state had unresolved dependencies: its log is then never compacted. */
  compactable = true;
  /**
   * Why nothing may change this document, when its stored state is damaged (issue 14, P5): every
   * update is refused with this reason, and peers that take notices are told on arrival.
   */
  readOnlyReason: string | null = null;
  /** What people in a read-only room are told on arrival (MESSAGE_NOTICE), when it is. */
  readOnlyNotice: string | null = null;
  /**
   * Who writes under each Yjs client id (issue 14, P2): loaded with the document from the store,
   * and claimed by the first user whose accepted update uses an id. Stored with that update.
   */
  clientOwners = new Map<number, string>();
  #state: DocState = 'loading';
  #ydoc: Y.Doc | null = null;
  #awareness: awarenessProtocol.Awareness | null = null;
  /**
   * The sync step 2 for a fresh replica (everything), kept until the document changes: a class
   * joining at once costs one encoding, not one per reader (~25 ms for 2,000 annotations).
   */
  #fullStateStep2: Uint8Array | null = null;
  /**
   * While loading, when the store holds one intact snapshot: its sync step 2, which answers a
   * fresh replica before the server has decoded it (see DocRegistry, "stored state").
   */
  #storedStateStep2: Uint8Array | null = null;
  /** The state vector the document had when it became ready (what the stored state holds). */
  #loadedVector: Uint8Array | null = null;
  /** The state vector last known to be durably stored: what MESSAGE_STORED may claim. */
  #storedVector: Uint8Array | null = null;
  /**
   * Per client, the clock after the last update accepted for this document but not yet applied
   * (the commit queue applies at the end of the event-loop turn): what later updates of the same
   * turn may build on.
   */
  readonly #acceptedClocks = new Map<number, number>();
  readonly #awarenessChanged = new Set<number>();
  /** Of those, the clients whose change came from this process (not relayed from another). */
  readonly #awarenessChangedHere = new Set<number>();
  /** Answers waiting for the appends of `storing` to end. */
  #afterStoring: Array<() => void> = [];
  #awarenessTimer: NodeJS.Timeout | null = null;
  #lastAwarenessRelay = -Infinity;

  /** `name` defaults to `<room>/<kind>`; a blind round's layer is an annotation document with a name of its own. */
  constructor(room: string, kind: DocKind, name = `${room}/${kind}`) {
    this.room = room;
    this.kind = kind;
    this.name = name;
  }

  get state(): DocState {
    return this.#state;
  }

  /** The live document; only valid once the state is `ready`. */
  get ydoc(): Y.Doc {
    if (!this.#ydoc) throw new RangeError(`document ${this.name} is ${this.#state}, not ready`);
    return this.#ydoc;
  }

  /** The server's awareness instance for this document; only valid once ready. */
  get awareness(): awarenessProtocol.Awareness {
    if (!this.#awareness) throw new RangeError(`document ${this.name} is ${this.#state}, not ready`);
    return this.#awareness;
  }

  /**
   * Installs the loaded document and starts relaying awareness. `storedUpdate`, when the store
   * held a single blob (a snapshot), is that blob: it already is the full state a fresh replica needs.
   */
  becomeReady(ydoc: Y.Doc, logLength: number, storedUpdate: Uint8Array | null = null, clientOwners: Map<number, string> = new Map()): void {
    this.#ydoc = ydoc;
    this.clientOwners = clientOwners;
    this.logLength = logLength;
    this.#storedVector = Y.encodeStateVector(ydoc);
    this.#loadedVector = this.#storedVector;
    this.#fullStateStep2 = storedUpdate ? (this.#storedStateStep2 ?? syncStep2Message(storedUpdate)) : null;
    this.#storedStateStep2 = null;
    const awareness = new awarenessProtocol.Awareness(ydoc);
    // The server is not a participant: it must not announce a presence of its own.
    awareness.setLocalState(null);
    awareness.on('update', this.#relayAwareness);
    this.#awareness = awareness;
    this.#state = 'ready';
  }

  /**
   * While loading: offers the store's snapshot, known intact and the whole stored state, to
   * answer fresh replicas before the decode ends (`storedStateStep2`).
   */
  offerStoredState(snapshot: Uint8Array): void {
    if (this.#state === 'loading') this.#storedStateStep2 = syncStep2Message(snapshot);
  }

  /** While loading: the sync step 2 that gives a fresh replica the whole stored state, or null when none is offered. */
  get storedStateStep2(): Uint8Array | null {
    return this.#state === 'loading' ? this.#storedStateStep2 : null;
  }

  /** The state vector the document had when it became ready; only valid once ready. */
  get loadedStateVector(): Uint8Array {
    if (!this.#loadedVector) throw new RangeError(`document ${this.name} is ${this.#state}, not ready`);
    return this.#loadedVector;
  }

  /** Relays every awareness change to every peer, sender included: a stock client closes a
   *  connection that hears nothing for 30 s, and its own renewals are what it hears when alone. */
  #relayAwareness = (change: { added: number[]; updated: number[]; removed: number[] }, origin: unknown): void => {
    const peer = origin as DocPeer;
    if (this.peers.has(peer)) {
      for (const id of [...change.added, ...change.updated]) peer.awarenessClients.add(id);
      for (const id of change.removed) peer.awarenessClients.delete(id);
    }
    for (const id of [...change.added, ...change.updated, ...change.removed]) {
      this.#awarenessChanged.add(id);
      if (origin !== REMOTE_AWARENESS_ORIGIN) this.#awarenessChangedHere.add(id);
    }
    if (this.#awarenessChanged.size === 0 || this.#awarenessTimer) return;
    const wait = this.#lastAwarenessRelay + AWARENESS_BATCH_MS - performance.now();
    if (wait <= 0) return this.#flushAwareness();
    this.#awarenessTimer = setTimeout(() => this.#flushAwareness(), wait);
  };

  /** Relays the latest state of every client changed since the last relay, in one message. */
  #flushAwareness(): void {
    if (this.#awarenessTimer) clearTimeout(this.#awarenessTimer);
    this.#awarenessTimer = null;
    if (!this.#awareness || this.#awarenessChanged.size === 0) return;
    // Encoded now, so a client that changed twice (or left) in the window is sent as it is now.
    const message = awarenessMessage(this.#awareness, [...this.#awarenessChanged]);
    this.#awarenessChanged.clear();
    if (this.awarenessOut && this.#awarenessChangedHere.size > 0) this.awarenessOut(awarenessProtocol.encodeAwarenessUpdate(this.#awareness, [...this.#awarenessChangedHere]));
    this.#awarenessChangedHere.clear();
    this.#lastAwarenessRelay = performance.now();
    this.broadcast(message);
  }

  /** Sends a newly ready peer the server's sync step 1, the current awareness states, and why the room is read-only if it is. */
  greet(peer: DocPeer): void {
    if (this.readOnlyNotice && peer.wantsAcks) peer.send(encodeNoticeMessage('error', this.readOnlyNotice));
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    syncProtocol.writeSyncStep1(encoder, this.ydoc);
    peer.send(encoding.toUint8Array(encoder));
    const states = [...this.awareness.getStates().keys()];
    if (states.length > 0) peer.send(awarenessMessage(this.awareness, states));
  }

  /**
   * The messages answering a peer's step 1 (everything the peer lacks), made one at a time as
   * they are pulled: one sync step 2 when it fits in `chunkBytes`, else sync updates of at most
   * that size followed by a sync step 2 with the rest (state-chunks.ts), so that a large room
   * reaches a fresh replica within the send-buffer limit and no piece holds the event loop long.
   * A stock provider counts itself synced at the step 2, once it holds everything before it.
   */
  *stateFor(stateVector: Uint8Array, chunkBytes: number): Generator<Uint8Array, void, void> {
    const fresh = isEmptyStateVector(stateVector);
    // The kept whole state (after a load, the stored snapshot itself) goes as it is only if it fits in one piece.
    if (fresh && this.#fullStateStep2 && this.#fullStateStep2.byteLength <= chunkBytes) {
      yield this.#fullStateStep2;
      return;
    }
    let previous: Uint8Array | null = null;
    let pieces = 0;
    for (const chunk of stateAsUpdateChunks(this.ydoc, stateVector, chunkBytes)) {
      if (previous) yield syncUpdateMessage(previous);
      previous = chunk;
      pieces++;
    }
    const last = syncStep2Message(previous!);
    // A whole state made in one piece (nothing changed while it was made) answers the next fresh replica too.
    if (fresh && pieces === 1) this.#fullStateStep2 = last;
    yield last;
  }

  /**
   * Runs `answer` once nothing applied here is on its way to the store (at once, usually): what
   * is sent from the live document must be stored (durable before relay).
   */
  whenStored(answer: () => void): void {
    if (this.storing === 0) return answer();
    this.#afterStoring.push(answer);
  }

  /** An append of `storing` ended (stored or not): answers waiting for none to be on its way go out. */
  storingEnded(): void {
    this.storing = Math.max(0, this.storing - 1);
    if (this.storing > 0 || this.#afterStoring.length === 0) return;
    const answers = this.#afterStoring;
    this.#afterStoring = [];
    for (const answer of answers) if (this.#state === 'ready') answer();
  }

  /**
   * Applies an update another server process stored (or a snapshot of the store, when catching
   * up) and relays it to every peer here. Throws what Yjs throws: the caller reloads the document.
   */
  integrateStoredElsewhere(update: Uint8Array): void {
    this.#fullStateStep2 = null;
    Y.applyUpdate(this.ydoc, update, { kind: 'stored-elsewhere' } satisfies CollabOrigin);
    this.settleAccepted();
    this.relay(update, null);
  }

  /** Applies presence changes relayed from another server process (relayed to the peers here, not back). */
  applyRemoteAwareness(update: Uint8Array): void {
    if (this.#awareness) awarenessProtocol.applyAwarenessUpdate(this.#awareness, update, REMOTE_AWARENESS_ORIGIN);
  }

  /** The presence states of this process's own peers, encoded (another process asked for them on loading the document). */
  localAwareness(): Uint8Array | null {
    if (!this.#awareness) return null;
    const clients = [...this.peers].flatMap((peer) => [...peer.awarenessClients]).filter((client) => this.#awareness!.getStates().has(client));
    return clients.length > 0 ? awarenessProtocol.encodeAwarenessUpdate(this.#awareness, clients) : null;
  }

  /** Returns the awareness message holding every known state (answer to query-awareness). */
  allAwarenessStates(): Uint8Array {
    return awarenessMessage(this.awareness, [...this.awareness.getStates().keys()]);
  }

  /**
   * How many clocks of `client` the document holds once every accepted update is applied: its
   * state, or further when an accepted update not yet applied carries more.
   */
  acceptedClock(client: number): number {
    return Math.max(Y.getState(this.ydoc.store, client), this.#acceptedClocks.get(client) ?? 0);
  }

  /** Records the clocks an accepted update carries (`ranges`: per client, where it ends). */
  accepted(ends: ReadonlyMap<number, number>): void {
    for (const [client, end] of ends) if (end > (this.#acceptedClocks.get(client) ?? 0)) this.#acceptedClocks.set(client, end);
  }

  /**
   * Applies an accepted update to the live document (not yet relayed). Throws what Yjs throws:
   * the caller refuses the update then, and the document may hold part of it (see CommitQueue).
   */
  integrate(update: Uint8Array, sender: DocPeer | null): void {
    const origin: CollabOrigin = sender ? { kind: 'client', peerId: sender.id } : { kind: 'server' };
    this.#fullStateStep2 = null;
    Y.applyUpdate(this.ydoc, update, origin);
  }

  /**
   * Makes a server-side change to the live document (not yet stored or relayed: the caller hands
   * the returned update to the commit queue as integrated), under a Yjs client id of its own that
   * no client has written under. Returns null when `write` changed nothing.
   */
  change(write: (ydoc: Y.Doc) => void, origin: object): Uint8Array | null {
    let update: Uint8Array | null = null;
    const capture = (bytes: Uint8Array, from: unknown) => {
      if (from === origin) update = bytes;
    };
    const clientID = this.ydoc.clientID;
    // A fresh id for each server change: an id the server wrote under before is in the document
    // for anyone to see, and a client claiming it first would make Yjs drop the server's next items.
    this.ydoc.clientID = random.uint32();
    this.ydoc.on('update', capture);
    try {
      this.ydoc.transact(() => write(this.ydoc), origin);
    } finally {
      this.ydoc.off('update', capture);
      this.ydoc.clientID = clientID;
    }
    if (update) this.#fullStateStep2 = null;
    return update;
  }

  /** Forgets accepted clocks the live document now holds (after the commit queue applied its batch). */
  settleAccepted(): void {
    for (const [client, end] of this.#acceptedClocks) if (Y.getState(this.ydoc.store, client) >= end) this.#acceptedClocks.delete(client);
  }

  /** Relays an applied update to every peer but its sender, as received. */
  relay(update: Uint8Array, sender: DocPeer | null): void {
    this.broadcast(syncUpdateMessage(update), sender);
  }

  /**
   * Relays the updates of one stored batch. One update goes as received, to every peer but its
   * sender. Several go as one merged update to every peer (but the sender, when they all have
   * the same one): a burst of k updates in a room of n peers costs n sends instead of k × n,
   * which is what kept the loop busy for hundreds of milliseconds when 200 clients' updates
   * arrived together (a peer that gets its own update back finds nothing new in it, as with the
   * reference server, which echoes every update to its sender).
   */
  relayBatch(entries: ReadonlyArray<{ update: Uint8Array; sender: DocPeer | null }>): void {
    if (entries.length === 0) return;
    if (entries.length === 1) return this.relay(entries[0]!.update, entries[0]!.sender);
    const sender = entries[0]!.sender;
    const oneSender = sender !== null && entries.every((entry) => entry.sender === sender);
    this.broadcast(syncUpdateMessage(Y.mergeUpdates(entries.map((entry) => entry.update))), oneSender ? sender : null);
  }

  /** Sends a message to every peer except `except`. */
  broadcast(message: Uint8Array, except: DocPeer | null = null): void {
    for (const peer of this.peers) if (peer !== except) peer.send(message);
  }

  /**
   * Sends MESSAGE_STORED to those of `peers` that asked for acknowledgements: `storedVector`, the
   * state vector as of a commit now known to be durable (it becomes the document's stored vector),
   * or else the last such vector — never updates applied but not yet durable. Nothing is sent
   * while updates are applied but unstored (the store is failing).
   */
  acknowledge(peers: Iterable<DocPeer>, storedVector?: Uint8Array): void {
    if (this.#state !== 'ready') return;
    if (storedVector) this.#storedVector = storedVector;
    if (this.appliedUnstoredCount > 0) return;
    let message: Uint8Array | null = null;
    for (const peer of peers) {
      if (!peer.wantsAcks || !this.peers.has(peer)) continue;
      message ??= encodeStoredMessage(this.#storedVector ?? Y.encodeStateVector(this.ydoc));
      peer.send(message);
    }
  }

  /** Forgets a peer and removes the awareness states it announced (others are told). */
  removePeer(peer: DocPeer): void {
    this.peers.delete(peer);
    if (this.#awareness && peer.awarenessClients.size > 0) {
      awarenessProtocol.removeAwarenessStates(this.#awareness, [...peer.awarenessClients], null);
    }
  }

  /**
   * Marks the document refused and closes its peers (1011 by default: it could not be loaded);
   * the store is left untouched. A live document is released.
   */
  fail(reason: string, code: number = COLLAB_CLOSE.loadFailed): void {
    this.#state = 'failed';
    this.#storedStateStep2 = null;
    for (const peer of [...this.peers]) peer.close(code, reason);
    this.peers.clear();
    this.#release();
  }

  /** Releases the live document. The caller made sure nothing is pending and no peer is left. */
  unload(): void {
    this.#release();
    this.#state = 'unloaded';
  }

  #release(): void {
    if (this.unloadTimer) clearTimeout(this.unloadTimer);
    this.unloadTimer = null;
    if (this.#awarenessTimer) clearTimeout(this.#awarenessTimer);
    this.#awarenessTimer = null;
    this.#awarenessChanged.clear();
    this.#awarenessChangedHere.clear();
    this.#afterStoring = [];
    this.awarenessOut = null;
    this.#fullStateStep2 = null;
    this.#storedStateStep2 = null;
    this.#awareness?.off('update', this.#relayAwareness);
    this.#awareness?.destroy();
    this.#ydoc?.destroy();
    this.#awareness = null;
    this.#ydoc = null;
  }
}
