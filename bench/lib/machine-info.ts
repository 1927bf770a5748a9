import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The project root (two levels above bench/lib). */
export const PROJECT_ROOT = path.resolve(import.meta.dirname, '..', '..');

/** The packages whose versions every result records. */
export const RECORDED_PACKAGES = ['yjs', 'ws', 'better-sqlite3', 'y-websocket', 'y-protocols', '@y/websocket-server'] as const;

/** The machine a result was measured on. */
export interface MachineInfo {
  cpus: number;
  model: string;
  os: string;
}

/** Returns the core count, CPU model and operating system of this machine. */
export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return { cpus: cpus.length, model: cpus[0]?.model.trim() ?? 'unknown', os: `${os.type()} ${os.release()} ${os.arch()}` };
}

/** Returns the installed version of each recorded package (from node_modules), or "missing". */
export function packageVersions(): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const name of RECORDED_PACKAGES) {
    try {
      const manifest = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string };
      versions[name] = manifest.version;
    } catch {
      versions[name] = 'missing';
    }
  }
  return versions;
}

/** Returns `git rev-parse HEAD` of the project, plus `-dirty` when the work tree has changes; "unknown" outside git. */
export function gitCommit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim() !== '';
    return dirty ? `${head}-dirty` : head;
  } catch {
    return 'unknown';
  }
}

/** Returns the 1-minute load average, rounded to two decimals: other work on a 2-core machine skews every figure. */
export function loadAverage(): number {
  return Math.round((os.loadavg()[0] ?? 0) * 100) / 100;
}
