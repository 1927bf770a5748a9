import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { ROLES } from '../../schema/index.ts';
import type { Role } from '../../schema/index.ts';
import { createCollectingLogger, createConsoleLogger, openDatabase, replayStoredDoc, SqliteExecutor, startServer, UpdateStore } from '../../server/index.ts';
import type { CollectingLogger, RunningServer, StartServerOptions } from '../../server/index.ts';
import { SERVER_NODE_FLAGS } from '../../scripts/server-node-flags.ts';

/** One invite token per role. */
export type RoleTokens = Record<Role, string>;

/** An in-process server on port 0 with its own temporary DATA_DIR and an in-memory log. */
export interface TestServer extends RunningServer {
  dataDir: string;
  log: CollectingLogger;
  /** Invite tokens of the default room `chapter-5`. */
  invites: RoleTokens;
  /** Closes the server and deletes DATA_DIR (unless `keepData`). */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

const projectRoot = path.resolve(import.meta.dirname, '../..');

/** The fixture chapter's text. */
export const chapterText = readFileSync(path.join(projectRoot, 'fixtures/chapter-5.txt'), 'utf8');

/** Returns a fresh temporary directory for a server's DATA_DIR. */
export function makeDataDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'apparatus-test-'));
}

/**
 * Starts a server in this process on 127.0.0.1, port 0, with a temporary DATA_DIR (or the given
 * one, to restart on the same data). Logs are collected; set APPARATUS_TEST_LOG=1 to echo them.
 */
export async function startTestServer(options: StartServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? makeDataDir();
  const log = createCollectingLogger(process.env.APPARATUS_TEST_LOG ? createConsoleLogger() : undefined);
  const server = await startServer({ port: 0, host: '127.0.0.1', logger: log, ...options, dataDir });
  if (!server.defaultRoom) throw new Error('test server started without its default room');
  const invites = server.defaultRoom.invites;
  const stop = async ({ keepData = false } = {}) => {
    await server.close();
    if (!keepData) rmSync(dataDir, { recursive: true, force: true });
  };
  return Object.assign(server, { dataDir, log, invites, stop });
}

/** Creates a room through `POST /api/rooms` and returns its invite tokens; throws on any non-201. */
export async function createRoomViaApi(server: { url: string; adminToken: string }, id: string, text = chapterText): Promise<RoleTokens> {
  const response = await fetch(`${server.url}/api/rooms`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ id, title: `Room ${id}`, text }),
  });
  if (response.status !== 201) throw new Error(`creating room ${id}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { invites: RoleTokens }).invites;
}

/**
 * Reads a document straight from a DATA_DIR's database (the server may be stopped or killed),
 * replaying snapshot and log as the server would. Throws if the stored state does not load.
 */
export async function readStoredDoc(dataDir: string, docName: string): Promise<Y.Doc> {
  const db = openDatabase(dataDir, 'NORMAL');
  try {
    const replayed = replayStoredDoc(await new UpdateStore(new SqliteExecutor(db)).loadDoc(docName));
    if (!replayed.ok) throw new Error(replayed.error);
    return replayed.value;
  } finally {
    db.close();
  }
}

/** A server running as a child process (`npm start`'s command: the built server/main.ts), for kill -9 and SIGTERM. */
export interface ServerProcess {
  url: string;
  invites: RoleTokens;
  adminToken: string;
  dataDir: string;
  child: ChildProcessWithoutNullStreams;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** Resolves when the process exits, with its exit code (null after a signal) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Parses the start-up banner of server/main.ts; null until it is complete. */
function parseBanner(text: string): { url: string; adminToken: string; invites: RoleTokens } | null {
  const url = /Apparatus listening on (http:\/\/\S+)/.exec(text)?.[1];
  const adminToken = /Admin token[^:]*: (\S+)/.exec(text)?.[1];
  const invites: Partial<RoleTokens> = {};
  for (const role of ROLES) {
    const token = new RegExp(`^\\s+${role}\\s+\\S+\\?invite=(\\S+)`, 'm').exec(text)?.[1];
    if (token) invites[role] = decodeURIComponent(token);
  }
  if (!url || !adminToken || ROLES.some((role) => !invites[role])) return null;
  return { url, adminToken, invites: invites as RoleTokens };
}

/**
 * Spawns the server as `npm start` runs it (`scripts/run-built.mjs server` with its Node flags: server/main.ts built
 * to plain JavaScript, rebuilt first when a source is newer) on port 0 with DATA_DIR and extra
 * environment, and resolves once its banner (URL, admin token, invite links) is printed.
 * Rejects if it exits or takes over 20 s.
 */
export function spawnServer(dataDir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, 'scripts/run-built.mjs', 'server'], {
    cwd: projectRoot,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, ADMIN_TOKEN: '', ...env },
  });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 20 s:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const banner = parseBanner(output);
      if (!banner) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.stdout.on('data', (more: Buffer) => (output += more.toString('utf8')));
      resolve({ ...banner, dataDir, child, output: () => output, exited });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`server exited early (code ${code}, signal ${signal}):\n${output}`));
    });
  });
}
