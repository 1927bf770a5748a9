import * as Y from 'yjs';
import type { StoredDoc } from './update-store.ts';

/** The typed origin of transactions that rebuild a document from its store. */
export const REPLAY_ORIGIN = { kind: 'replay' } as const;

/** A rebuilt document, or why the stored bytes could not be turned into one. */
export type ReplayResult = { ok: true; value: Y.Doc } | { ok: false; error: string };

/** Names a stored blob in messages: the snapshot or a 1-based log entry. */
function blobName(stored: StoredDoc, index: number): string {
  if (stored.snapshot) return index === 0 ? 'snapshot' : `log entry ${index}`;
  return `log entry ${index + 1}`;
}

/**
 * Rebuilds a document from its snapshot and log. Never throws for bad stored bytes: the caller
 * refuses the room and leaves the store untouched. Blobs are applied without a separate
 * decoding pass (every update was decoded once before it was stored, and decoding twice
 * doubles the load time); a blob that throws, or an empty one, names itself in the error.
 */
export function replayStoredDoc(stored: StoredDoc): ReplayResult {
  const blobs = stored.snapshot ? [stored.snapshot, ...stored.updates] : stored.updates;
  const ydoc = new Y.Doc({ gc: true });
  let index = 0;
  try {
    ydoc.transact(() => {
      for (; index < blobs.length; index++) {
        const blob = blobs[index] as Uint8Array;
        // An empty buffer used to hang the decoder (yjs #498).
        if (blob.byteLength === 0) throw new Error('empty update');
        Y.applyUpdate(ydoc, blob, REPLAY_ORIGIN);
      }
    }, REPLAY_ORIGIN);
    return { ok: true, value: ydoc };
  } catch (error) {
    ydoc.destroy();
    return { ok: false, error: `stored ${blobName(stored, index)} does not load: ${error instanceof Error ? error.message : String(error)}` };
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
