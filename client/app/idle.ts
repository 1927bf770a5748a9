/**
 * Runs `task` when the browser is idle, or after `timeoutMs` at the latest. Browsers without
 * `requestIdleCallback` (Safari before 18) run it on a timer a frame later instead, so the task
 * still runs, just without waiting for idleness. Returns a function that cancels it.
 */
export function whenIdle(task: () => void, timeoutMs: number): () => void {
  if (typeof requestIdleCallback === 'function') {
    const handle = requestIdleCallback(() => task(), { timeout: timeoutMs });
    return () => cancelIdleCallback(handle);
  }
  const timer = setTimeout(task, Math.min(timeoutMs, 50));
  return () => clearTimeout(timer);
}
