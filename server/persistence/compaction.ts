import * as Y from 'yjs';
import { REPLAY_ORIGIN, replayStoredDoc, sameStateVector } from './doc-replay.ts';
import type { EncodedSnapshot } from './snapshot-encoding.ts';
import { verifyStoredDoc } from './store-integrity.ts';
import type { UpdateStore } from './update-store.ts';

/** What one compaction did. */
export interface CompactionReport {
  docName: string;
  /** Log entries folded into the new snapshot (0 when there was nothing to do). */
  foldedUpdates: number;
  /** The snapshot's size as a Yjs update (what the compaction rule weighs the log against), not as stored. */
  snapshotBytes: number;
}

/** A compaction's report, or why the log was left as it was (`skipped`: another process compacted it meanwhile, or is compacting it). */
export type CompactionResult = { ok: true; value: CompactionReport } | { ok: false; error: string };

/**
 * Phases 2 and 3 of a compaction, shared by both entry points: encode `ydoc`, decode the
 * snapshot again into a fresh Y.Doc whose state vector must equal the source's, then in one
 * transaction write the snapshot and delete exactly the log entries up to `throughSeq`.
 */
async function writeCheckedSnapshot(store: UpdateStore, docName: string, ydoc: Y.Doc, throughSeq: number, folded: number): Promise<CompactionResult> {
  const snapshot = Y.encodeStateAsUpdate(ydoc);
  const stateVector = Y.encodeStateVector(ydoc);
  const check = new Y.Doc();
  try {
    Y.applyUpdate(check, snapshot, REPLAY_ORIGIN);
    if (!sameStateVector(Y.encodeStateVector(check), stateVector)) {
      return { ok: false, error: 'snapshot check failed: decoded state vector differs from the source' };
    }
  } catch (error) {
    return { ok: false, error: `snapshot check failed: ${error instanceof Error ? error.message : String(error)}` };
  } finally {
    check.destroy();
  }
  if (!(await store.replaceLogWithSnapshot(docName, snapshot, stateVector, throughSeq))) return { ok: false, error: 'skipped: another process compacted this log meanwhile' };
  return { ok: true, value: { docName, foldedUpdates: folded, snapshotBytes: snapshot.byteLength } };
}

/**
 * Folds the update log of a document that is not loaded into a new snapshot: phase 1 replays
 * snapshot and log from the store into a fresh Y.Doc (replaying and encoding is several times
 * faster than Y.mergeUpdates on long logs), then the checked write. Any failure leaves the store
 * as it was. Entries appended meanwhile are after the seqs it folds, so they stay in the log.
 */
export async function compactDoc(store: UpdateStore, docName: string): Promise<CompactionResult> {
  const stored = await store.loadDoc(docName);
  if (stored.updates.length === 0) return { ok: true, value: { docName, foldedUpdates: 0, snapshotBytes: stored.snapshot?.byteLength ?? 0 } };
  // A snapshot of what could be read must never replace stored bytes that could not (P1, P5).
  const integrity = verifyStoredDoc(docName, stored);
  if (integrity.damage.length > 0) return { ok: false, error: `the stored state is damaged: ${integrity.damage.join('; ')}` };
  const replayed = replayStoredDoc(stored);
  if (!replayed.ok) return { ok: false, error: replayed.error };
  if (replayed.failed.length > 0) {
    replayed.value.destroy();
    return { ok: false, error: `${replayed.failed.length} stored log entries do not load (the first: ${replayed.failed[0]!.error})` };
  }
  try {
    return await writeCheckedSnapshot(store, docName, replayed.value, stored.lastSeq, stored.updates.length);
  } finally {
    replayed.value.destroy();
  }
}

/**
 * Folds the log of a loaded document into a snapshot of its live Y.Doc. The live document is
 * that replay already, kept current: it was loaded from snapshot and log, and every stored
 * update was applied to it. The caller guarantees that nothing applied is unstored (store not
 * failing) and passes `throughSeq`, the seq through which the live document holds every entry
 * (it may hold later ones too: replaying them again on a load changes nothing). Several times
 * cheaper than replaying from the store, which matters because compaction blocks the event loop.
 */
export function compactLiveDoc(store: UpdateStore, docName: string, ydoc: Y.Doc, throughSeq: number, logLength: number): Promise<CompactionResult> {
  return writeCheckedSnapshot(store, docName, ydoc, throughSeq, logLength);
}

/**
 * Phase 3 of a compaction assembled off the event loop (SnapshotChecker.assemble, from the live
 * document's state in pieces): one transaction writes the snapshot, with the digest the worker
 * took, and deletes exactly the log entries through `throughSeq`. The pieces began as the stored
 * state through that seq and may also hold updates stored while they were made: those stay in the
 * log after the snapshot too, and Yjs applies what it already has as nothing, so the store still
 * replays to the live state. Null when skipped (another process compacted as far meanwhile).
 */
export async function writeAssembledSnapshot(store: UpdateStore, docName: string, assembled: { snapshot: Uint8Array; stateVector: Uint8Array; digest: Uint8Array; stored: EncodedSnapshot }, throughSeq: number, folded: number): Promise<CompactionReport | null> {
  if (!(await store.replaceLogWithSnapshot(docName, assembled.snapshot, assembled.stateVector, throughSeq, { digest: assembled.digest, encoded: assembled.stored }))) return null;
  return { docName, foldedUpdates: folded, snapshotBytes: assembled.snapshot.byteLength };
}
