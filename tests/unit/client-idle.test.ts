import { afterEach, describe, expect, it, vi } from 'vitest';
import { whenIdle } from '../../client/app/idle.ts';

describe('whenIdle', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('runs the task on a timer where the browser has no requestIdleCallback', () => {
    vi.useFakeTimers();
    vi.stubGlobal('requestIdleCallback', undefined);
    const task = vi.fn();
    whenIdle(task, 2000);
    expect(task).not.toHaveBeenCalled();
    vi.advanceTimersByTime(50);
    expect(task).toHaveBeenCalledOnce();
  });

  it('waits for idleness (at most the timeout) where the browser has it, and can be cancelled', () => {
    const calls: { timeout?: number }[] = [];
    const cancelled: number[] = [];
    vi.stubGlobal('requestIdleCallback', (callback: () => void, options: { timeout?: number }) => {
      calls.push(options);
      callback();
      return 7;
    });
    vi.stubGlobal('cancelIdleCallback', (handle: number) => cancelled.push(handle));
    const task = vi.fn();
    const cancel = whenIdle(task, 2000);
    expect(task).toHaveBeenCalledOnce();
    expect(calls).toEqual([{ timeout: 2000 }]);
    cancel();
    expect(cancelled).toEqual([7]);
  });
});
