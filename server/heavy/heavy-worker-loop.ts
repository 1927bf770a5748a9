// The message loop of a heavy-work thread (heavy-work.ts): messages in {id, job}; out
// {id, ok: true, outcome} or {id, ok: false, error}. Started by heavy-worker.mjs when the server
// runs from source, and built as dist/heavy-worker.mjs beside the built server
// (scripts/build-server.mjs), which heavy-work.ts finds at the same relative path.
import { parentPort } from 'node:worker_threads';
import { runHeavyJob, transferablesOf } from './heavy-jobs.ts';
import type { HeavyJob } from './heavy-jobs.ts';

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
