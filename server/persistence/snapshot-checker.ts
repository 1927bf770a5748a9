import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** The verdict of a snapshot check. */
export type SnapshotCheck = { ok: true } | { ok: false; error: string };

// The worker's body: decode the snapshot into a fresh Y.Doc and compare its state vector with
// the source's. Plain CommonJS run with `eval`, so it needs no TypeScript loader in any host
// (server process, tests); Yjs is required by the absolute path resolved here.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Y = require(workerData.yjs);
const sameVector = (a, b) => {
  const left = Y.decodeStateVector(a);
  const right = Y.decodeStateVector(b);
  if (left.size !== right.size) return false;
  for (const [client, clock] of left) if (right.get(client) !== clock) return false;
  return true;
};
parentPort.on('message', ({ id, snapshot, stateVector }) => {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, snapshot);
    const ok = sameVector(Y.encodeStateVector(doc), stateVector);
    parentPort.postMessage({ id, ok, error: ok ? null : 'snapshot check failed: decoded state vector differs from the source' });
  } catch (error) {
    parentPort.postMessage({ id, ok: false, error: 'snapshot check failed: ' + (error && error.message ? error.message : String(error)) });
  } finally {
    doc.destroy();
  }
});
`;

/**
 * Checks snapshots in a worker thread: decoding a room's snapshot again (the check compaction
 * makes before it replaces the log) took ~90 ms of the event loop for 2,000 annotations, more
 * for larger rooms; in the worker it costs the loop nothing. One worker, started on first use,
 * checks one snapshot at a time in order.
 */
export class SnapshotChecker {
  #worker: Worker | null = null;
  #nextId = 1;
  readonly #waiting = new Map<number, (check: SnapshotCheck) => void>();

  /** Resolves with whether `snapshot` decodes to a document whose state vector is `stateVector`. */
  check(snapshot: Uint8Array, stateVector: Uint8Array): Promise<SnapshotCheck> {
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#waiting.set(id, resolve);
      this.#start().postMessage({ id, snapshot, stateVector });
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
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { yjs } });
    worker.on('message', ({ id, ok, error }: { id: number; ok: boolean; error: string | null }) => {
      this.#waiting.get(id)?.(ok ? { ok: true } : { ok: false, error: error ?? 'snapshot check failed' });
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
