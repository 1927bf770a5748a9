import { Worker } from 'node:worker_threads';
import type { Logger } from '../logger.ts';
import type { ExportJob, ExportOutcome, HeavyJob, HeavyOutcome, ImportJob, ImportOutcome, RoomJob, RoomOutcome, UploadJob, UploadOutcome } from './heavy-jobs.ts';

/**
 * Runs the heavy work of the HTTP API (imports, exports, chapter imports: heavy-jobs.ts) in
 * worker threads, so that `/healthz` and live rooms keep answering meanwhile (issue 14, P4). A
 * dry-run import of 30,000 annotations held the event loop for over two seconds; here it holds
 * a worker's.
 *
 * Limits: each user has at most `perUser` requests admitted (running, or waiting for a worker or
 * for an earlier import into the same room; more are refused, HTTP 429), and at most
 * `maxQueued` wait in all (more: 503), so nobody can queue work for everyone else without end.
 * Workers start on first use; a worker that dies fails its job and is replaced.
 */

/** The limits of the pool. */
export interface HeavyWorkOptions {
  /** Worker threads (the machine's other cores). */
  workers: number;
  /** Jobs one user may have running or waiting at once. */
  perUser: number;
  /** Jobs that may wait for a worker, over all users. */
  maxQueued: number;
  log: Logger;
}

/** A job refused by the limits: why, and the HTTP status that says so. */
export class HeavyWorkRefusal extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

interface QueuedJob {
  id: number;
  job: HeavyJob;
  resolve(outcome: HeavyOutcome): void;
  reject(error: Error): void;
}

/** An admitted request: counted against its user's limit until released. */
export interface HeavyTicket {
  readonly owner: string;
  release(): void;
}

interface PoolWorker {
  worker: Worker;
  ready: Promise<void>;
  busy: QueuedJob | null;
}

const WORKER_ENTRY = new URL('./heavy-worker.mjs', import.meta.url);

/** The request body of a job, transferred to the worker rather than copied when it owns its buffer. */
function jobTransferables(job: HeavyJob): ArrayBuffer[] {
  if (job.kind === 'export') return [];
  const body = job.kind === 'upload' ? job.bytes : job.body;
  return body.byteOffset === 0 && body.byteLength === body.buffer.byteLength ? [body.buffer as ArrayBuffer] : [];
}

/** The pool of one server. */
export class HeavyWork {
  readonly #options: HeavyWorkOptions;
  readonly #workers: PoolWorker[] = [];
  readonly #queue: QueuedJob[] = [];
  readonly #perOwner = new Map<string, number>();
  #admitted = 0;
  #nextId = 1;
  #closed = false;

  constructor(options: HeavyWorkOptions) {
    this.#options = options;
  }

  /**
   * Admits a request of `owner` (a user id), counting it against the limits until the ticket is
   * released; throws a HeavyWorkRefusal when over them. For requests that wait before their job
   * runs (imports queue per room); the others use `runExport`/`runRoom`.
   */
  admit(owner: string): HeavyTicket {
    if (this.#closed) throw new HeavyWorkRefusal(503, 'the server is shutting down');
    const mine = this.#perOwner.get(owner) ?? 0;
    if (mine >= this.#options.perUser) {
      throw new HeavyWorkRefusal(429, `you already have ${mine} import${mine === 1 ? '' : 's'} or export${mine === 1 ? '' : 's'} running; wait for ${mine === 1 ? 'it' : 'them'} to finish`);
    }
    if (this.#admitted >= this.#options.maxQueued + this.#options.workers) throw new HeavyWorkRefusal(503, 'the server is busy with other imports and exports; try again in a moment');
    this.#perOwner.set(owner, mine + 1);
    this.#admitted++;
    let released = false;
    return {
      owner,
      release: () => {
        if (released) return;
        released = true;
        this.#admitted--;
        const left = (this.#perOwner.get(owner) ?? 1) - 1;
        if (left <= 0) this.#perOwner.delete(owner);
        else this.#perOwner.set(owner, left);
      },
    };
  }

  /** Runs an import for an admitted request (the caller releases its ticket). */
  runImport(_ticket: HeavyTicket, job: Omit<ImportJob, 'kind'>): Promise<ImportOutcome> {
    return this.#run({ kind: 'import', ...job }) as Promise<ImportOutcome>;
  }

  /** Builds an export for `owner`; rejects with a HeavyWorkRefusal over the limits. */
  runExport(owner: string, job: Omit<ExportJob, 'kind'>): Promise<ExportOutcome> {
    return this.#admitAndRun(owner, { kind: 'export', ...job }) as Promise<ExportOutcome>;
  }

  /** Imports a seminar's chapter file for `owner`; rejects over the limits. */
  runUpload(owner: string, job: Omit<UploadJob, 'kind'>): Promise<UploadOutcome> {
    return this.#admitAndRun(owner, { kind: 'upload', ...job }) as Promise<UploadOutcome>;
  }

  /** Prepares a room from a creation request's body, for `owner`; rejects over the limits. */
  runRoom(owner: string, job: Omit<RoomJob, 'kind'>): Promise<RoomOutcome> {
    return this.#admitAndRun(owner, { kind: 'room', ...job }) as Promise<RoomOutcome>;
  }

  /** Jobs running or waiting now (figures, tests). */
  get load(): { running: number; queued: number } {
    return { running: this.#workers.filter((w) => w.busy).length, queued: this.#queue.length };
  }

  async #admitAndRun(owner: string, job: HeavyJob): Promise<HeavyOutcome> {
    const ticket = this.admit(owner);
    try {
      return await this.#run(job);
    } finally {
      ticket.release();
    }
  }

  #run(job: HeavyJob): Promise<HeavyOutcome> {
    if (this.#closed) return Promise.reject(new HeavyWorkRefusal(503, 'the server is shutting down'));
    return new Promise<HeavyOutcome>((resolve, reject) => {
      this.#queue.push({ id: this.#nextId++, job, resolve, reject });
      this.#dispatch();
    });
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      const idle = this.#workers.find((w) => !w.busy) ?? (this.#workers.length < this.#options.workers ? this.#spawn() : null);
      if (!idle) return;
      const queued = this.#queue.shift()!;
      idle.busy = queued;
      void idle.ready.then(() => idle.worker.postMessage({ id: queued.id, job: queued.job }, jobTransferables(queued.job)), (error: Error) => this.#finish(idle, { ok: false, error: error.message }));
    }
  }

  #spawn(): PoolWorker {
    // Not the process's flags (a preloaded module may be TypeScript): the entry registers tsx itself.
    const worker = new Worker(WORKER_ENTRY, { execArgv: [] });
    let markReady!: () => void;
    let failStart!: (error: Error) => void;
    const ready = new Promise<void>((resolve, reject) => ((markReady = resolve), (failStart = reject)));
    const entry: PoolWorker = { worker, ready, busy: null };
    worker.on('message', (message: { ready?: true; id?: number; ok?: boolean; outcome?: HeavyOutcome; error?: string }) => {
      if (message.ready) return markReady();
      this.#finish(entry, message.ok ? { ok: true, outcome: message.outcome! } : { ok: false, error: message.error ?? 'the job failed' });
    });
    worker.on('error', (error) => {
      this.#options.log.error('heavy.worker-failed', { error });
      failStart(error);
      this.#retire(entry, error.message);
    });
    worker.on('exit', (code) => this.#retire(entry, `the worker exited (code ${code})`));
    // Waiting for work must not keep a stopping process alive.
    worker.unref();
    this.#workers.push(entry);
    return entry;
  }

  #finish(entry: PoolWorker, result: { ok: true; outcome: HeavyOutcome } | { ok: false; error: string }): void {
    const job = entry.busy;
    entry.busy = null;
    if (job) {
      if (result.ok) job.resolve(result.outcome);
      else job.reject(new Error(result.error));
    }
    this.#dispatch();
  }

  /** Forgets a dead worker, failing its job; the next job starts a new one. */
  #retire(entry: PoolWorker, reason: string): void {
    const at = this.#workers.indexOf(entry);
    if (at < 0) return;
    this.#workers.splice(at, 1);
    if (entry.busy) this.#finish(entry, { ok: false, error: reason });
    else this.#dispatch();
  }

  /** Stops every worker; waiting and running jobs fail. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const queued of this.#queue.splice(0)) queued.reject(new HeavyWorkRefusal(503, 'the server is shutting down'));
    await Promise.all(this.#workers.map((entry) => entry.worker.terminate()));
  }
}
