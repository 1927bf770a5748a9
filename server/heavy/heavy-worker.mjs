// The entry of a heavy-work thread (heavy-work.ts). Plain JavaScript, so that it starts in any
// host: it registers the TypeScript loader the server runs with (tsx), then loads the jobs.
// Messages in: {id, job}; out: {id, ok: true, outcome} or {id, ok: false, error}.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { runHeavyJob, transferablesOf } = await import('./heavy-jobs.ts');

parentPort.on('message', async ({ id, job }) => {
  try {
    const outcome = await runHeavyJob(job);
    parentPort.postMessage({ id, ok: true, outcome }, transferablesOf(outcome));
  } catch (error) {
    parentPort.postMessage({ id, ok: false, error: error instanceof Error ? error.message : String(error) });
  }
});
parentPort.postMessage({ ready: true });
