import type { ChildProcess } from 'node:child_process';

/**
 * Sends `message` to a child over IPC and resolves with its first reply of type `expected`;
 * rejects on a reply of type `error`, on exit, or after `timeoutMs`.
 */
export function ipcRequest<Reply extends { type: string }>(child: ChildProcess, message: unknown, expected: Reply['type'], timeoutMs: number): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const onMessage = (reply: Reply & { message?: string }): void => {
      if (reply?.type === 'error') {
        cleanup();
        reject(new Error(`child failed: ${reply.message}`));
      } else if (reply?.type === expected) {
        cleanup();
        resolve(reply);
      }
    };
    const onExit = (code: number | null): void => {
      cleanup();
      reject(new Error(`child exited (code ${code}) while waiting for "${expected}"`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no "${expected}" reply within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('message', onMessage);
    child.on('exit', onExit);
    child.send(message as object);
  });
}
