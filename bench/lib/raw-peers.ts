import { WebSocket } from 'ws';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { ANNOTATION_DOC_MAPS, annotationsMap } from '../../schema/annotations/layout.ts';
import type { Anchor } from '../../schema/annotations/model.ts';
import { stampOf } from './annotation-stamps.ts';
import { createStampedAnnotation, storedCoversReplica } from './peer-writes.ts';
import type { LatencyHistogram } from './latency-histogram.ts';
import type { BenchIdentity } from './room-sessions.ts';
import { sharedClockMs } from './shared-clock.ts';
import { awarenessFrame, readFrame, syncStep1Frame, syncStep2Frame, updateFrame } from './y-protocol-frames.ts';

/** The origin of updates a raw peer applies from the server (never sent back). */
const REMOTE = Symbol('remote');

/** The URL of a document for an identity: Apparatus takes the session token and acks; the reference ignores both. */
export function documentUrl(wsBase: string, room: string, kind: 'text' | 'annotations', identity: BenchIdentity, acks: boolean): string {
  const query = new URLSearchParams();
  if (identity.token) query.set('token', identity.token);
  if (acks) query.set('acks', '1');
  const search = query.size > 0 ? `?${query}` : '';
  return `${wsBase}/${room}/${kind}${search}`;
}

/**
 * The annotations a (not yet applied) update creates, each with the creation stamp of its own
 * note: the server relays a burst of updates as one merged update, so one update may create
 * several annotations (the note's item names its annotation's map item as its parent).
 */
export function creationsIn(update: Uint8Array): Array<{ id: string; stamp: number | null }> {
  const key = (id: Y.ID): string => `${id.client}:${id.clock}`;
  const annotationOfItem = new Map<string, string>();
  const stampOfItem = new Map<string, number | null>();
  for (const struct of Y.decodeUpdate(update).structs) {
    if (!(struct instanceof Y.Item)) continue;
    // In a decoded (not integrated) update, a root-level item's parent is the root's name and a
    // nested item's parent is the ID of its parent's item.
    const parent = struct.parent as unknown;
    if (parent === ANNOTATION_DOC_MAPS.annotations && typeof struct.parentSub === 'string') annotationOfItem.set(key(struct.id), struct.parentSub);
    else if (struct.parentSub === 'note' && parent instanceof Y.ID) stampOfItem.set(key(parent), stampOf((struct.content as Y.ContentAny).arr[0]));
  }
  return [...annotationOfItem].map(([item, id]) => ({ id, stamp: stampOfItem.get(item) ?? null }));
}

/** One copy of each distinct update received, by content (see `sharedCopy`). */
const receivedCopies = new Map<string, Uint8Array>();

/**
 * The one copy of `update` this process keeps: the server sends the same bytes to every client,
 * and keeping a copy per client (200 clients × 200 updates a second) grew the load generator by
 * ~30 MiB a second, whose garbage collections then held up the arrivals it stamps (pauses of
 * 100–160 ms, loop delays over 400 ms) and inflated both servers' tail latencies alike.
 */
function sharedCopy(update: Uint8Array): Uint8Array {
  const key = Buffer.from(update.buffer, update.byteOffset, update.byteLength).toString('latin1');
  let copy = receivedCopies.get(key);
  if (!copy) receivedCopies.set(key, (copy = update.slice()));
  return copy;
}

/**
 * A client speaking the raw y-websocket protocol over `ws` (the crowd of a fanout run). It
 * stamps the arrival of every frame on the shared clock and defers all decoding, so that one
 * load-generator process can stand in for many clients without its own work queueing in front
 * of the arrivals it records.
 */
abstract class RawPeer {
  readonly identity: BenchIdentity;
  readonly deniedReasons: string[] = [];
  lastArrival = 0;
  protected readonly socket: WebSocket;
  #synced: Promise<void>;

  constructor(url: string, identity: BenchIdentity) {
    this.identity = identity;
    this.socket = new WebSocket(url, { perMessageDeflate: false });
    this.socket.binaryType = 'nodebuffer';
    this.#synced = new Promise((resolve, reject) => {
      this.socket.once('error', reject);
      this.socket.once('close', (code, reason) => reject(new Error(`closed ${code} ${reason.toString()} before syncing: ${url}`)));
      this.socket.once('open', () => this.send(this.greeting()));
      this.onSynced = resolve;
    });
    this.socket.on('message', (data: Buffer) => this.#receive(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)));
  }

  protected onSynced: () => void = () => {};

  /** Resolves once the server's sync step 2 arrived. */
  synced(): Promise<void> {
    return this.#synced;
  }

  send(frame: Uint8Array): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(frame);
  }

  close(): void {
    this.socket.removeAllListeners('close');
    this.socket.on('error', () => {});
    this.socket.close();
  }

  #receive(bytes: Uint8Array): void {
    const at = sharedClockMs();
    this.lastArrival = at;
    const frame = readFrame(bytes);
    if (frame.kind === 'denied') this.deniedReasons.push(frame.reason);
    else this.handle(frame, at);
  }

  /** The first message sent once the socket opens (sync step 1). */
  protected abstract greeting(): Uint8Array;
  protected abstract handle(frame: ReturnType<typeof readFrame>, at: number): void;
}

/**
 * A raw client holding a replica of one document: it syncs at connect and keeps later updates
 * unapplied (with their arrival times) until `applyReceived`.
 */
export class RawDocumentPeer extends RawPeer {
  readonly ydoc = new Y.Doc();
  /** Arrival times (shared clock) and updates received after the sync, in arrival order. */
  protected readonly receivedAt: number[] = [];
  protected readonly receivedUpdates: Uint8Array[] = [];
  storedStateVector: Uint8Array | null = null;
  /** Whether the sync step 2 has arrived (what came before it was the room's state). */
  #initialized = false;

  constructor(url: string, identity: BenchIdentity) {
    super(url, identity);
    this.ydoc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== REMOTE) this.send(updateFrame(update));
    });
  }

  protected greeting(): Uint8Array {
    return syncStep1Frame(this.ydoc);
  }

  protected handle(frame: ReturnType<typeof readFrame>, at: number): void {
    if (frame.kind === 'step1') this.send(syncStep2Frame(this.ydoc, frame.stateVector));
    else if (frame.kind === 'step2') {
      Y.applyUpdate(this.ydoc, frame.update, REMOTE);
      this.#initialized = true;
      this.onSynced();
    } else if (frame.kind === 'update') {
      // A large room's state comes as updates before the step 2 (docs/websocket-protocol.md): part
      // of the sync, applied at once, as a stock provider does; later ones are arrivals to measure.
      if (this.#initialized) {
        this.receivedAt.push(at);
        this.receivedUpdates.push(sharedCopy(frame.update));
      }
      else Y.applyUpdate(this.ydoc, frame.update, REMOTE);
    } else if (frame.kind === 'stored') this.storedStateVector = frame.stateVector;
  }

  /** Applies everything received, in arrival order, so the replica can be compared with the server's. */
  applyReceived(): void {
    for (const update of this.receivedUpdates) Y.applyUpdate(this.ydoc, update, REMOTE);
    this.receivedAt.length = 0;
    this.receivedUpdates.length = 0;
  }
}

/** A crowd client of `<room>/annotations`: creates annotations through the schema's operations. */
export class RawAnnotationPeer extends RawDocumentPeer {
  /** Creates one stamped annotation as this client's user; returns its id, or null if invalid. */
  create(anchor: Anchor, sequence: number): string | null {
    return createStampedAnnotation(this.ydoc, this.identity, anchor, sequence);
  }

  /** Whether the server acknowledged everything this client wrote as stored. */
  acknowledged(): boolean {
    return storedCoversReplica(this.storedStateVector, this.ydoc);
  }

  /** Records arrival − creation for every annotation received, and returns the ids received. */
  measure(latencies: LatencyHistogram): Set<string> {
    const ids = new Set<string>();
    for (const [index, update] of this.receivedUpdates.entries()) {
      const at = this.receivedAt[index]!;
      for (const { id, stamp } of creationsIn(update)) {
        if (stamp !== null && !annotationsMap(this.ydoc).has(id) && !ids.has(id)) latencies.record(at - stamp);
        ids.add(id);
      }
    }
    for (const id of annotationsMap(this.ydoc).keys()) ids.add(id);
    return ids;
  }
}

/** Send times of presence states by `clientId:clock`, and each presence client's last clock. */
export class PresenceLedger {
  readonly sentAt = new Map<string, number>();
  readonly finalClock = new Map<number, number>();
}

/** A crowd client's presence: awareness on `<room>/text`, where the browser keeps cursors. */
export class RawPresencePeer extends RawPeer {
  readonly clientId: number;
  /** The last clock received from each other client. */
  readonly lastClockSeen = new Map<number, number>();
  #clock = 0;
  readonly #ledger: PresenceLedger;
  readonly #latencies: LatencyHistogram;

  constructor(url: string, identity: BenchIdentity, clientId: number, ledger: PresenceLedger, latencies: LatencyHistogram) {
    super(url, identity);
    this.clientId = clientId;
    this.#ledger = ledger;
    this.#latencies = latencies;
  }

  protected greeting(): Uint8Array {
    // An empty state vector: the server answers with the whole chapter, as for a browser.
    return syncStep1Frame(new Y.Doc());
  }

  protected handle(frame: ReturnType<typeof readFrame>, at: number): void {
    if (frame.kind === 'step1') this.send(syncStep2Frame(new Y.Doc(), frame.stateVector));
    else if (frame.kind === 'step2') this.onSynced();
    else if (frame.kind === 'awareness') this.#measure(frame.update, at);
  }

  /** Reads the (client, clock) of each entry without decoding the JSON state: arrival is all that counts. */
  #measure(update: Uint8Array, at: number): void {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      decoding.readVarUint8Array(decoder);
      if (clientId === this.clientId) continue;
      const sent = this.#ledger.sentAt.get(`${clientId}:${clock}`);
      if (sent !== undefined) this.#latencies.record(at - sent);
      if (clock > (this.lastClockSeen.get(clientId) ?? -1)) this.lastClockSeen.set(clientId, clock);
    }
  }

  /** Sends the cursor as a new awareness state, recording its send time in the ledger. */
  tick(cursor: { anchor: unknown; head: unknown }): void {
    this.#clock++;
    const state = { user: { userId: this.identity.userId, name: this.identity.name, color: '#30bced' }, cursor };
    this.#ledger.sentAt.set(`${this.clientId}:${this.#clock}`, sharedClockMs());
    this.#ledger.finalClock.set(this.clientId, this.#clock);
    this.send(awarenessFrame(this.clientId, this.#clock, state));
  }
}
