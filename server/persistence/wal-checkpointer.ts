import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the checkpointer folds the write-ahead log into the database file. */
export const CHECKPOINT_INTERVAL_MS = 1000;

// The worker's body: its own connection to the database, a PASSIVE checkpoint every interval.
// Plain CommonJS run with `eval`, so that it needs no TypeScript loader in any host; the driver
// is required by the path resolved here (it is external to the built server).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
// Housekeeping: the lowest priority, so the event loop's thread always gets the core first.
try { require('node:os').setPriority(0, 19); } catch {}
const db = new Database(workerData.file, { fileMustExist: true });
// With NORMAL a checkpoint syncs the WAL before copying it and the database file after, so the
// WAL can only be reused once what it held is on disk in the database file.
db.pragma('synchronous = NORMAL');
db.pragma('wal_autocheckpoint = 0');
const checkpoint = () => {
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ type: 'checkpointed', log: result.log, checkpointed: result.checkpointed });
  } catch (error) {
    parentPort.postMessage({ type: 'failed', error: error && error.message ? error.message : String(error) });
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message === 'now') return checkpoint();
  if (message !== 'close') return;
  clearInterval(timer);
  db.close();
  parentPort.postMessage({ type: 'closed' });
  parentPort.close();
});
`;

/** What the last checkpoint did: WAL frames, and how many of them are in the database file. */
export interface CheckpointProgress {
  log: number;
  checkpointed: number;
}

/**
 * Moves SQLite's WAL checkpoints off the event loop. By default SQLite checkpoints inside the
 * commit that takes the WAL past 1,000 pages, on the connection that commits: the server's event
 * loop, which then copies the WAL into the database file and waits for two fsyncs. In a busy
 * room (200 clients, a compaction writing a snapshot of megabytes) those commits held the loop
 * for over 100 ms. The server's connections turn automatic checkpoints off
 * (`wal_autocheckpoint = 0`), and this worker thread checkpoints on a connection of its own,
 * PASSIVE (it never waits for or blocks a writer), every `intervalMs`. A checkpoint that finds
 * nothing new to copy does no I/O. Closing the database's last connection checkpoints it fully, as
 * before.
 */
export class WalCheckpointer {
  readonly #worker: Worker;
  readonly #onProblem: (error: string) => void;
  #last: CheckpointProgress | null = null;
  #waiters: Array<(progress: CheckpointProgress) => void> = [];
  #closed: Promise<void> | null = null;
  #exited = false;

  constructor(databaseFile: string, onProblem: (error: string) => void, intervalMs = CHECKPOINT_INTERVAL_MS) {
    this.#onProblem = onProblem;
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.#worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file: databaseFile, intervalMs } });
    this.#worker.on('message', (message: { type: string; log?: number; checkpointed?: number; error?: string }) => {
      if (message.type === 'failed') return this.#onProblem(message.error ?? 'checkpoint failed');
      if (message.type !== 'checkpointed') return;
      this.#last = { log: message.log ?? 0, checkpointed: message.checkpointed ?? 0 };
      const waiters = this.#waiters;
      this.#waiters = [];
      for (const resolve of waiters) resolve(this.#last);
    });
    this.#worker.on('error', (error) => this.#onProblem(`the checkpointer failed: ${error.message}`));
    this.#worker.on('exit', () => (this.#exited = true));
    // Housekeeping must not keep a stopping process alive.
    this.#worker.unref();
  }

  /** What the last checkpoint did, or null before the first. */
  get last(): CheckpointProgress | null {
    return this.#last;
  }

  /** Checkpoints now (in the worker); resolves with what that checkpoint did. */
  checkpointNow(): Promise<CheckpointProgress> {
    const done = new Promise<CheckpointProgress>((resolve) => this.#waiters.push(resolve));
    this.#worker.postMessage('now');
    return done;
  }

  /** Stops checkpointing and closes the worker's connection (before the server's own close). */
  close(): Promise<void> {
    this.#closed ??= new Promise<void>((resolve) => {
      if (this.#exited) return resolve();
      this.#worker.once('exit', () => resolve());
      // Held by the worker alone, the wait would not keep a stopping process alive until it ends.
      this.#worker.ref();
      this.#worker.postMessage('close');
    });
    return this.#closed;
  }
}
