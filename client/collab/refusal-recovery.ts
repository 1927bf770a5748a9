import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { stateVectorCovers } from '../../schema/index.ts';
import { replayLocalWork } from './local-work-replay.ts';
import type { ReplayOptions, ReplayReport } from './local-work-replay.ts';
import { readDenialReason } from './room-connection.ts';
import { decodeStoredMessage, PERMISSION_MESSAGE_TYPE, STORED_MESSAGE_TYPE } from './stored-message.ts';

/**
 * Recovery after the server refused one of the user's annotation changes. A refused change
 * stays in the local document and its IndexedDB cache, and because one client's Yjs updates
 * are sequential, everything the client sends afterwards depends on it and is refused too.
 * Recovery opens a fresh copy of the room's annotation document from the server (a temporary
 * second connection), re-makes the user's unsaved work there through the schema's operations
 * (`local-work-replay.ts`, which skips and lists what would be refused), and waits until the
 * server confirms it stored the result. The caller then drops the local cache and reopens the room.
 */

/** What a recovery needs: where the room's annotation document lives, and the local work. */
export interface RefusalRecoveryOptions {
  room: string;
  /** Base of the collaboration endpoint, e.g. `ws://127.0.0.1:8080/collab`. */
  collabUrl: string;
  /** The live annotation document holding the refused change and the work after it (only read). */
  localDoc: Y.Doc;
  /** The annotation document's roomname when it is not `<room>/annotations` (the user's layer of a blind round). */
  roomname?: string | undefined;
  replay: ReplayOptions;
  /** How long to wait for the server at each step; 15 s by default. */
  timeoutMs?: number;
}

/** The outcome: what was re-made and dropped, or why recovery did not finish (nothing is lost then). */
export type RefusalRecoveryResult = { ok: true; value: ReplayReport } | { ok: false; error: string };

const DEFAULT_TIMEOUT_MS = 15_000;

/** A temporary connection to the room's annotation document, reporting sync, stored acks and refusals. */
class ServerCopy {
  readonly ydoc = new Y.Doc();
  readonly provider: WebsocketProvider;
  private stored: Map<number, number> | null = null;
  private refusal: string | null = null;
  private closed: string | null = null;
  private readonly waiters = new Set<() => void>();

  constructor(options: RefusalRecoveryOptions) {
    this.provider = new WebsocketProvider(options.collabUrl, options.roomname ?? `${options.room}/annotations`, this.ydoc, {
      connect: false,
      params: { acks: '1' },
      disableBc: true,
    });
    // This connection carries no presence: the room page already announces the user.
    this.provider.awareness.setLocalState(null);
    this.provider.messageHandlers[STORED_MESSAGE_TYPE] = (_encoder, decoder) => {
      const stored = decodeStoredMessage(decoder);
      if (stored.ok) this.stored = stored.value;
      this.wake();
    };
    this.provider.messageHandlers[PERMISSION_MESSAGE_TYPE] = (_encoder, decoder) => {
      this.refusal = readDenialReason(decoder) || 'no reason given';
      this.wake();
    };
    this.provider.on('sync', () => this.wake());
    this.provider.on('closed', ({ code }) => {
      this.closed = `the server closed the connection (code ${code})`;
      this.wake();
    });
    this.provider.connect();
  }

  /** Resolves once `ready()` holds; rejects with a readable reason on refusal, close or timeout. */
  until(ready: () => boolean, what: string, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const problem = this.refusal ? `the server refused the recovered changes too: ${this.refusal}` : this.closed;
        if (!problem && !ready()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        if (problem) reject(new Error(problem));
        else resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`the server did not answer in time (${what})`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  get synced(): boolean {
    return this.provider.synced;
  }

  /** Whether the server has confirmed storing everything this copy holds. */
  storedAll(): boolean {
    return this.stored !== null && stateVectorCovers(this.stored, Y.encodeStateVector(this.ydoc));
  }

  /** Forgets the acknowledgements seen so far (only one that follows a write can confirm it). */
  forgetStored(): void {
    this.stored = null;
  }

  destroy(): void {
    this.waiters.clear();
    this.provider.destroy();
    this.ydoc.destroy();
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

/**
 * Re-makes the user's unsaved annotation work on the server after a refusal and waits for the
 * server's stored acknowledgement. Resolves with the report (what was re-made, what was dropped
 * and why); on failure nothing has changed locally and the user may try again.
 */
export async function recoverRefusedWork(options: RefusalRecoveryOptions): Promise<RefusalRecoveryResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const copy = new ServerCopy(options);
  try {
    await copy.until(() => copy.synced, 'loading the stored annotations', timeoutMs);
    // Only an acknowledgement that follows the write confirms it. (A write that only deletes
    // adds no clock to cover; the first acknowledgement after it is taken as confirmation.)
    copy.forgetStored();
    const report = replayLocalWork(options.localDoc, copy.ydoc, options.replay);
    if (report.replayed.length > 0) await copy.until(() => copy.storedAll(), 'storing the recovered changes', timeoutMs);
    return { ok: true, value: report };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  } finally {
    copy.destroy();
  }
}
