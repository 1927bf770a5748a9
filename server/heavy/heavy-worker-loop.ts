// The message loop of a heavy-work thread (heavy-work.ts): messages in {id, job}; out
// {id, ok: true, outcome} or {id, ok: false, error}. Started by heavy-worker.mjs when the server
// runs from source, and built as dist/heavy-worker.mjs beside the built server
// (scripts/build-server.mjs), which heavy-work.ts finds at the same relative path.
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { runHeavyJob, transferablesOf } from './heavy-jobs.ts';
import type { HeavyJob } from './heavy-jobs.ts';

// Heavy work is what may wait: at the lowest priority this thread (on Linux the nice value is a
// thread's own) takes the CPU only when the event loop's thread does not want it, so an export or
// an import on a busy core no longer stretches the loop's turns (issue 20, busy room).
try {
  setPriority(0, 19);
} catch {
  // Not permitted or not supported here: the work runs at normal priority.
}

const port = parentPort!;
port.on('message', async ({ id, job }: { id: number; job: HeavyJob }) => {
  try {
    const outcome = await runHeavyJob(job);
    port.postMessage({ id, ok: true, outcome }, transferablesOf(outcome));
  } catch (error) {
    port.postMessage({ id, ok: false, error: error instanceof Error ? error.message : String(error) });
  }
});
port.postMessage({ ready: true });
