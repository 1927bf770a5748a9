import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { SNAPSHOT_BROTLI_QUALITY } from './snapshot-encoding.ts';
import type { EncodedSnapshot } from './snapshot-encoding.ts';

/**
 * A snapshot assembled from pieces of a live document's state, checked, with its state vector,
 * digest and the compressed bytes to store (`stored`, snapshot-encoding.ts).
 */
export type AssembledSnapshot = { ok: true; snapshot: Uint8Array; stateVector: Uint8Array; digest: Uint8Array; stored: EncodedSnapshot } | { ok: false; error: string };

// The worker's body: assemble the pieces into one snapshot, decode it into a fresh Y.Doc (the
// check), take its state vector and SHA-256 digest, and compress it for the store as
// snapshot-encoding.ts does (brotli, the quality passed in). Plain CommonJS run with `eval`, so it
// needs no TypeScript loader in any host (server process, tests, the built server); Yjs is
// required by the absolute path resolved here.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const zlib = require('node:zlib');
const Y = require(workerData.yjs);
// Compaction is housekeeping: at the lowest priority (a thread's own on Linux) this thread takes
// the CPU only when the event loop's thread does not want it.
try { require('node:os').setPriority(0, 19); } catch {}
parentPort.on('message', ({ id, pieces }) => {
  const doc = new Y.Doc();
  try {
    // One update from the pieces, decoded again as the check; nothing may wait for a dependency.
    const merged = Y.mergeUpdates(pieces);
    Y.applyUpdate(doc, merged);
    if (doc.store.pendingStructs || doc.store.pendingDs) throw new Error('the pieces leave structs waiting for missing dependencies');
    const digest = new Uint8Array(createHash('sha256').update(merged).digest());
    const params = { [zlib.constants.BROTLI_PARAM_QUALITY]: workerData.brotliQuality, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: merged.byteLength };
    // Copied out of the Buffer, which may share a pooled ArrayBuffer, so that it can be moved.
    const stored = new Uint8Array(zlib.brotliCompressSync(merged, { params }));
    parentPort.postMessage({ id, ok: true, snapshot: merged, stateVector: Y.encodeStateVector(doc), digest, stored }, [merged.buffer, stored.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, ok: false, error: 'snapshot check failed: ' + (error && error.message ? error.message : String(error)) });
  } finally {
    doc.destroy();
  }
});
`;

/**
 * Checks snapshots in a worker thread, and assembles them there from pieces of a live document's
 * state: decoding a room's snapshot again (the check compaction makes before it replaces the log)
 * took ~90 ms of the event loop for 2,000 annotations, more for larger rooms; in the worker it
 * costs the loop nothing. One worker, started on first use, handles one request at a time in order.
 */
export class SnapshotChecker {
  #worker: Worker | null = null;
  #nextId = 1;
  readonly #waiting = new Map<number, (result: AssembledSnapshot) => void>();

  /**
   * Resolves with one snapshot assembled from `pieces` (the state of a live document sent in
   * pieces, `stateAsUpdateChunks`), decoded again as the check, with its state vector and SHA-256
   * digest: all of it in the worker, so that a compaction costs the event loop only the pieces.
   */
  assemble(pieces: Uint8Array[]): Promise<AssembledSnapshot> {
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#waiting.set(id, resolve);
      // Moved, not copied, where a piece owns its buffer (20 MB at 50,000 annotations).
      const owned = pieces.filter((piece) => piece.byteOffset === 0 && piece.byteLength === piece.buffer.byteLength).map((piece) => piece.buffer as ArrayBuffer);
      this.#start().postMessage({ id, pieces }, owned);
    });
  }

  /** Stops the worker; pending checks fail (their logs stay as they were). */
  close(): void {
    void this.#worker?.terminate();
    this.#worker = null;
    this.#failAll('the snapshot checker was stopped');
  }

  #start(): Worker {
    if (this.#worker) return this.#worker;
    const yjs = createRequire(import.meta.url).resolve('yjs');
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { yjs, brotliQuality: SNAPSHOT_BROTLI_QUALITY } });
    type Reply = { id: number; ok: boolean; error?: string; snapshot?: Uint8Array; stateVector?: Uint8Array; digest?: Uint8Array; stored?: Uint8Array };
    worker.on('message', ({ id, ok, error, snapshot, stateVector, digest, stored }: Reply) => {
      this.#waiting.get(id)?.(
        ok && snapshot && stateVector && digest && stored ? { ok: true, snapshot, stateVector, digest, stored: { bytes: stored, encoding: 'brotli' } } : { ok: false, error: error ?? 'snapshot check failed' },
      );
      this.#waiting.delete(id);
    });
    worker.on('error', (error) => this.#failAll(`the snapshot checker failed: ${error.message}`));
    worker.on('exit', () => {
      if (this.#worker === worker) this.#worker = null;
      this.#failAll('the snapshot checker exited');
    });
    // Compaction is housekeeping: it must not keep a stopping process alive.
    worker.unref();
    this.#worker = worker;
    return worker;
  }

  #failAll(error: string): void {
    for (const resolve of this.#waiting.values()) resolve({ ok: false, error });
    this.#waiting.clear();
  }
}
