import * as Y from 'yjs';
import type { Logger } from '../logger.ts';
import { AppendRefusedError } from '../persistence/update-store.ts';
import type { ClientClaim, UpdateStore } from '../persistence/update-store.ts';
import type { CollabDoc, DocPeer } from './collab-doc.ts';
import { permissionDeniedMessage } from './permission-denied.ts';

/** An accepted update on its way to the store. */
export interface PendingUpdate {
  doc: CollabDoc;
  update: Uint8Array;
  sender: DocPeer | null;
  /** Set when the update was applied and relayed before it was stored (store failing). */
  applied: boolean;
  /** Set by the queue once the update is applied to the live document (relayed or not). */
  integrated?: boolean;
  /** Yjs client ids this update is the first to write under, and for whom: stored with it. */
  claims?: ClientClaim[];
}

/** An update as stored: its place in its document's log, and the client ids it claimed. */
export interface StoredEntry {
  seq: number;
  update: Uint8Array;
  claims: ClientClaim[];
}

/**
 * Test seam at the store boundary: runs before each group commit with the documents in it.
 * A delay makes saves slow (R2); a throw makes the store fail (D3).
 */
export type BeforeCommitHook = (docNames: readonly string[]) => void | Promise<void>;

/** What the queue needs from the server around it. */
export interface CommitQueueOptions {
  store: UpdateStore;
  log: Logger;
  retryMs: number;
  retryMaxMs: number;
  beforeCommit?: BeforeCommitHook | undefined;
  /**
   * Makes committed appends durable (an fsync of the WAL, off the event loop; see WalSync) before
   * they are acknowledged. Without it an append is durable when `appendUpdates` returns.
   */
  syncStored?: (() => Promise<void>) | undefined;
  /**
   * Called once updates are durably stored (and already applied), with the peers whose updates
   * were stored and each document's state vector right after the batch: what may be acknowledged.
   */
  onCommitted(committed: Map<CollabDoc, Set<DocPeer>>, storedVectors: Map<CollabDoc, Uint8Array>): void;
  /**
   * Called right after a commit, before anything is acknowledged, with what it stored per
   * document (in seq order): where the other server processes are told (docs/several-servers.md).
   */
  onStored?(stored: Map<CollabDoc, StoredEntry[]>): void;
  /** Called when the store refused entries because their room is gone (deleted through another process). */
  onRoomGone?(doc: CollabDoc): void;
  /** Called when a commit succeeds after one or more failures. */
  onRecovered(): void;
  /** Called when a commit fails after succeeding (the first failure of a run). */
  onAppendFailing?(error: unknown): void;
  /** Called when an fsync fails (true) and when one succeeds again after that (false). */
  onSyncFailing?(failing: boolean, error?: unknown): void;
  /**
   * Called after a batch when applying an update to `doc` threw: the update was refused, but the
   * live document may hold part of it, so it must be reloaded from the store.
   */
  onApplyFailed?(doc: CollabDoc): void;
}

/** The reason sent to a client whose update Yjs could not apply. */
function applyRefusal(error: unknown): string {
  return `the update does not apply to the room's document (${error instanceof Error ? error.message : String(error)}); it was not stored`;
}

/**
 * Group commit: updates accepted in the same turn of the event loop are applied to their live
 * documents, appended to the store in one transaction, then relayed. Applied first, right before
 * the append (issue 14, P1): an update Yjs cannot apply is refused and never stored, relayed or
 * acknowledged, and once the append returns the live documents hold exactly what is stored
 * (while it is on its way, nothing is sent from them: `CollabDoc.storing`). Stored before
 * relayed: nothing a client sees from the server can be lost by a crash. Acknowledgements go out
 * once the batch is durable (`syncStored`: an fsync off the event loop, for SQLite).
 *
 * When the store fails (D3), collaboration goes on — pending updates are applied and relayed
 * at once — but nothing is acknowledged; the queue keeps every unstored update and retries with
 * exponential backoff until the store accepts them.
 */
export class CommitQueue {
  readonly #options: CommitQueueOptions;
  #pending: PendingUpdate[] = [];
  #scheduled = false;
  #flushing: Promise<void> | null = null;
  #retryTimer: NodeJS.Timeout | null = null;
  #retryDelay: number;
  #failures = 0;
  #syncFailing = false;
  /** Senders whose batch was stored but whose fsync failed: acknowledged after the next good one. */
  readonly #awaitingSync = new Map<CollabDoc, Set<DocPeer>>();

  constructor(options: CommitQueueOptions) {
    this.#options = options;
    this.#retryDelay = options.retryMs;
  }

  /** Whether the last commit attempt failed (the server is not acknowledging). */
  get failing(): boolean {
    return this.#failures > 0;
  }

  /** Whether the last fsync of stored updates failed (what it stored is not acknowledged). */
  get syncFailing(): boolean {
    return this.#syncFailing;
  }

  /** Number of accepted updates not yet stored. */
  get pendingCount(): number {
    return this.#pending.length;
  }

  /** Accepts an update; it is applied and stored at the end of this event-loop turn. */
  enqueue(entry: PendingUpdate): void {
    entry.doc.unstoredCount++;
    if (this.failing) {
      if (this.#applyUnstored(entry)) this.#pending.push(entry);
      return;
    }
    this.#pending.push(entry);
    this.#schedule();
  }

  #schedule(): void {
    if (this.#scheduled || this.#flushing || this.#retryTimer) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      void this.flush();
    });
  }

  /** Commits everything pending now; resolves when this attempt (and any running one) ends. */
  async flush(): Promise<void> {
    while (this.#flushing) await this.#flushing;
    if (this.#pending.length === 0) return;
    this.#flushing = this.#commitBatch();
    try {
      await this.#flushing;
    } finally {
      this.#flushing = null;
    }
    if (this.#pending.length > 0 && !this.failing) this.#schedule();
  }

  /**
   * Phase 1: apply the batch, refusing what Yjs cannot apply; phase 2: write it and relay it, or
   * keep it for a retry; phase 3: acknowledge once durable.
   */
  async #commitBatch(): Promise<void> {
    try {
      if (this.#options.beforeCommit) await this.#options.beforeCommit([...new Set(this.#pending.map((e) => e.doc.name))]);
    } catch (error) {
      this.#handleFailure(error, this.#pending.length);
      return;
    }
    // Everything pending now, what arrived while an async hook ran included: from here to the
    // append nothing yields, so the live documents hold exactly what the append stores.
    const failed = new Set<CollabDoc>();
    this.#pending = this.#pending.filter((entry) => this.#integrate(entry, failed));
    const batch = this.#pending.slice();
    // While the append is on its way (a round trip to PostgreSQL; SQLite answers within this
    // turn) the live documents hold what is not stored yet: nothing is sent from them meanwhile.
    const storing = this.#holdDocs(batch);
    let seqs: number[];
    try {
      seqs = await this.#options.store.appendUpdates(batch.map((entry) => ({ docName: entry.doc.name, update: entry.update, claims: entry.claims })));
    } catch (error) {
      this.#releaseDocs(storing);
      if (error instanceof AppendRefusedError) this.#refuse(batch, error, failed);
      else this.#handleFailure(error, batch.length);
      this.#reload(failed);
      return;
    }
    this.#pending.splice(0, batch.length);
    const recovered = this.failing;
    this.#failures = 0;
    this.#retryDelay = this.#options.retryMs;
    // Stored (in SQLite's WAL, or committed in PostgreSQL), so safe from a crash of this process:
    // relay now, here and to the other processes, and acknowledge once durable (SQLite's fsync
    // runs off the event loop while later batches commit).
    const committed = this.#settle(batch);
    this.#options.onStored?.(this.#storedEntries(batch, seqs));
    this.#releaseDocs(storing);
    this.#acknowledgeWhenDurable(committed, recovered, batch.length);
    this.#reload(failed);
  }

  /** Marks the documents of a batch as storing; returns them, to release when the append ends. */
  #holdDocs(batch: readonly PendingUpdate[]): Set<CollabDoc> {
    const docs = new Set(batch.filter((entry) => !entry.applied).map((entry) => entry.doc));
    for (const doc of docs) doc.storing++;
    return docs;
  }

  #releaseDocs(docs: Set<CollabDoc>): void {
    for (const doc of docs) doc.storingEnded();
  }

  /** The batch as stored, per document in seq order. */
  #storedEntries(batch: readonly PendingUpdate[], seqs: readonly number[]): Map<CollabDoc, StoredEntry[]> {
    const stored = new Map<CollabDoc, StoredEntry[]>();
    batch.forEach((entry, index) => {
      const entries = stored.get(entry.doc) ?? [];
      entries.push({ seq: seqs[index]!, update: entry.update, claims: entry.claims ?? [] });
      stored.set(entry.doc, entries);
    });
    return stored;
  }

  /**
   * The store refused some entries of the batch and stored nothing: they leave the queue (their
   * senders are told; their documents, which hold them already, are reloaded; a room that is gone
   * is evicted) and the rest is committed again at once.
   */
  #refuse(batch: readonly PendingUpdate[], error: AppendRefusedError, failed: Set<CollabDoc>): void {
    const refused = new Set(error.entries.map((index) => batch[index]).filter((entry): entry is PendingUpdate => entry !== undefined));
    this.#options.log.warn('store.append-refused', { kind: error.kind, entries: refused.size, docs: [...new Set([...refused].map((entry) => entry.doc.name))] });
    for (const entry of refused) {
      entry.sender?.send(permissionDeniedMessage(`${error.message}; the update was not stored`));
      if (entry.applied) entry.doc.appliedUnstoredCount--;
      entry.doc.unstoredCount--;
      if (error.kind === 'room-gone') this.#options.onRoomGone?.(entry.doc);
      else failed.add(entry.doc);
    }
    this.#pending = this.#pending.filter((entry) => !refused.has(entry));
  }

  /**
   * Applies an entry to its live document unless it already is. Returns false when it leaves the
   * queue: Yjs threw (the sender is refused; the document goes into `failed`), or its document
   * was refused meanwhile (reloaded after such a refusal: its peers were closed and re-send
   * whatever was not acknowledged).
   */
  #integrate(entry: PendingUpdate, failed: Set<CollabDoc>): boolean {
    if (entry.integrated) return true;
    // Unloaded with entries pending happens only on shutdown (frames that raced the close): they
    // were checked against the live document and are stored as they are.
    if (entry.doc.state === 'unloaded') return true;
    if (entry.doc.state !== 'ready' || failed.has(entry.doc)) return this.#drop(entry);
    try {
      entry.doc.integrate(entry.update, entry.sender);
    } catch (error) {
      this.#options.log.error('collab.apply-failed', { doc: entry.doc.name, error, note: 'refused: not stored, relayed or acknowledged; the document is reloaded from the store' });
      entry.sender?.send(permissionDeniedMessage(applyRefusal(error)));
      failed.add(entry.doc);
      return this.#drop(entry);
    }
    entry.integrated = true;
    return true;
  }

  #drop(entry: PendingUpdate): false {
    entry.doc.unstoredCount--;
    return false;
  }

  /** Hands documents whose live state may hold part of a refused update to be reloaded. */
  #reload(failed: Set<CollabDoc>): void {
    for (const doc of failed) this.#options.onApplyFailed?.(doc);
  }

  /**
   * Phase 3: once the batch is durable, hands its senders and the documents' state vectors as of
   * this batch (not later, unsynced ones) to `onCommitted`. If the fsync fails nothing is
   * acknowledged; those senders wait for the next successful fsync, which covers their updates.
   */
  #acknowledgeWhenDurable(committed: Map<CollabDoc, Set<DocPeer>>, recovered: boolean, stored: number): void {
    const storedVectors = new Map([...committed.keys()].filter((doc) => doc.state === 'ready').map((doc) => [doc, Y.encodeStateVector(doc.ydoc)]));
    const durable = (): void => {
      if (this.#syncFailing) {
        this.#syncFailing = false;
        this.#options.onSyncFailing?.(false);
      }
      for (const [doc, senders] of this.#awaitingSync) {
        // Only documents in this batch have a vector known to be durable now.
        if (!storedVectors.has(doc)) continue;
        committed.set(doc, new Set([...(committed.get(doc) ?? []), ...senders]));
        this.#awaitingSync.delete(doc);
      }
      this.#options.onCommitted(committed, storedVectors);
      if (!recovered) return;
      this.#options.log.info('store.recovered', { stored });
      this.#options.onRecovered();
    };
    const sync = this.#options.syncStored;
    if (!sync) return durable();
    sync().then(durable, (error: unknown) => {
      this.#options.log.error('store.sync-failed', { error, batch: stored });
      if (!this.#syncFailing) {
        this.#syncFailing = true;
        this.#options.onSyncFailing?.(true, error);
      }
      for (const [doc, senders] of committed) this.#awaitingSync.set(doc, new Set([...(this.#awaitingSync.get(doc) ?? []), ...senders]));
    });
  }

  /** Relays the stored entries not yet relayed and groups the stored senders by document. */
  #settle(batch: PendingUpdate[]): Map<CollabDoc, Set<DocPeer>> {
    const committed = new Map<CollabDoc, Set<DocPeer>>();
    const relays = new Map<CollabDoc, PendingUpdate[]>();
    for (const entry of batch) {
      const { doc } = entry;
      doc.unstoredCount--;
      doc.logLength++;
      doc.logBytes += entry.update.byteLength;
      if (entry.applied) doc.appliedUnstoredCount--;
      else if (doc.state === 'ready') {
        const entries = relays.get(doc);
        if (entries) entries.push(entry);
        else relays.set(doc, [entry]);
      }
      const senders = committed.get(doc) ?? new Set<DocPeer>();
      if (entry.sender) senders.add(entry.sender);
      committed.set(doc, senders);
    }
    for (const [doc, entries] of relays) doc.relayBatch(entries);
    for (const doc of committed.keys()) if (doc.state === 'ready') doc.settleAccepted();
    return committed;
  }

  #handleFailure(error: unknown, batchSize: number): void {
    this.#failures++;
    if (this.#failures === 1) this.#options.onAppendFailing?.(error);
    if (this.#failures === 1 || this.#failures % 20 === 0) {
      this.#options.log.error('store.append-failed', { error, pending: this.#pending.length, batch: batchSize, attempt: this.#failures });
    }
    // Keep collaborating: peers see each other's work even though it is not yet saved.
    this.#pending = this.#pending.filter((entry) => this.#applyUnstored(entry));
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      void this.flush();
    }, this.#retryDelay);
    this.#retryDelay = Math.min(this.#retryDelay * 2, this.#options.retryMaxMs);
  }

  /**
   * While the store fails: applies an entry (unless a batch whose append failed already did) and
   * relays it at once. Returns false when Yjs refused it and it left the queue.
   */
  #applyUnstored(entry: PendingUpdate): boolean {
    if (entry.applied || entry.doc.state !== 'ready') return true;
    const failed = new Set<CollabDoc>();
    if (!this.#integrate(entry, failed)) {
      this.#reload(failed);
      return false;
    }
    entry.applied = true;
    entry.doc.appliedUnstoredCount++;
    entry.doc.relay(entry.update, entry.sender);
    entry.doc.settleAccepted();
    return true;
  }

  /**
   * Stores everything pending, retrying failed commits until `deadline` (epoch ms). Used on
   * shutdown; returns whether the queue ended empty.
   */
  async drain(deadline: number): Promise<boolean> {
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    while (this.#pending.length > 0 && Date.now() < deadline) {
      await this.flush();
      if (this.#retryTimer) clearTimeout(this.#retryTimer);
      this.#retryTimer = null;
      if (this.#pending.length > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(this.#options.retryMs, Math.max(0, deadline - Date.now()))));
    }
    return this.#pending.length === 0;
  }

  /** Stops retrying (final shutdown). */
  stop(): void {
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
  }
}
