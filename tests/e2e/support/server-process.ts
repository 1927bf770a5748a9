import { spawn, execFileSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** The project root (two levels above tests/e2e/support). */
export const projectRoot = path.resolve(import.meta.dirname, '../../..');

/** A real Apparatus server process started for browser tests or screenshots. */
export interface ServerProcess {
  baseUrl: string;
  adminToken: string;
  dataDir: string;
  /** The first-start setup link the server printed (null once an administrator exists). */
  setupUrl: string | null;
  /** Everything the process printed so far (its log). */
  output(): string;
  /** Stops the process (SIGTERM) and deletes DATA_DIR unless `keepData`. */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

/** Where a server process listens and keeps its data; fresh ones by default. */
export interface ServerProcessOptions {
  /** A port to listen on (a restart reuses its predecessor's); a free one by default. */
  port?: number;
  /** The DATA_DIR (a restart reuses its predecessor's); a new temporary one by default. */
  dataDir?: string;
  adminToken?: string;
}

/** The invite tokens of a room, one per role. */
export interface RoomInvites {
  owner: string;
  reviewer: string;
  annotator: string;
  viewer: string;
}

/** Builds the browser client into dist/client (the server serves it from there). */
export function buildClient(): void {
  execFileSync(process.execPath, ['scripts/build-client.mjs'], { cwd: projectRoot, stdio: 'inherit' });
}

/** Asks the OS for a free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Resolves with what the server printed once its banner (up to the admin token line) is out;
 * everything it prints, then and later, also goes to `record`.
 */
function waitForListening(child: ChildProcess, timeoutMs: number, record: (chunk: string) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`server did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      record(chunk.toString());
      if (output.includes('Apparatus listening on') && output.includes('Admin token')) {
        clearTimeout(timer);
        resolve(output);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      record(chunk.toString());
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output}`));
    });
  });
}

/**
 * Starts `node --import tsx server/main.ts` on a free port (or `options.port`) with a temporary
 * DATA_DIR (or `options.dataDir`) and a known admin token, and resolves once it listens. Its
 * output is kept (`output()`): specs read the server's log from it.
 */
export async function startServerProcess(options: ServerProcessOptions = {}): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'apparatus-e2e-'));
  const adminToken = options.adminToken ?? `e2e-admin-${Math.random().toString(36).slice(2)}-token`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: projectRoot,
    // Idle rooms unload after 2 s (not 30), so that specs meet the cold path of a room everyone left.
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, ADMIN_TOKEN: adminToken, IDLE_UNLOAD_MS: '2000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  // Reading the output also keeps a chatty server from blocking on a full pipe.
  const banner = await waitForListening(child, 30_000, (chunk) => (output += chunk));
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    adminToken,
    dataDir,
    setupUrl: /create the administrator account[^:]*: (\S+)/.exec(banner)?.[1] ?? null,
    output: () => output,
    stop: ({ keepData = false } = {}) =>
      new Promise<void>((resolve) => {
        child.once('exit', () => {
          if (!keepData) rmSync(dataDir, { recursive: true, force: true });
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** The fixture chapter's text. */
export function fixtureChapter(): string {
  return readFileSync(path.join(projectRoot, 'fixtures/chapter-5.txt'), 'utf8');
}

/** Creates a room from `text` through the admin API and returns its invites. */
export async function createRoom(server: { baseUrl: string; adminToken: string }, id: string, title: string, text = fixtureChapter()): Promise<RoomInvites> {
  const response = await fetch(`${server.baseUrl}/api/rooms`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ id, title, text }),
  });
  if (response.status !== 201) throw new Error(`creating room ${id} failed: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { invites: RoomInvites };
  return body.invites;
}
