import type * as Y from 'yjs';
import type { Logger } from '../logger.ts';
import { captureLiveSnapshot, compactLiveDoc, writeCapturedSnapshot } from '../persistence/compaction.ts';
import { SnapshotChecker } from '../persistence/snapshot-checker.ts';
import { replayStoredDoc } from '../persistence/doc-replay.ts';
import type { UpdateStore } from '../persistence/update-store.ts';
import { TEXT_FRAGMENT } from '../rooms/chapter-seed.ts';
import type { DocKind } from '../rooms/doc-names.ts';
import { CollabDoc } from './collab-doc.ts';
import type { DocPeer } from './collab-doc.ts';

/** Test seam: runs before a document is read from the store (a delay makes loading slow, R1). */
export type BeforeLoadHook = (docName: string) => void | Promise<void>;

/** What the registry needs from the server around it. */
export interface DocRegistryOptions {
  store: UpdateStore;
  log: Logger;
  idleUnloadMs: number;
  compactThreshold: number;
  beforeLoad?: BeforeLoadHook | undefined;
  /** Called when a document is ready; the registry's caller greets the peers that waited. */
  onReady(doc: CollabDoc): void;
}

/**
 * The live documents of the server, by name. Opening a document that is not loaded starts
 * loading it; every connection that arrives meanwhile waits for the same load, so a room
 * loads fully before its first sync message (R1). A document is unloaded only when it has no
 * peers and nothing pending (R2); a document that fails to load is refused and forgotten, and
 * its stored state is never written (D4).
 */
export class DocRegistry {
  readonly #docs = new Map<string, CollabDoc>();
  readonly #options: DocRegistryOptions;
  readonly #compacting = new Set<string>();
  readonly #checker = new SnapshotChecker();
  #closed = false;

  constructor(options: DocRegistryOptions) {
    this.#options = options;
  }

  /** Every live document (loading or ready). */
  docs(): IterableIterator<CollabDoc> {
    return this.#docs.values();
  }

  /** Returns the live document for a room and kind, loading it if needed. */
  open(room: string, kind: DocKind): CollabDoc {
    const name = `${room}/${kind}`;
    let doc = this.#docs.get(name);
    if (!doc) {
      doc = new CollabDoc(room, kind);
      this.#docs.set(name, doc);
      void this.#load(doc);
    }
    if (doc.unloadTimer) clearTimeout(doc.unloadTimer);
    doc.unloadTimer = null;
    return doc;
  }

  async #load(doc: CollabDoc): Promise<void> {
    const started = performance.now();
    // Let the caller attach its connection first, so a load that fails at once still closes it.
    await Promise.resolve();
    try {
      await this.#options.beforeLoad?.(doc.name);
      // Shut down while waiting: the database may be closed, and nobody is left to serve.
      if (this.#closed) return;
      const stored = this.#options.store.loadDoc(doc.name);
      const replayed = replayStoredDoc(stored);
      if (!replayed.ok) return this.#refuse(doc, replayed.error);
      const problem = this.#implausible(doc.kind, replayed.value);
      if (problem) return this.#refuse(doc, problem);
      doc.becomeReady(replayed.value, stored.updates.length, stored.updates.length === 0 ? stored.snapshot : null);
      doc.compactable = !this.#incomplete(doc);
      this.#options.log.info('doc.loaded', { doc: doc.name, ms: Math.round(performance.now() - started), log: stored.updates.length });
    } catch (error) {
      return this.#refuse(doc, `loading failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.#options.onReady(doc);
    if (doc.logLength >= this.#options.compactThreshold) this.#scheduleCompaction(doc);
    this.release(doc);
  }

  /** Returns why a replayed document cannot be right, or null. A room's text is never empty. */
  #implausible(kind: DocKind, ydoc: Y.Doc): string | null {
    if (kind === 'text' && ydoc.getXmlFragment(TEXT_FRAGMENT).length === 0) return 'stored chapter text is empty';
    return null;
  }

  /**
   * Whether the replayed state left updates waiting for missing dependencies. Served anyway (the
   * dependencies may still arrive from a client), but such a document is never compacted: a
   * snapshot of what could be read must not replace stored bytes that could not.
   */
  #incomplete(doc: CollabDoc): boolean {
    const { store } = doc.ydoc;
    const incomplete = store.pendingStructs !== null || store.pendingDs !== null;
    if (incomplete) this.#options.log.warn('doc.incomplete', { doc: doc.name, note: 'updates with missing dependencies; compaction disabled' });
    return incomplete;
  }

  #refuse(doc: CollabDoc, error: string): void {
    this.#options.log.error('doc.load-failed', { doc: doc.name, error, refusedConnections: doc.peers.size });
    if (this.#docs.get(doc.name) === doc) this.#docs.delete(doc.name);
    doc.fail('room could not be loaded');
  }

  /** Unloads a document (after idleUnloadMs) if it has no peers and nothing pending. */
  release(doc: CollabDoc): void {
    if (doc.state !== 'ready' || doc.peers.size > 0 || doc.unstoredCount > 0 || doc.unloadTimer) return;
    const unloadIfStillIdle = () => {
      doc.unloadTimer = null;
      if (doc.peers.size > 0 || doc.unstoredCount > 0 || doc.state !== 'ready') return;
      this.#docs.delete(doc.name);
      doc.unload();
    };
    if (this.#options.idleUnloadMs === 0) return unloadIfStillIdle();
    doc.unloadTimer = setTimeout(unloadIfStillIdle, this.#options.idleUnloadMs);
    doc.unloadTimer.unref();
  }

  /** After a durable commit: acknowledge the senders (with the vector as of that commit), compact long logs, unload idle documents. */
  afterCommit(committed: Map<CollabDoc, Set<DocPeer>>, storedVectors: Map<CollabDoc, Uint8Array> = new Map()): void {
    for (const [doc, senders] of committed) {
      doc.acknowledge(senders, storedVectors.get(doc));
      if (doc.logLength >= this.#options.compactThreshold) this.#scheduleCompaction(doc);
      this.release(doc);
    }
  }

  /** Acknowledges every peer of every document (the store recovered after failures). */
  acknowledgeAll(): void {
    for (const doc of this.#docs.values()) doc.acknowledge(doc.peers);
  }

  #scheduleCompaction(doc: CollabDoc): void {
    if (this.#compacting.has(doc.name)) return;
    this.#compacting.add(doc.name);
    // After the acknowledgements went out: compaction is housekeeping, not on the save path.
    setImmediate(() => void this.#compactInBackground(doc).finally(() => this.#compacting.delete(doc.name)));
  }

  /**
   * The automatic compaction, mostly off the event loop: only the encoding of the live state
   * (~25 ms for 2,000 annotations) runs here; the check that decodes the snapshot again (~90 ms,
   * which made compaction block the loop for ~230 ms) runs in a worker thread; then the write.
   * Updates stored meanwhile keep their log entries. Same guarantees as `compact`.
   */
  async #compactInBackground(doc: CollabDoc): Promise<void> {
    if (doc.state !== 'ready' || doc.appliedUnstoredCount > 0 || !doc.compactable) return;
    const started = performance.now();
    try {
      const capture = captureLiveSnapshot(this.#options.store, doc.name, doc.ydoc, doc.logLength);
      const check = await this.#checker.check(capture.snapshot, capture.stateVector);
      if (!check.ok) return this.#options.log.error('store.compaction-failed', { doc: doc.name, error: check.error });
      // Shut down while checking: the database may be closed; the log stays as it is.
      if (this.#closed) return;
      const report = writeCapturedSnapshot(this.#options.store, capture);
      doc.logLength = Math.max(0, doc.logLength - capture.folded);
      this.#options.log.info('store.compacted', { ...report, ms: Math.round(performance.now() - started), offLoop: true });
    } catch (error) {
      this.#options.log.error('store.compaction-failed', { doc: doc.name, error });
    }
  }

  /**
   * Folds a loaded document's log into a snapshot of its live state now; logs and keeps the log
   * on any failure. Skipped while updates are applied but unstored (the store is failing), and for
   * documents loaded with unresolved dependencies.
   */
  compact(doc: CollabDoc): void {
    if (doc.state !== 'ready' || doc.appliedUnstoredCount > 0 || !doc.compactable) return;
    const started = performance.now();
    try {
      const result = compactLiveDoc(this.#options.store, doc.name, doc.ydoc, doc.logLength);
      if (!result.ok) return this.#options.log.error('store.compaction-failed', { doc: doc.name, error: result.error });
      doc.logLength = 0;
      this.#options.log.info('store.compacted', { ...result.value, ms: Math.round(performance.now() - started) });
    } catch (error) {
      this.#options.log.error('store.compaction-failed', { doc: doc.name, error });
    }
  }

  /** Closes every peer with `code` and unloads every document (shutdown, after the final flush). */
  closeAll(code: number, reason: string): void {
    this.#closed = true;
    this.#checker.close();
    for (const doc of this.#docs.values()) {
      for (const peer of [...doc.peers]) peer.close(code, reason);
      doc.peers.clear();
      if (doc.state === 'ready') doc.unload();
    }
    this.#docs.clear();
  }
}
