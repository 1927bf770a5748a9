import { closeSync, fdatasync, fstatSync, openSync, statSync } from 'node:fs';

/**
 * How often at most the WAL is synced. Each fsync costs ~1 ms of CPU (the kernel's journal work,
 * on this machine's virtual disk) on the server's core; within this window every commit shares
 * one. Only acknowledgements ("saved") wait for it, never the relay.
 */
export const WAL_SYNC_INTERVAL_MS = 50;

/** The next fsync: requested, not yet started. */
interface PendingSync {
  promise: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
  timer: NodeJS.Timeout | null;
}

/**
 * Makes the SQLite write-ahead log durable off the event loop.
 *
 * Why: with `synchronous = FULL` every group commit fsyncs the WAL inside `COMMIT`, on the event
 * loop, between storing an update and relaying it (~1–2 ms each on this class of disk, longer
 * under load). Instead, the update log is written through a connection with `synchronous =
 * NORMAL` (the commit reaches the WAL in the OS page cache: it survives a killed process, so
 * relaying right after it keeps "stored before relayed"), and this class fsyncs the WAL file
 * in the libuv thread pool before the server acknowledges anything as stored. An fsync of the
 * WAL after a commit is what FULL does inside the commit, so an acknowledged update survives a
 * power loss exactly as before; only the relay no longer waits for the disk.
 *
 * Requests share fsyncs (group fsync): one runs at a time, at most one starts per
 * `intervalMs`, and every request made before it starts is answered by it.
 */
export class WalSync {
  readonly #walPath: string;
  readonly #intervalMs: number;
  #fd: number | null = null;
  #running: Promise<void> | null = null;
  #pending: PendingSync | null = null;
  #lastStart = Number.NEGATIVE_INFINITY;

  /** `walPath` is the database file's path plus `-wal`. */
  constructor(walPath: string, intervalMs = WAL_SYNC_INTERVAL_MS) {
    this.#walPath = walPath;
    this.#intervalMs = intervalMs;
  }

  /** Resolves once everything written to the WAL before this call is on disk; rejects if the fsync fails. */
  sync(): Promise<void> {
    if (!this.#pending) {
      let resolve!: () => void;
      let reject!: (error: unknown) => void;
      const promise = new Promise<void>((yes, no) => ((resolve = yes), (reject = no)));
      this.#pending = { promise, resolve, reject, timer: null };
      this.#arm();
    }
    return this.#pending.promise;
  }

  /** Runs the pending fsync at once, waits for it, then closes the file. */
  async close(): Promise<void> {
    if (this.#pending?.timer) {
      clearTimeout(this.#pending.timer);
      this.#start();
    }
    await Promise.allSettled([this.#running, this.#pending?.promise]);
    if (this.#fd !== null) closeSync(this.#fd);
    this.#fd = null;
  }

  /** Schedules the pending fsync: after the running one, and no sooner than `intervalMs` after the last start. */
  #arm(): void {
    const pending = this.#pending;
    if (!pending || pending.timer || this.#running) return;
    const wait = Math.max(0, this.#lastStart + this.#intervalMs - performance.now());
    pending.timer = setTimeout(() => this.#start(), wait);
  }

  #start(): void {
    const pending = this.#pending;
    if (!pending) return;
    this.#pending = null;
    this.#lastStart = performance.now();
    this.#running = this.#fsync()
      .then(pending.resolve, pending.reject)
      .finally(() => {
        this.#running = null;
        this.#arm();
      });
  }

  /** The WAL's descriptor, reopened if SQLite replaced the file since it was opened. */
  #walFd(): number {
    if (this.#fd !== null && fstatSync(this.#fd).ino !== statSync(this.#walPath).ino) {
      closeSync(this.#fd);
      this.#fd = null;
    }
    this.#fd ??= openSync(this.#walPath, 'r');
    return this.#fd;
  }

  #fsync(): Promise<void> {
    return new Promise((resolve, reject) => {
      let fd: number;
      try {
        fd = this.#walFd();
      } catch (error) {
        return reject(error);
      }
      // fdatasync, as SQLite itself syncs: the data and the file size, not the timestamps.
      fdatasync(fd, (error) => (error ? reject(error) : resolve()));
    });
  }
}
