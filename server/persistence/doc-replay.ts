import * as Y from 'yjs';
import type { StoredDoc } from './update-store.ts';

/** The typed origin of transactions that rebuild a document from its store. */
export const REPLAY_ORIGIN = { kind: 'replay' } as const;

/** A stored log entry that did not load, by its index in `StoredDoc.updates`. */
export interface FailedEntry {
  index: number;
  /** Its seq in the document's log (null for entries written before seqs existed). */
  seq: number | null;
  error: string;
}

/**
 * A rebuilt document and the log entries left out of it (those that threw, and those the caller
 * asked to skip are not listed), or why nothing could be rebuilt.
 */
export type ReplayResult = { ok: true; value: Y.Doc; failed: FailedEntry[] } | { ok: false; error: string };

/** Options of a replay. */
export interface ReplayOptions {
  /** Indexes of entries not to apply (their bytes failed their checksum). */
  skip?: ReadonlySet<number>;
  /** How many entries may fail before the whole document is given up; default 100. */
  maxFailed?: number;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Rebuilds a document from its snapshot and log. Never throws for bad stored bytes. Blobs are
 * applied in one transaction without a separate decoding pass (every update was decoded and
 * applied once before it was stored; decoding twice doubles the load time). An entry that throws
 * (or is empty: yjs #498) does not take the rest with it (issue 14, P1): the replay starts again
 * without it (Yjs may have applied part of it), and it is listed in `failed` for the caller to
 * quarantine and report. A snapshot that throws fails the whole replay: everything after it
 * builds on it.
 */
export function replayStoredDoc(stored: StoredDoc, options: ReplayOptions = {}): ReplayResult {
  const failed: FailedEntry[] = [];
  const left = new Set(options.skip ?? []);
  const maxFailed = options.maxFailed ?? 100;
  for (;;) {
    const ydoc = new Y.Doc({ gc: true });
    let current = -1;
    try {
      ydoc.transact(() => {
        if (stored.snapshot) Y.applyUpdate(ydoc, stored.snapshot, REPLAY_ORIGIN);
        for (current = 0; current < stored.updates.length; current++) {
          if (left.has(current)) continue;
          const blob = stored.updates[current] as Uint8Array;
          // An empty buffer used to hang the decoder (yjs #498).
          if (blob.byteLength === 0) throw new Error('empty update');
          Y.applyUpdate(ydoc, blob, REPLAY_ORIGIN);
        }
      }, REPLAY_ORIGIN);
      return { ok: true, value: ydoc, failed };
    } catch (error) {
      ydoc.destroy();
      if (current < 0) return { ok: false, error: `stored snapshot does not load: ${message(error)}` };
      if (current >= stored.updates.length) return { ok: false, error: `the stored state does not load: ${message(error)}` };
      failed.push({ index: current, seq: stored.seqs[current] ?? null, error: message(error) });
      left.add(current);
      if (failed.length > maxFailed) return { ok: false, error: `more than ${maxFailed} stored log entries do not load; the first: ${failed[0]!.error}` };
    }
  }
}

/** Returns whether two encoded state vectors name the same clocks for the same clients. */
export function sameStateVector(a: Uint8Array, b: Uint8Array): boolean {
  const left = Y.decodeStateVector(a);
  const right = Y.decodeStateVector(b);
  if (left.size !== right.size) return false;
  for (const [client, clock] of left) if (right.get(client) !== clock) return false;
  return true;
}
