import type * as Y from 'yjs';
import { COLLAB_CLOSE, encodeNoticeMessage } from '../../schema/index.ts';
import type { Logger } from '../logger.ts';
import { TEXT_FRAGMENT_NAME } from '../../schema/index.ts';
import { compactLiveDoc, writeAssembledSnapshot } from '../persistence/compaction.ts';
import { SnapshotChecker } from '../persistence/snapshot-checker.ts';
import { replayStoredDoc } from '../persistence/doc-replay.ts';
import type { FailedEntry } from '../persistence/doc-replay.ts';
import type { StoreHealth } from '../persistence/store-health.ts';
import { roomOfDocName } from '../rooms/doc-names.ts';
import { quarantineFailedEntries, reportDamage } from '../persistence/damage-report.ts';
import { verifyStoredDoc } from '../persistence/store-integrity.ts';
import { snapshotIntact } from '../persistence/update-store.ts';
import type { StoredDoc, UpdateStore } from '../persistence/update-store.ts';
import type { DocKind } from '../../schema/index.ts';
import { CollabDoc } from './collab-doc.ts';
import type { DocPeer } from './collab-doc.ts';
import { stateAsUpdateChunks } from './state-chunks.ts';

/** A log is folded once it holds this share of its snapshot's size (and `compactThreshold` entries or COMPACT_LOG_BYTES). */
const COMPACT_LOG_SHARE = 0.25;
/**
 * A log this large is due too, however few its entries: a seminar's room rarely reaches 1,000
 * updates, and its log stays uncompressed (~400 bytes an annotation) until it is folded into the
 * compressed snapshot (~65). 64 KiB is ~160 annotations; folding a room that small costs a few
 * milliseconds of the loop.
 */
const COMPACT_LOG_BYTES = 64 * 1024;
/** The piece of a live document's state a compaction takes in one turn of the event loop. */
const COMPACTION_PIECE_BYTES = 1024 * 1024;
const EMPTY_STATE_VECTOR = new Uint8Array([0]);

/** What a compaction folds, taken when it starts: the live state, through which seq it holds every entry, and the log it replaces. */
interface CompactionTarget {
  ydoc: Y.Doc;
  throughSeq: number;
  folded: number;
  foldedBytes: number;
}

/** Test seam: runs before a document is read from the store (a delay makes loading slow, R1). */
export type BeforeLoadHook = (docName: string) => void | Promise<void>;

/** What the registry needs from the server around it. */
export interface DocRegistryOptions {
  store: UpdateStore;
  log: Logger;
  idleUnloadMs: number;
  compactThreshold: number;
  beforeLoad?: BeforeLoadHook | undefined;
  /** Where damage and quarantined entries found on load are reported (health). */
  health?: StoreHealth | undefined;
  /**
   * Before a document is read from the store: what must happen first (hearing the other server
   * processes' messages about it, so none stored after the read goes unheard).
   */
  beforeRead?(doc: CollabDoc): Promise<void>;
  /** After the read, before the document takes updates: what its checks need (the access layer's). */
  prepareDoc?(doc: CollabDoc): Promise<void>;
  /** Called when a document is ready; the registry's caller greets the peers that waited. */
  onReady(doc: CollabDoc): void;
  /** Called when a document left memory (unloaded, reloaded, refused, evicted). */
  onGone?(doc: CollabDoc): void;
  /**
   * Called while a document loads, once it offers its stored state (`CollabDoc.offerStoredState`):
   * the caller answers the fresh replicas waiting for it; the decode starts when this resolves.
   */
  onStoredState?(doc: CollabDoc): Promise<void>;
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
  /** Rooms being deleted: their documents are refused until `endEviction`. */
  readonly #evicting = new Set<string>();
  readonly #checker = new SnapshotChecker();
  #closed = false;

  constructor(options: DocRegistryOptions) {
    this.#options = options;
  }

  /** Every live document (loading or ready). */
  docs(): IterableIterator<CollabDoc> {
    return this.#docs.values();
  }

  /** The live document of that name, if it is loaded (or loading). */
  get(docName: string): CollabDoc | null {
    return this.#docs.get(docName) ?? null;
  }

  /**
   * Returns the live document for a room and kind, loading it if needed. `name` is the stored
   * name when it is not `<room>/<kind>` (a blind round's layer, an annotation document).
   */
  open(room: string, kind: DocKind, name = `${room}/${kind}`): CollabDoc {
    if (this.#evicting.has(room)) {
      const refused = new CollabDoc(room, kind, name);
      refused.fail('room deleted');
      return refused;
    }
    let doc = this.#docs.get(name);
    if (!doc) {
      doc = new CollabDoc(room, kind, name);
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
      await this.#options.beforeRead?.(doc);
      // Shut down while waiting: the database may be closed, and nobody is left to serve.
      if (this.#closed) return;
      const stored = await this.#options.store.loadDoc(doc.name);
      const integrity = verifyStoredDoc(doc.name, stored);
      if (integrity.snapshotCorrupt) return this.#refuseDamaged(doc, integrity.damage);
      await this.#offerStoredState(doc, stored);
      if (this.#closed) return;
      const replayed = replayStoredDoc(stored, { skip: integrity.corruptEntries });
      // Evicted while loading (its room is being deleted): nothing may be served or written.
      if (this.#docs.get(doc.name) !== doc) return;
      if (!replayed.ok) return this.#refuse(doc, replayed.error);
      const problem = this.#implausible(doc.kind, replayed.value);
      if (problem) {
        replayed.value.destroy();
        return this.#refuse(doc, problem);
      }
      const quarantined = await this.#quarantine(doc, replayed.failed);
      const owners = await this.#clientOwners(doc);
      await this.#options.prepareDoc?.(doc);
      if (this.#docs.get(doc.name) !== doc || this.#closed) {
        replayed.value.destroy();
        return;
      }
      const logLength = stored.updates.length - quarantined;
      doc.storedSeq = Math.max(stored.head ?? 0, stored.lastSeq, ...stored.quarantinedSeqs);
      doc.becomeReady(replayed.value, logLength, logLength === 0 ? stored.snapshot : null, owners);
      doc.logBytes = stored.updates.reduce((sum, update) => sum + update.byteLength, 0);
      doc.snapshotBytes = stored.snapshot?.byteLength ?? 0;
      doc.compactable = !this.#incomplete(doc) && quarantined === replayed.failed.length;
      if (integrity.damage.length > 0) this.#serveReadOnly(doc, integrity.damage);
      this.#options.log.info('doc.loaded', { doc: doc.name, ms: Math.round(performance.now() - started), log: logLength });
    } catch (error) {
      return this.#refuse(doc, error);
    }
    this.#options.onReady(doc);
    if (this.#wantsCompaction(doc)) this.#scheduleCompaction(doc);
    this.release(doc);
  }

  /**
   * Before the decode (~100 ms for 2,000 annotations, on the event loop), an annotation document
   * stored as one snapshot is offered as it is stored: fresh replicas get it at once and decode
   * it while the server does (bench: join-cold-2000). Only the whole stored state is offered (no
   * log after the snapshot), only when its digest shows the bytes are the snapshot the server
   * checked and wrote (a corrupt one is refused as before, with nothing sent: D4), and never a
   * room's text, whose load also checks that the chapter is not empty.
   */
  async #offerStoredState(doc: CollabDoc, stored: StoredDoc): Promise<void> {
    const { onStoredState } = this.#options;
    if (doc.kind !== 'annotations' || !onStoredState || stored.snapshot === null || stored.updates.length > 0 || !snapshotIntact(stored)) return;
    doc.offerStoredState(stored.snapshot);
    await onStoredState(doc);
  }

  /** Returns why a replayed document cannot be right, or null. A room's text is never empty. */
  #implausible(kind: DocKind, ydoc: Y.Doc): string | null {
    if (kind === 'text' && ydoc.getXmlFragment(TEXT_FRAGMENT_NAME).length === 0) return 'stored chapter text is empty';
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

  /** The recorded owners of the document's Yjs client ids (P2); none when they cannot be read. */
  #clientOwners(doc: CollabDoc): Promise<Map<number, string>> {
    return this.#options.store.loadClientOwners(doc.name);
  }

  /** Quarantines the log entries that did not load (P1); returns how many left the log. */
  #quarantine(doc: CollabDoc, failed: readonly FailedEntry[]): Promise<number> {
    return quarantineFailedEntries(this.#options.store, doc.name, failed, this.#options);
  }

  /**
   * Entries read from the store after the document loaded failed their checksums (another
   * process's writes, read while catching up, docs/several-servers.md): from now on it is
   * served read-only, as a load that found the damage would have.
   */
  markDamaged(doc: CollabDoc, damage: readonly string[]): void {
    if (doc.state !== 'ready' || doc.readOnlyReason) return;
    this.#serveReadOnly(doc, damage);
    for (const peer of doc.peers) if (peer.wantsAcks && doc.readOnlyNotice) peer.send(encodeNoticeMessage('error', doc.readOnlyNotice));
  }

  /**
   * Serves a document whose stored state is damaged (P5) read-only: what verified is loaded, every
   * change is refused with the reason, its peers are told (CollabDoc.readOnlyReason), the store
   * is never written for it (no compaction), and health reports it until an operator repairs it.
   */
  #serveReadOnly(doc: CollabDoc, damage: readonly string[]): void {
    reportDamage(doc.name, damage, 'served read-only', this.#options);
    const detail = damage.slice(0, 3).join('; ');
    doc.readOnlyReason = `the room's saved state is damaged (${detail}); it is read-only until the server's operator repairs it, so that nothing is written over it`;
    doc.readOnlyNotice = `Part of this room's saved ${doc.kind === 'text' ? 'chapter is' : 'annotations are'} damaged on the server (${detail}). You can read what was saved, but nothing can be changed until the operator repairs it, so that nothing is written over it.`;
    doc.compactable = false;
  }

  /** Refuses a document whose snapshot is damaged: nothing after it can be read (P5, D4). */
  #refuseDamaged(doc: CollabDoc, damage: readonly string[]): void {
    reportDamage(doc.name, damage, 'refused', this.#options);
    this.#refuse(doc, `stored state damaged: ${damage.join('; ')}`);
  }

  /**
   * Reloads a document whose live state may hold part of an update Yjs refused (CommitQueue): its
   * peers are closed with 1012 ("try again"; stock clients reconnect and re-send what was not
   * acknowledged) and the next connection loads it from the store, which never held the update.
   */
  reload(doc: CollabDoc): void {
    if (this.#docs.get(doc.name) !== doc || doc.state !== 'ready') return;
    this.#options.log.error('doc.reloading', { doc: doc.name, peers: doc.peers.size });
    this.#docs.delete(doc.name);
    doc.fail('the room is reloading; reconnect', COLLAB_CLOSE.serviceRestart);
    this.#options.onGone?.(doc);
  }

  #refuse(doc: CollabDoc, error: unknown): void {
    this.#options.log.error('doc.load-failed', { doc: doc.name, error, refusedConnections: doc.peers.size });
    if (this.#docs.get(doc.name) === doc) this.#docs.delete(doc.name);
    doc.fail('room could not be loaded');
    this.#options.onGone?.(doc);
  }

  /** Unloads a document (after idleUnloadMs) if it has no peers and nothing pending. */
  release(doc: CollabDoc): void {
    if (doc.state !== 'ready' || doc.peers.size > 0 || doc.unstoredCount > 0 || doc.unloadTimer) return;
    const unloadIfStillIdle = () => {
      doc.unloadTimer = null;
      if (doc.peers.size > 0 || doc.unstoredCount > 0 || doc.state !== 'ready') return;
      this.#foldLogOnUnload(doc);
      this.#docs.delete(doc.name);
      doc.unload();
      this.#options.onGone?.(doc);
    };
    if (this.#options.idleUnloadMs === 0) return unloadIfStillIdle();
    doc.unloadTimer = setTimeout(unloadIfStillIdle, this.#options.idleUnloadMs);
    doc.unloadTimer.unref();
  }

  /** After a durable commit: acknowledge the senders (with the vector as of that commit), compact long logs, unload idle documents. */
  afterCommit(committed: Map<CollabDoc, Set<DocPeer>>, storedVectors: Map<CollabDoc, Uint8Array> = new Map()): void {
    for (const [doc, senders] of committed) {
      doc.acknowledge(senders, storedVectors.get(doc));
      if (this.#wantsCompaction(doc)) this.#scheduleCompaction(doc);
      this.release(doc);
    }
  }

  /** Acknowledges every peer of every document (the store recovered after failures). */
  acknowledgeAll(): void {
    for (const doc of this.#docs.values()) doc.acknowledge(doc.peers);
  }

  /**
   * Whether a document's log is due to be folded into its snapshot: at least `compactThreshold`
   * entries or COMPACT_LOG_BYTES, and at least COMPACT_LOG_SHARE of the snapshot's size. A
   * compaction's work grows with the room; letting the log grow with it too keeps the work per
   * update the same at any size (bench: room-growth), while a room's log stays a fraction of
   * what a load reads, and of what it stores (the log is kept uncompressed).
   */
  #wantsCompaction(doc: CollabDoc): boolean {
    const enough = doc.logLength >= this.#options.compactThreshold || doc.logBytes >= COMPACT_LOG_BYTES;
    return enough && doc.logBytes >= doc.snapshotBytes * COMPACT_LOG_SHARE;
  }

  /**
   * An annotation document leaving memory with updates logged after its snapshot is compacted on
   * the way out, so that its next load reads one intact snapshot, which fresh replicas are sent
   * while the server decodes it (`#offerStoredState`). Skipped while a compaction runs (one at a
   * time) or when the document cannot be compacted.
   */
  #foldLogOnUnload(doc: CollabDoc): void {
    if (doc.kind !== 'annotations' || doc.logLength === 0 || this.#closed || this.#compacting.size > 0) return;
    if (doc.appliedUnstoredCount > 0 || doc.storing > 0 || !doc.compactable) return;
    this.#compacting.add(doc.name);
    void this.#compactOnce(doc, true).finally(() => this.#compacting.delete(doc.name));
  }

  #scheduleCompaction(doc: CollabDoc): void {
    // One compaction at a time, server-wide: the next commit asks again.
    if (this.#compacting.size > 0) return;
    this.#compacting.add(doc.name);
    // After the acknowledgements went out: compaction is housekeeping, not on the save path.
    setImmediate(() => void this.#compactOnce(doc, false).finally(() => this.#compacting.delete(doc.name)));
  }

  /**
   * One compaction of a document, by one server process at a time (the store's compaction lock,
   * an advisory lock on PostgreSQL); when another process holds it, this one skips the document.
   */
  async #compactOnce(doc: CollabDoc, unloading: boolean): Promise<void> {
    if (!unloading && (doc.state !== 'ready' || doc.appliedUnstoredCount > 0 || !doc.compactable)) return;
    // Taken now: a document leaving memory is unloaded right after this call, its Y.Doc kept here.
    const target: CompactionTarget = { ydoc: doc.ydoc, throughSeq: doc.storedSeq, folded: doc.logLength, foldedBytes: doc.logBytes };
    try {
      const outcome = await this.#options.store.whileCompacting(doc.name, () => this.#compactInPieces(doc, target, unloading));
      // Another process is compacting it: its log will be short again soon.
      if (outcome === null) {
        doc.logLength = 0;
        doc.logBytes = 0;
      }
    } catch (error) {
      this.#options.log.error('store.compaction-failed', { doc: doc.name, error });
    }
  }

  /**
   * The automatic compaction, all but the write off the event loop: the live state is taken in
   * pieces of ~1 MiB, one a turn (`stateAsUpdateChunks`: a room of 50,000 annotations took
   * ~300 ms in one encoding), each once nothing applied to the document is on its way to the
   * store; the pieces are assembled into one snapshot, decoded again as the check and digested in
   * the worker (SnapshotChecker.assemble), then one transaction writes it and deletes the entries
   * through `storedSeq` as it was at the start (`writeAssembledSnapshot`): the live document held
   * every one of them; later ones the pieces may hold stay in the log too. Abandoned, leaving the
   * log as it is, if the server closes, the room is deleted or unloaded (unless `unloading`), or
   * the store starts failing (applied updates would be unstored) while the pieces are taken.
   * Returns how many log entries it folded (0 when another process compacted as far meanwhile).
   */
  async #compactInPieces(doc: CollabDoc, target: CompactionTarget, unloading: boolean): Promise<number> {
    const { store, log } = this.#options;
    const { throughSeq, folded, foldedBytes } = target;
    const abandoned = () => this.#closed || this.#evicting.has(doc.room) || doc.appliedUnstoredCount > 0 || (!unloading && (doc.state !== 'ready' || doc.ydoc !== target.ydoc));
    const stored = () => new Promise<void>((resolve) => (unloading ? resolve() : doc.whenStored(resolve)));
    await stored();
    if (abandoned()) return 0;
    const started = performance.now();
    const pieces: Uint8Array[] = [];
    const chunks = stateAsUpdateChunks(target.ydoc, EMPTY_STATE_VECTOR, COMPACTION_PIECE_BYTES);
    for (;;) {
      const piece = chunks.next();
      if (piece.done) break;
      pieces.push(piece.value);
      await new Promise((resolve) => setImmediate(resolve));
      await stored();
      if (abandoned()) return 0;
    }
    const assembled = await this.#checker.assemble(pieces);
    if (!assembled.ok) {
      log.error('store.compaction-failed', { doc: doc.name, error: assembled.error });
      return 0;
    }
    // Shut down or deleted while assembling: the database may be closed; the log stays as it is.
    if (this.#closed || this.#evicting.has(doc.room)) return 0;
    const report = await writeAssembledSnapshot(store, doc.name, assembled, throughSeq, folded);
    if (!report) {
      log.info('store.compaction-skipped', { doc: doc.name, reason: 'another server process compacted as far meanwhile' });
      return 0;
    }
    doc.logLength = Math.max(0, doc.logLength - folded);
    doc.logBytes = Math.max(0, doc.logBytes - foldedBytes);
    doc.snapshotBytes = assembled.snapshot.byteLength;
    log.info('store.compacted', { ...report, ms: Math.round(performance.now() - started), pieces: pieces.length, offLoop: true });
    return folded;
  }

  /**
   * Folds a loaded document's log into a snapshot of its live state now; logs and keeps the log
   * on any failure. Skipped while updates are applied but unstored (the store is failing), and for
   * documents loaded with unresolved dependencies.
   */
  async compact(doc: CollabDoc): Promise<void> {
    if (doc.state !== 'ready' || doc.appliedUnstoredCount > 0 || doc.storing > 0 || !doc.compactable) return;
    const started = performance.now();
    try {
      const result = await compactLiveDoc(this.#options.store, doc.name, doc.ydoc, doc.storedSeq, doc.logLength);
      if (!result.ok) return this.#options.log.error('store.compaction-failed', { doc: doc.name, error: result.error });
      doc.logLength = 0;
      doc.logBytes = 0;
      doc.snapshotBytes = result.value.snapshotBytes;
      this.#options.log.info('store.compacted', { ...result.value, ms: Math.round(performance.now() - started) });
    } catch (error) {
      this.#options.log.error('store.compaction-failed', { doc: doc.name, error });
    }
  }

  /**
   * Takes a room's documents out of memory for good, because the room is being deleted: closes
   * their peers with `code`, waits (`stored`) until everything they sent is stored and for any
   * compaction to end, and unloads them without writing anything. Until `endEviction` (called
   * once the room's rows are deleted), opening its documents gives refused ones. Returns false,
   * leaving the documents loaded, when what was sent could not be stored (`stored` said so).
   */
  async evictRoom(room: string, code: number, reason: string, stored: () => Promise<boolean>): Promise<boolean> {
    this.#evicting.add(room);
    const docs = [...this.#docs.values()].filter((doc) => doc.room === room);
    for (const doc of docs) {
      for (const peer of [...doc.peers]) peer.close(code, reason);
      doc.peers.clear();
    }
    if (!(await stored())) return false;
    while (docs.some((doc) => this.#compacting.has(doc.name))) await new Promise((resolve) => setTimeout(resolve, 5));
    for (const doc of docs) {
      this.#docs.delete(doc.name);
      if (doc.state === 'ready') doc.unload();
      else if (doc.state === 'loading') doc.fail(reason);
      this.#options.onGone?.(doc);
    }
    return true;
  }

  /** Lets a room's documents be opened again (its rows are gone: a new room may take its id). */
  endEviction(room: string): void {
    this.#evicting.delete(room);
  }

  /**
   * On shutdown, after everything pending was stored: folds each loaded annotation document's log
   * into its snapshot (in one go: nothing is served any more), while time is left before
   * `deadline`, so that the first join after the restart reads one snapshot instead of replaying
   * the log (bench: join-after-restart). A document that cannot be compacted keeps its log.
   */
  async foldLogsForShutdown(deadline: number): Promise<void> {
    for (const doc of [...this.#docs.values()]) {
      if (Date.now() >= deadline) return;
      if (doc.kind !== 'annotations' || doc.logLength === 0 || doc.readOnlyReason !== null) continue;
      await this.compact(doc);
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
      this.#options.onGone?.(doc);
    }
    this.#docs.clear();
  }
}
