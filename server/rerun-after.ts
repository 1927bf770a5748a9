/**
 * Wraps an asynchronous read-and-act (a sweep of sockets against the store, a read of the running
 * rounds) so that one runs at a time: a call while one runs asks for exactly one more run after
 * it (the running one may have read the store before the change that prompted the call) and gets
 * the running one's promise.
 */
export function rerunAfter<T>(run: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | null = null;
  let again = false;
  const call = (): Promise<T> => {
    if (running) {
      again = true;
      return running;
    }
    running = run().finally(() => {
      running = null;
      if (!again) return;
      again = false;
      void call().catch(() => undefined);
    });
    return running;
  };
  return call;
}
