import * as Y from 'yjs';
import type { Logger } from '../logger.ts';
import type { UpdateStore } from '../persistence/update-store.ts';
import type { CollabDoc, DocPeer } from './collab-doc.ts';

/** An accepted update on its way to the store. */
export interface PendingUpdate {
  doc: CollabDoc;
  update: Uint8Array;
  sender: DocPeer | null;
  /** Set when the update was applied and relayed before it was stored (store failing). */
  applied: boolean;
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
  /** Called when a commit succeeds after one or more failures. */
  onRecovered(): void;
}

/**
 * Group commit: updates accepted in the same turn of the event loop are appended to SQLite in
 * one transaction, then applied to their live documents and relayed. Store first, then apply
 * and relay: nothing a client sees from the server can be lost by a crash. Acknowledgements go
 * out once the batch is durable (`syncStored`: an fsync off the event loop).
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

  /** Number of accepted updates not yet stored. */
  get pendingCount(): number {
    return this.#pending.length;
  }

  /** Accepts an update; it is stored (and then applied) at the end of this event-loop turn. */
  enqueue(entry: PendingUpdate): void {
    this.#pending.push(entry);
    entry.doc.unstoredCount++;
    if (this.failing) {
      this.#applyUnstored(entry);
      return;
    }
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

  /** Phase 1: write the batch; phase 2: apply and relay, or keep it for a retry; phase 3: acknowledge. */
  async #commitBatch(): Promise<void> {
    const batch = this.#pending.slice();
    try {
      if (this.#options.beforeCommit) await this.#options.beforeCommit([...new Set(batch.map((e) => e.doc.name))]);
      this.#options.store.appendUpdates(batch.map((entry) => ({ docName: entry.doc.name, update: entry.update })));
    } catch (error) {
      this.#handleFailure(error, batch.length);
      return;
    }
    // Entries that arrived while an async hook ran sit after the batch; they stay pending.
    this.#pending.splice(0, batch.length);
    const recovered = this.failing;
    this.#failures = 0;
    this.#retryDelay = this.#options.retryMs;
    // Written to the WAL, so safe from a crash of this process: apply and relay now, acknowledge
    // once durable (the fsync runs off the event loop while later batches commit).
    this.#acknowledgeWhenDurable(this.#settle(batch), recovered, batch.length);
  }

  /**
   * Phase 3: once the batch is durable, hands its senders and the documents' state vectors as of
   * this batch (not later, unsynced ones) to `onCommitted`. If the fsync fails nothing is
   * acknowledged; those senders wait for the next successful fsync, which covers their updates.
   */
  #acknowledgeWhenDurable(committed: Map<CollabDoc, Set<DocPeer>>, recovered: boolean, stored: number): void {
    const storedVectors = new Map([...committed.keys()].filter((doc) => doc.state === 'ready').map((doc) => [doc, Y.encodeStateVector(doc.ydoc)]));
    const durable = (): void => {
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
      for (const [doc, senders] of committed) this.#awaitingSync.set(doc, new Set([...(this.#awaitingSync.get(doc) ?? []), ...senders]));
    });
  }

  /** Applies the stored entries not yet applied and groups the stored senders by document. */
  #settle(batch: PendingUpdate[]): Map<CollabDoc, Set<DocPeer>> {
    const committed = new Map<CollabDoc, Set<DocPeer>>();
    for (const entry of batch) {
      const { doc } = entry;
      doc.unstoredCount--;
      doc.logLength++;
      if (entry.applied) doc.appliedUnstoredCount--;
      else this.#apply(entry);
      const senders = committed.get(doc) ?? new Set<DocPeer>();
      if (entry.sender) senders.add(entry.sender);
      committed.set(doc, senders);
    }
    return committed;
  }

  #handleFailure(error: unknown, batchSize: number): void {
    this.#failures++;
    if (this.#failures === 1 || this.#failures % 20 === 0) {
      this.#options.log.error('store.append-failed', { error, pending: this.#pending.length, batch: batchSize, attempt: this.#failures });
    }
    // Keep collaborating: peers see each other's work even though it is not yet saved.
    for (const entry of this.#pending) this.#applyUnstored(entry);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      void this.flush();
    }, this.#retryDelay);
    this.#retryDelay = Math.min(this.#retryDelay * 2, this.#options.retryMaxMs);
  }

  #applyUnstored(entry: PendingUpdate): void {
    if (entry.applied || entry.doc.state !== 'ready') return;
    entry.applied = true;
    entry.doc.appliedUnstoredCount++;
    this.#apply(entry);
  }

  #apply(entry: PendingUpdate): void {
    if (entry.doc.state !== 'ready') return;
    try {
      entry.doc.applyUpdate(entry.update, entry.sender);
    } catch (error) {
      // The update decoded cleanly before it was accepted, so this is a Yjs-level surprise.
      this.#options.log.error('collab.apply-failed', { doc: entry.doc.name, error });
    }
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
