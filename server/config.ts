import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** SQLite `synchronous` levels the server supports in WAL mode (see README "Durability"). */
export type SynchronousLevel = 'NORMAL' | 'FULL';

/** Everything the server needs to start, after defaults and environment are merged. */
export interface ServerConfig {
  /** TCP port; 0 picks a free one (tests). */
  port: number;
  host: string;
  /** Directory holding the SQLite database and the server secret. */
  dataDir: string;
  /** Bearer token for the admin API; null derives a stable one from the server secret. */
  adminToken: string | null;
  /** Largest WebSocket message accepted; larger ones close the socket with 1009. */
  maxPayloadBytes: number;
  /** Largest JSON request body accepted by the HTTP API; larger ones get 413. */
  maxJsonBodyBytes: number;
  /** SQLite synchronous level: FULL survives power loss, NORMAL survives a killed process. */
  synchronous: SynchronousLevel;
  /** A document's update log is compacted into a snapshot once it holds this many updates. */
  compactThreshold: number;
  /** How long a document with no connections and nothing pending stays loaded. */
  idleUnloadMs: number;
  /** First retry delay after a failed store write; doubles up to storeRetryMaxMs. */
  storeRetryMs: number;
  storeRetryMaxMs: number;
  /** How long browser sessions live. */
  sessionTtlMs: number;
  /** Directory of the built client (`npm run build`). */
  staticDir: string;
  /** The room created on first start, or null for none. */
  defaultRoom: { id: string; chapterFile: string } | null;
}

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MiB = 1024 * 1024;

/** Returns the configuration used when neither options nor environment say otherwise. */
export function defaultConfig(): ServerConfig {
  return {
    port: 8080,
    host: '127.0.0.1',
    dataDir: path.resolve('data'),
    adminToken: null,
    maxPayloadBytes: 4 * MiB,
    maxJsonBodyBytes: 2 * MiB,
    synchronous: 'FULL',
    compactThreshold: 1000,
    idleUnloadMs: 30_000,
    storeRetryMs: 250,
    storeRetryMaxMs: 5_000,
    sessionTtlMs: 30 * 24 * 3600 * 1000,
    staticDir: path.join(projectRoot, 'dist', 'client'),
    defaultRoom: { id: 'chapter-5', chapterFile: path.join(projectRoot, 'fixtures', 'chapter-5.txt') },
  };
}

type ConfigResult = { ok: true; value: ServerConfig } | { ok: false; error: string };

/** Reads an integer environment variable within [min, max], or reports which one is wrong. */
function readInteger(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number | string {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) return `${name} must be an integer from ${min} to ${max}, got "${raw}"`;
  return value;
}

/**
 * Builds the configuration from environment variables (PORT, HOST, DATA_DIR, ADMIN_TOKEN,
 * MAX_PAYLOAD_BYTES, MAX_JSON_BODY_BYTES, SQLITE_SYNCHRONOUS, COMPACT_THRESHOLD, IDLE_UNLOAD_MS).
 * Returns an error naming the first invalid variable instead of throwing.
 */
export function loadConfig(env: NodeJS.ProcessEnv): ConfigResult {
  const base = defaultConfig();
  const numbers = {
    port: readInteger(env, 'PORT', base.port, 0, 65535),
    maxPayloadBytes: readInteger(env, 'MAX_PAYLOAD_BYTES', base.maxPayloadBytes, 1024, 256 * MiB),
    maxJsonBodyBytes: readInteger(env, 'MAX_JSON_BODY_BYTES', base.maxJsonBodyBytes, 1024, 256 * MiB),
    compactThreshold: readInteger(env, 'COMPACT_THRESHOLD', base.compactThreshold, 10, 10_000_000),
    idleUnloadMs: readInteger(env, 'IDLE_UNLOAD_MS', base.idleUnloadMs, 0, 24 * 3600 * 1000),
  };
  for (const value of Object.values(numbers)) if (typeof value === 'string') return { ok: false, error: value };
  const synchronous = (env.SQLITE_SYNCHRONOUS ?? base.synchronous).toUpperCase();
  if (synchronous !== 'NORMAL' && synchronous !== 'FULL') {
    return { ok: false, error: `SQLITE_SYNCHRONOUS must be NORMAL or FULL, got "${env.SQLITE_SYNCHRONOUS}"` };
  }
  const adminToken = env.ADMIN_TOKEN ? env.ADMIN_TOKEN : null;
  if (adminToken !== null && adminToken.length < 16) return { ok: false, error: 'ADMIN_TOKEN must be at least 16 characters long' };
  return {
    ok: true,
    value: {
      ...base,
      ...(numbers as Record<keyof typeof numbers, number>),
      host: env.HOST || base.host,
      dataDir: path.resolve(env.DATA_DIR || base.dataDir),
      adminToken,
      synchronous,
    },
  };
}
