import { timingSafeEqual } from 'node:crypto';
import { entryChecksum, snapshotDigest } from '../persistence/entry-checksum.ts';
import type { Logger } from '../logger.ts';
import type { UpdateStore } from '../persistence/update-store.ts';
import type { CollabDoc } from './collab-doc.ts';
import type { StoredEntry } from './commit-queue.ts';

/**
 * Keeps each live document in step with its stored log when several server processes write it
 * (docs/several-servers.md). Every entry has its seq in the document's log, handed out by the
 * store in commit order; a live document holds every entry through `CollabDoc.storedSeq`, plus
 * its own entries stored out of turn (another process's seq came first and has not arrived yet).
 *
 * Entries other processes relay are applied in seq order, each once. One that arrives ahead of
 * a missing seq waits; when the missing one has not arrived within `GAP_GRACE_MS` (Redis
 * pub/sub delivers at most once: a process that was disconnected misses messages, and a process
 * that died between its commit and its publish never sends), the document reads everything
 * after `storedSeq` from the store: the entries, and the snapshot when another process folded
 * them into one meanwhile. The same read runs before a peer is greeted (it gets everything
 * stored, whatever reached this process), when the relay reconnects, and when a poll of the
 * head records (`pollHeads`) shows a document behind.
 *
 * With one process (SQLite) seqs only ever follow each other and nothing is read.
 */

/** How long an entry ahead of a missing seq waits for it before the store is read. */
export const GAP_GRACE_MS = 100;

/** What the follower does with what it finds. */
export interface StoreFollowerOptions {
  store: UpdateStore;
  log: Logger;
  /** Applying an entry failed (Yjs threw): the live document may hold part of it and must be reloaded. */
  applyFailed(doc: CollabDoc, error: unknown): void;
  /** Entries read from the store failed their checksums: the room is damaged. */
  damaged(doc: CollabDoc, damage: string[]): void;
  /** An entry stored elsewhere is about to be applied (the access layer's shadow takes it too). */
  applying?(doc: CollabDoc, update: Uint8Array): void;
}

interface FollowState {
  /** This process's own entries stored beyond `storedSeq` (applied already). */
  ahead: Set<number>;
  /** Entries relayed from other processes beyond `storedSeq + 1`, waiting for the ones before. */
  waiting: Map<number, StoredEntry>;
  gapTimer: NodeJS.Timeout | null;
  /** The running read from the store, if any (one at a time per document). */
  reading: Promise<void> | null;
  /** Another read was asked for while one ran. */
  readAgain: boolean;
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && timingSafeEqual(a, b);
}

/** Applies what other processes stored to the live documents of this one, in order. */
export class StoreFollower {
  readonly #options: StoreFollowerOptions;
  readonly #states = new WeakMap<CollabDoc, FollowState>();

  constructor(options: StoreFollowerOptions) {
    this.#options = options;
  }

  #state(doc: CollabDoc): FollowState {
    let state = this.#states.get(doc);
    if (!state) this.#states.set(doc, (state = { ahead: new Set(), waiting: new Map(), gapTimer: null, reading: null, readAgain: false }));
    return state;
  }

  /** This process stored entries of `doc` (already applied to it). */
  storedHere(doc: CollabDoc, entries: readonly StoredEntry[]): void {
    if (doc.state !== 'ready') return;
    const state = this.#state(doc);
    for (const { seq } of entries) if (seq > doc.storedSeq) state.ahead.add(seq);
    this.#advance(doc, state);
  }

  /**
   * Another process stored entries of `doc` (`entries` null: too large to relay, read them from
   * the store up to `lastSeq`).
   */
  storedElsewhere(doc: CollabDoc, entries: readonly StoredEntry[] | null, lastSeq: number): void {
    if (doc.state !== 'ready' || lastSeq <= doc.storedSeq) return;
    const state = this.#state(doc);
    if (entries === null) return void this.catchUp(doc);
    for (const entry of entries) {
      if (entry.seq <= doc.storedSeq || state.ahead.has(entry.seq)) continue;
      state.waiting.set(entry.seq, entry);
    }
    this.#advance(doc, state);
  }

  /**
   * Reads from the store whatever `doc` lacks after its `storedSeq` and applies it; resolves once
   * done (a read running already, and one more after it if asked meanwhile). Never rejects: a
   * failed read is logged and tried again at the next gap, poll or greeting.
   */
  catchUp(doc: CollabDoc): Promise<void> {
    if (doc.state !== 'ready') return Promise.resolve();
    const state = this.#state(doc);
    if (state.reading) {
      state.readAgain = true;
      return state.reading;
    }
    state.reading = this.#read(doc, state)
      .catch((error: unknown) => this.#options.log.error('cluster.catch-up-failed', { doc: doc.name, error }))
      .finally(() => {
        state.reading = null;
        if (!state.readAgain) return;
        state.readAgain = false;
        void this.catchUp(doc);
      });
    return state.reading;
  }

  /** Reads the head records of `docs` and catches up those the store is ahead of. */
  async pollHeads(docs: readonly CollabDoc[]): Promise<void> {
    const ready = docs.filter((doc) => doc.state === 'ready');
    if (ready.length === 0) return;
    let heads: Map<string, number>;
    try {
      heads = await this.#options.store.heads(ready.map((doc) => doc.name));
    } catch (error) {
      return this.#options.log.warn('cluster.head-poll-failed', { error });
    }
    for (const doc of ready) {
      const head = heads.get(doc.name) ?? 0;
      if (head <= doc.storedSeq) continue;
      this.#options.log.info('cluster.behind', { doc: doc.name, storedSeq: doc.storedSeq, head, note: 'stored elsewhere and not relayed here: read from the store' });
      void this.catchUp(doc);
    }
  }

  /** Applies what follows `storedSeq` in order; waits (then reads the store) at a gap. */
  #advance(doc: CollabDoc, state: FollowState): void {
    if (doc.state !== 'ready') return;
    // What a read of the store brought in meanwhile.
    for (const seq of state.ahead) if (seq <= doc.storedSeq) state.ahead.delete(seq);
    for (const seq of state.waiting.keys()) if (seq <= doc.storedSeq) state.waiting.delete(seq);
    for (;;) {
      const next = doc.storedSeq + 1;
      if (state.ahead.delete(next)) {
        doc.storedSeq = next;
        continue;
      }
      const entry = state.waiting.get(next);
      if (!entry) break;
      state.waiting.delete(next);
      for (const claim of entry.claims) if (!doc.clientOwners.has(claim.client)) doc.clientOwners.set(claim.client, claim.userId);
      if (!this.#apply(doc, entry.update)) return;
      doc.storedSeq = next;
      doc.logLength++;
      doc.logBytes += entry.update.byteLength;
    }
    const gap = state.ahead.size > 0 || state.waiting.size > 0;
    if (!gap && state.gapTimer) {
      clearTimeout(state.gapTimer);
      state.gapTimer = null;
    }
    if (gap && !state.gapTimer) {
      state.gapTimer = setTimeout(() => {
        state.gapTimer = null;
        if (state.ahead.size === 0 && state.waiting.size === 0) return;
        this.#options.log.info('cluster.gap', { doc: doc.name, after: doc.storedSeq, next: Math.min(...state.ahead, ...state.waiting.keys()), note: 'a stored entry was not relayed here: read from the store' });
        void this.catchUp(doc);
      }, GAP_GRACE_MS);
      state.gapTimer.unref();
    }
  }

  /** Applies an entry stored elsewhere; false (and the document handed over to be reloaded) when Yjs throws. */
  #apply(doc: CollabDoc, update: Uint8Array): boolean {
    try {
      this.#options.applying?.(doc, update);
      doc.integrateStoredElsewhere(update);
      return true;
    } catch (error) {
      this.#options.applyFailed(doc, error);
      return false;
    }
  }

  async #read(doc: CollabDoc, state: FollowState): Promise<void> {
    const from = doc.storedSeq;
    let tail;
    try {
      tail = await this.#options.store.loadLogAfter(doc.name, from);
    } catch (error) {
      return this.#options.log.warn('cluster.catch-up-failed', { doc: doc.name, error });
    }
    if (doc.state !== 'ready' || tail.head <= doc.storedSeq) return;
    const damage: string[] = [];
    if (tail.snapshot && doc.storedSeq < tail.snapshot.throughSeq) {
      // Folded into a snapshot by another process meanwhile: applying the whole snapshot brings
      // what the live document lacks (Yjs skips what it has).
      if (tail.snapshot.unreadable !== undefined) return this.#options.damaged(doc, [tail.snapshot.unreadable]);
      if (tail.snapshot.digest && !same(snapshotDigest(tail.snapshot.bytes), tail.snapshot.digest)) return this.#options.damaged(doc, ['the snapshot’s bytes do not match its checksum']);
      if (!this.#apply(doc, tail.snapshot.bytes)) return;
      this.#skipTo(doc, state, tail.snapshot.throughSeq);
    }
    const quarantined = new Set(tail.quarantinedSeqs);
    const entries = new Map(tail.entries.map((entry) => [entry.seq, entry]));
    for (let seq = doc.storedSeq + 1; seq <= tail.head; seq++) {
      if (state.ahead.delete(seq) || quarantined.has(seq)) {
        doc.storedSeq = seq;
        continue;
      }
      const entry = entries.get(seq);
      if (!entry) {
        damage.push(`log entry ${seq} is missing (the head record says ${tail.head} were written)`);
        break;
      }
      if (entry.checksum && !same(entryChecksum(doc.name, seq, entry.update), entry.checksum)) {
        damage.push(`log entry ${seq}: its bytes do not match its checksum`);
        break;
      }
      state.waiting.delete(seq);
      if (!this.#apply(doc, entry.update)) return;
      doc.storedSeq = seq;
      doc.logLength++;
      doc.logBytes += entry.update.byteLength;
    }
    if (damage.length > 0) return this.#options.damaged(doc, damage);
    await this.#learnOwners(doc);
    this.#advance(doc, state);
  }

  /** Forgets what the store's snapshot covers (applied with it). */
  #skipTo(doc: CollabDoc, state: FollowState, seq: number): void {
    for (const ahead of state.ahead) if (ahead <= seq) state.ahead.delete(ahead);
    for (const waiting of state.waiting.keys()) if (waiting <= seq) state.waiting.delete(waiting);
    doc.storedSeq = Math.max(doc.storedSeq, seq);
  }

  /** Entries read from the store carry no claims: the owners of client ids are read again. */
  async #learnOwners(doc: CollabDoc): Promise<void> {
    try {
      for (const [client, userId] of await this.#options.store.loadClientOwners(doc.name)) if (!doc.clientOwners.has(client)) doc.clientOwners.set(client, userId);
    } catch (error) {
      this.#options.log.warn('cluster.owners-unreadable', { doc: doc.name, error });
    }
  }

  /** Stops waiting for gaps of a document leaving memory. */
  forget(doc: CollabDoc): void {
    const state = this.#states.get(doc);
    if (state?.gapTimer) clearTimeout(state.gapTimer);
    this.#states.delete(doc);
  }
}
