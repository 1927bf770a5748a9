import { closeSync, fdatasync, fstatSync, openSync, statSync } from 'node:fs';

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
 * Concurrent requests share fsyncs: one runs at a time, and every request made while it runs
 * is answered by the next one (group fsync).
 */
export class WalSync {
  readonly #walPath: string;
  #fd: number | null = null;
  #running: Promise<void> | null = null;
  #queued: Promise<void> | null = null;

  /** `walPath` is the database file's path plus `-wal`. */
  constructor(walPath: string) {
    this.#walPath = walPath;
  }

  /** Resolves once everything written to the WAL before this call is on disk; rejects if the fsync fails. */
  sync(): Promise<void> {
    if (!this.#running) {
      this.#running = this.#fsync().finally(() => (this.#running = null));
      return this.#running;
    }
    // Writes made while an fsync runs may have missed it: they wait for the next one.
    this.#queued ??= this.#running
      .catch(() => undefined)
      .then(() => {
        this.#queued = null;
        return this.sync();
      });
    return this.#queued;
  }

  /** Waits for a running fsync, then closes the file. */
  async close(): Promise<void> {
    await Promise.allSettled([this.#running, this.#queued]);
    if (this.#fd !== null) closeSync(this.#fd);
    this.#fd = null;
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
