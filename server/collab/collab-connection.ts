import { WebSocket } from 'ws';
import { COLLAB_CLOSE } from '../../schema/index.ts';
import type { Session } from '../auth/identity.ts';
import type { CollabDoc, DocPeer } from './collab-doc.ts';
import { isFreshReplicaStep1 } from './message-parser.ts';

/** Handles one decoded-later frame of a connection whose document is ready. */
export type FrameHandler = (connection: CollabConnection, frame: Uint8Array) => void;

/** The largest piece in which a document's state is sent to a replica (CollabDoc.stateFor). */
const STATE_CHUNK_BYTES = 1024 * 1024;

/** Frames a connection may send while its document loads; more closes it (1008). */
export const MAX_FRAMES_WHILE_LOADING = 1000;

// Close reasons are limited to 123 bytes by RFC 6455; ws throws on longer ones.
function shortReason(reason: string): string {
  return Buffer.byteLength(reason) <= 120 ? reason : Buffer.from(reason).subarray(0, 120).toString('utf8').replace(/\uFFFD$/, '');
}

let nextConnectionId = 1;

/**
 * One authenticated WebSocket on one document. Frames that arrive before the document is
 * loaded wait here and are handled, in order, once `start()` runs, so nothing is answered from
 * a half-loaded document.
 */
export class CollabConnection implements DocPeer {
  readonly id = nextConnectionId++;
  readonly socket: WebSocket;
  readonly session: Session;
  readonly doc: CollabDoc;
  readonly wantsAcks: boolean;
  readonly awarenessClients = new Set<number>();
  /** Cleared by the heartbeat before each ping and set again by the pong. */
  alive = true;
  /** Bytes that may wait in the socket's send buffer; a peer that stops reading is closed beyond it. */
  sendBufferLimit = Infinity;
  /**
   * Whether this peer, a fresh replica, was sent the stored state while its document loaded: its
   * step 1 is then answered, once loaded, with what it lacks beyond that state.
   */
  answeredFromStoredState = false;
  readonly #handle: FrameHandler;
  #waiting: Uint8Array[] | null = [];
  #spoken = false;
  #spokenWaiters: Array<() => void> = [];

  constructor(socket: WebSocket, session: Session, doc: CollabDoc, wantsAcks: boolean, handle: FrameHandler) {
    this.socket = socket;
    this.session = session;
    this.doc = doc;
    this.wantsAcks = wantsAcks;
    this.#handle = handle;
  }

  /** Whether the socket can still carry messages. */
  get open(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  /** Sends a binary message if the socket is open; a peer whose unread backlog passes the limit is closed. */
  send(message: Uint8Array): void {
    if (!this.open || !this.#fits(message)) return;
    this.socket.send(message, { binary: true });
  }

  /** Whether a message fits beside the unread backlog; a peer whose backlog would pass the limit is closed. */
  #fits(message: Uint8Array): boolean {
    // A client that never reads would otherwise make the server buffer every relayed update for it.
    if (this.socket.bufferedAmount + message.byteLength <= this.sendBufferLimit) return true;
    this.close(COLLAB_CLOSE.policyViolation, 'not reading: send buffer full');
    // The close frame waits behind the unread backlog; free the backlog soon rather than after ws's 30 s.
    setTimeout(() => this.socket.terminate(), 1000).unref();
    return false;
  }

  /**
   * Sends messages one after another, each once the previous has left for the network (a large
   * state in pieces: CollabDoc.stateFor), pulling each from `messages` only then, and only once
   * nothing applied to the document is on its way to the store (`CollabDoc.whenStored`); the send-buffer
   * limit applies to each as to any message. Other messages may go out in between.
   */
  sendInSequence(messages: Iterator<Uint8Array>): void {
    const pull = (): void => {
      if (!this.open) return;
      const message = messages.next();
      if (message.done) return;
      if (!this.#fits(message.value)) return;
      this.socket.send(message.value, { binary: true }, next);
    };
    // Each piece is made from the live document only once nothing applied to it is on its way to
    // the store (durable before relay: the room may change between pieces), and in a turn of the
    // event loop of its own: a send's callback can come before the loop moves on (a write the
    // kernel took at once), and making every piece of a 12,000-annotation room in one turn held
    // the loop for over 100 ms; between pieces other peers' updates are relayed.
    const next = (error?: Error | null): void => {
      if (error || !this.open) return;
      setImmediate(() => this.doc.whenStored(pull));
    };
    this.doc.whenStored(pull);
  }

  /** The largest piece of state sent at once (`sendInSequence`): well within the send-buffer limit. */
  get stateChunkBytes(): number {
    return Math.max(64 * 1024, Math.min(STATE_CHUNK_BYTES, Math.floor(this.sendBufferLimit / 4)));
  }

  /** Closes the socket with a close code and a (shortened) reason. */
  close(code: number, reason: string): void {
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) {
      this.socket.close(code, shortReason(reason));
    }
  }

  /** Takes one incoming binary frame: handled now, or kept until the document is ready. */
  receive(frame: Uint8Array): void {
    if (!this.open) return;
    this.#markSpoken();
    if (this.#waiting === null) return this.#handle(this, frame);
    if (this.#waiting.length >= MAX_FRAMES_WHILE_LOADING) return this.close(COLLAB_CLOSE.policyViolation, 'too many messages before the room loaded');
    this.#waiting.push(frame);
    this.answerFromStoredState();
  }

  /**
   * While the document loads and offers its stored state (`CollabDoc.storedStateStep2`): sends it
   * at once if this peer is a fresh replica that asked (its step 1 waits here). Nothing else is
   * answered before the document is ready.
   */
  answerFromStoredState(): void {
    const step2 = this.doc.storedStateStep2;
    if (!step2 || this.answeredFromStoredState || !this.#waiting?.some(isFreshReplicaStep1)) return;
    // A stored state larger than one piece waits for the load, to be sent in pieces (sendInSequence).
    if (step2.byteLength > this.stateChunkBytes) return;
    this.answeredFromStoredState = true;
    this.send(step2);
  }

  /** Resolves once the peer has sent a frame (at once if it has, or if the socket is not open). */
  whenSpoken(): Promise<void> {
    if (this.#spoken || !this.open) return Promise.resolve();
    return new Promise((resolve) => this.#spokenWaiters.push(resolve));
  }

  #markSpoken(): void {
    if (this.#spoken) return;
    this.#spoken = true;
    for (const resolve of this.#spokenWaiters.splice(0)) resolve();
  }

  /** Greets the peer from the ready document, then handles the frames that waited. */
  start(): void {
    if (this.#waiting === null || !this.open) return;
    this.doc.greet(this);
    const waiting = this.#waiting;
    this.#waiting = null;
    for (const frame of waiting) {
      if (!this.open) break;
      this.#handle(this, frame);
    }
  }
}
