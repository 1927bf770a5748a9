import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess, StdioOptions } from 'node:child_process';
import os from 'node:os';
import { PROJECT_ROOT } from './machine-info.ts';

/** The core the server under test runs on, when pinning is possible. */
export const SERVER_CORE = 1;
/** The core the load generator (and the scenario's coordinator) run on. */
export const LOAD_CORE = 0;

let tasksetChecked: boolean | null = null;

/** Whether processes can be pinned: `taskset` runs here and the machine has at least two cores. */
export function pinningAvailable(): boolean {
  if (tasksetChecked === null) {
    const probe = spawnSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' });
    tasksetChecked = probe.status === 0 && os.cpus().length >= 2;
  }
  return tasksetChecked;
}

/**
 * Lets this process, and what it starts from now on without a core of its own, run on every
 * core: `bench/run.ts` pins each scenario to the load core, and children inherit that affinity,
 * so a scenario whose servers and engines are meant to be unpinned must widen it first.
 */
export function unpinThisProcess(): void {
  if (!pinningAvailable()) return;
  spawnSync('taskset', ['-a', '-p', '-c', `0-${os.cpus().length - 1}`, String(process.pid)], { stdio: 'ignore' });
}

/** How to start one Node process for a benchmark. */
export interface NodeLaunch {
  /** The core to pin it to (`taskset -c`), or null for none; ignored where pinning is impossible. */
  core: number | null;
  /** Arguments after the node executable: flags, the script, its arguments. */
  args: string[];
  env?: Record<string, string>;
  /** Opens an IPC channel (`process.send` in the child); it survives `taskset`, which execs node. */
  ipc?: boolean;
  /** Pipes stdout/stderr to the parent (to parse a banner) instead of inheriting them. */
  captureOutput?: boolean;
  /** The working directory (another checkout, for before/after figures); default the project root. */
  cwd?: string;
}

/** A launched process and everything it printed so far (when captured). */
export interface LaunchedProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (null after a signal) once the process has ended. */
  exited: Promise<number | null>;
}

/** Starts `node <args>` from the project root (or `cwd`), pinned to `core` with taskset when possible. */
export function launchNode(launch: NodeLaunch): LaunchedProcess {
  const pinned = launch.core !== null && pinningAvailable();
  const command = pinned ? 'taskset' : process.execPath;
  const args = pinned ? ['-c', String(launch.core), process.execPath, ...launch.args] : launch.args;
  const io = launch.captureOutput ? 'pipe' : 'inherit';
  const stdio: StdioOptions = launch.ipc ? ['ignore', io, io, 'ipc'] : ['ignore', io, io];
  const child = spawn(command, args, { cwd: launch.cwd ?? PROJECT_ROOT, env: { ...process.env, ...launch.env }, stdio });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Resolves with the first match of `pattern` in the process's output; rejects if it exits or `timeoutMs` passes. */
export function waitForOutput(launched: LaunchedProcess, pattern: RegExp, timeoutMs = 30_000): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const match = pattern.exec(launched.output());
      if (match) finish(() => resolve(match));
      return match !== null;
    };
    const onData = (): void => void check();
    const timer = setTimeout(() => finish(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${launched.output()}`))), timeoutMs);
    const finish = (settle: () => void): void => {
      clearTimeout(timer);
      launched.child.stdout?.off('data', onData);
      launched.child.stderr?.off('data', onData);
      settle();
    };
    launched.child.stdout?.on('data', onData);
    launched.child.stderr?.on('data', onData);
    void launched.exited.then((code) => finish(() => reject(new Error(`process exited (code ${code}) before printing ${pattern}:\n${launched.output()}`))));
    check();
  });
}

/** Stops a process: `signal`, then SIGKILL if it has not exited after `graceMs`. */
export async function stopProcess(launched: LaunchedProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
  if (launched.child.exitCode !== null || launched.child.signalCode !== null) return;
  launched.child.kill(signal);
  const timer = setTimeout(() => launched.child.kill('SIGKILL'), graceMs);
  await launched.exited;
  clearTimeout(timer);
}

/** Runs a launched process to its end; after `timeoutMs` it is stopped (SIGTERM, then SIGKILL) and null returned. */
export async function runToCompletion(launched: LaunchedProcess, timeoutMs: number): Promise<number | null> {
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void stopProcess(launched, 'SIGTERM', 5000);
  }, timeoutMs);
  const code = await launched.exited;
  clearTimeout(timer);
  return timedOut ? null : code;
}
