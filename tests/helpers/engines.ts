import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/**
 * Throwaway instances of the engines several Apparatus processes run on (docs/several-servers.md):
 * Debian's PostgreSQL (15 in Debian 12), Redis 7 and HAProxy, installed by scripts/setup.mjs. Each starts on a
 * free port in a temporary directory and is stopped (and its directory removed) by `stop()`.
 * PostgreSQL refuses to run as root: when the tests run as root, the cluster is made and run as
 * the `postgres` user, in a directory it owns.
 */

/** The newest PostgreSQL Debian installed (`/usr/lib/postgresql/<major>/bin`): 15 on Debian 12, where the tests ran. */
export const POSTGRES_BIN = newestPostgresBin('/usr/lib/postgresql');
export const REDIS_SERVER = '/usr/bin/redis-server';
export const HAPROXY = '/usr/sbin/haproxy';

function newestPostgresBin(root: string): string {
  const majors = existsSync(root) ? readdirSync(root).filter((name) => /^\d+$/.test(name) && existsSync(path.join(root, name, 'bin', 'postgres'))) : [];
  const newest = majors.sort((a, b) => Number(b) - Number(a))[0] ?? '15';
  return path.join(root, newest, 'bin');
}

/** Why the engines cannot run here (a test file skips visibly with it), or null. */
export function enginesMissing(): string | null {
  const missing = [path.join(POSTGRES_BIN, 'postgres'), REDIS_SERVER, HAPROXY].filter((binary) => !existsSync(binary));
  return missing.length === 0 ? null : `not installed: ${missing.join(', ')} (npm test installs them through scripts/setup.mjs)`;
}

/** A port nobody listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Waits until `ready()` resolves true, polling every 50 ms, up to `ms`. */
async function until(ready: () => Promise<boolean>, what: string, ms: number, output: () => string): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await ready().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${what} did not start within ${ms / 1000} s:\n${output()}`);
}

/** Starts a child process, collecting what it prints; `exited` resolves when it ends. */
function launch(command: string, args: string[], options: { uid?: number; gid?: number; cwd?: string } = {}): { child: ChildProcess; output: () => string; exited: Promise<void> } {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, output: () => output, exited };
}

/** Sends `signal` and waits (up to 10 s, then SIGKILL) for the process to end. */
async function halt(child: ChildProcess, exited: Promise<void>, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** The uid and gid to run PostgreSQL as: the `postgres` user when running as root, else ourselves. */
function postgresUser(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  return { uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })) };
}

/** A running PostgreSQL cluster. */
export interface PostgresInstance {
  port: number;
  /** A new empty database on it; returns its connection string. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts a PostgreSQL 15 cluster (initdb, then postgres) on a free port in a temporary
 * directory. `fsync: false` (the tests' default) skips flushing to disk, which changes nothing a
 * test of killed server processes sees; benchmarks keep PostgreSQL's durable default.
 */
export async function startPostgres(options: { fsync?: boolean } = {}): Promise<PostgresInstance> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'apparatus-pg-'));
  const user = postgresUser();
  if (user) chownSync(dir, user.uid, user.gid);
  const data = path.join(dir, 'data');
  execFileSync(path.join(POSTGRES_BIN, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync'], { ...(user ?? {}), stdio: 'pipe' });
  const port = await freePort();
  const server = launch(
    path.join(POSTGRES_BIN, 'postgres'),
    ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', `fsync=${options.fsync === false || options.fsync === undefined ? 'off' : 'on'}`, '-c', 'max_connections=300', '-c', 'shared_buffers=32MB'],
    user ?? {},
  );
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const query = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await until(async () => (await query('SELECT 1'), true), 'PostgreSQL', 30_000, server.output);
  return {
    port,
    createDatabase: async (name) => {
      if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new RangeError(`not a database name: ${name}`);
      await query(`CREATE DATABASE ${name}`);
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    stop: async () => {
      // SIGINT: PostgreSQL's fast shutdown (ends sessions, then stops).
      await halt(server.child, server.exited, 'SIGINT');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A running Redis server. */
export interface RedisInstance {
  port: number;
  url: string;
  stop(): Promise<void>;
}

/** Starts a Redis server on a free port, keeping nothing on disk. */
export async function startRedis(): Promise<RedisInstance> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'apparatus-redis-'));
  const port = await freePort();
  const server = launch(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { cwd: dir });
  await until(async () => server.output().includes('Ready to accept connections'), 'Redis', 15_000, server.output);
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      await halt(server.child, server.exited, 'SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A running HAProxy in front of some backends. */
export interface LoadBalancer {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts HAProxy on a free port, balancing HTTP and WebSocket upgrades round-robin over
 * `backends` (`host:port`), no sticky sessions, on `port` (default: a free one). A backend that
 * stops answering `/healthz` (or refuses connections) is taken out within about a second; a
 * connection to it is sent to another.
 */
export async function startLoadBalancer(backends: readonly string[], port?: number): Promise<LoadBalancer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'apparatus-haproxy-'));
  port ??= await freePort();
  const config = [
    'global',
    '  maxconn 4096',
    'defaults',
    '  mode http',
    '  timeout connect 1s',
    '  timeout client 60s',
    '  timeout server 60s',
    '  timeout tunnel 1h',
    '  retries 3',
    '  option redispatch',
    'frontend apparatus',
    `  bind 127.0.0.1:${port}`,
    '  default_backend servers',
    'backend servers',
    '  balance roundrobin',
    '  option httpchk GET /healthz',
    '  default-server inter 300ms fall 2 rise 2',
    ...backends.map((backend, i) => `  server s${i + 1} ${backend} check`),
    '',
  ].join('\n');
  const file = path.join(dir, 'haproxy.cfg');
  writeFileSync(file, config);
  const proxy = launch(HAPROXY, ['-db', '-f', file]);
  await until(async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200, 'HAProxy', 15_000, proxy.output);
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      await halt(proxy.child, proxy.exited, 'SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
