import type * as Y from 'yjs';
import { replayStoredDoc } from './doc-replay.ts';
import type { FailedEntry } from './doc-replay.ts';
import { verifyStoredDoc } from './store-integrity.ts';
import type { UpdateStore } from './update-store.ts';

/** A document read from the store and verified, with what it could not take. */
export interface VerifiedDoc {
  ydoc: Y.Doc;
  /** Damage found (issue 14, P5): entries failing their checksum were left out, gaps noted. */
  damage: string[];
  /** Intact entries that did not load (P1), left out: to be quarantined by the server. */
  failed: FailedEntry[];
}

/**
 * Reads, verifies and rebuilds one document as the server loads it, for readers outside the
 * collaboration server (exports and imports in worker threads, CLIs). Nothing is written: entries
 * that do not load are only reported. Fails when the snapshot is damaged or does not load.
 */
export async function readVerifiedDoc(store: UpdateStore, docName: string): Promise<{ ok: true; value: VerifiedDoc } | { ok: false; error: string; damage: string[] }> {
  const stored = await store.loadDoc(docName);
  const integrity = verifyStoredDoc(docName, stored);
  if (integrity.snapshotCorrupt) return { ok: false, error: `stored state damaged: ${integrity.damage.join('; ')}`, damage: integrity.damage };
  const replayed = replayStoredDoc(stored, { skip: integrity.corruptEntries });
  if (!replayed.ok) return { ok: false, error: replayed.error, damage: integrity.damage };
  return { ok: true, value: { ydoc: replayed.value, damage: integrity.damage, failed: replayed.failed } };
}
