import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_IMPORT_LIMITS } from '../schema/index.ts';

/** SQLite `synchronous` levels the server supports in WAL mode (see docs/durability.md). */
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
  /**
   * The address the server is published at (`PUBLIC_URL`, e.g. `https://apparatus.example.edu`):
   * the base of every exported IRI and invite link. Null: the origin each request was sent to.
   */
  publicUrl: string | null;
  /** Directory of the built client (`npm run build`). */
  staticDir: string;
  /** The room created on first start, or null for none. */
  defaultRoom: { id: string; chapterFile: string } | null;
  /* --- access control and limits (docs/security.md) --- */
  /**
   * Origins (`scheme://host[:port]`) allowed on WebSocket upgrades and state-changing HTTP
   * requests; null allows only the server's own origin (the address the request was sent to).
   */
  allowedOrigins: string[] | null;
  /** Messages one connection may send per second, sustained; bursts of twice as many pass. */
  messagesPerSecond: number;
  /** Bytes one connection may send per second, sustained; a burst of maxPayloadBytes passes. */
  bytesPerSecond: number;
  /** Throttling episodes within 10 s after which a flooding connection is closed (1008). */
  floodThrottleLimit: number;
  /** WebSocket upgrades one address may attempt per minute; more get HTTP 429. */
  connectionsPerMinute: number;
  /** Open collaboration sockets per address; more are closed with 1013. */
  maxSocketsPerAddress: number;
  /** Open collaboration sockets per room; more are closed with 1013. */
  maxSocketsPerRoom: number;
  /** Largest awareness state (JSON, bytes) relayed; larger states are dropped. */
  awarenessMaxBytes: number;
  /** Awareness updates relayed per connection per second; faster ones are coalesced. */
  awarenessPerSecond: number;
  /** Bytes queued for a connection that does not read; beyond it the connection is closed (1008). */
  sendBufferLimitBytes: number;
  /** Largest import body (`POST /api/rooms/<room>/import`); larger ones get 413. */
  importMaxBytes: number;
  /** Most annotations one import file may hold; more get 413. */
  importMaxAnnotations: number;
  /** How often open connections are checked against revoked or expired credentials. */
  credentialCheckMs: number;
  /**
   * Clock skew allowance: how far in the future of the server's clock a time a client writes
   * (an annotation's created, modified, statusAt; a reply's; a dismissal's) may lie. Later
   * times are refused; earlier ones never are (offline work may be days old).
   */
  clockSkewMs: number;
  /* --- accounts (docs/accounts-and-seminars.md) --- */
  /** Failed sign-ins per typed address within signInWindowMs before it is locked out until the oldest ages out. */
  signInFailuresPerAccount: number;
  /** Sign-in, sign-up, setup and password attempts per network address within signInWindowMs. */
  signInAttemptsPerAddress: number;
  signInWindowMs: number;
  /**
   * Single sign-on through OpenID Connect, or null for none: the issuer URL (discovered at
   * start), the client registered there, and the label of the sign-in button.
   */
  oidc: { issuer: string; clientId: string; clientSecret: string; label: string; redirectUri: string | null } | null;
  /* --- hardening (issue 14, docs/hardening.md) --- */
  /** Worker threads for imports, exports and chapter imports (HEAVY_WORKERS). */
  heavyWorkers: number;
  /** Imports and exports one user may have running or waiting at once; more get 429 (HEAVY_JOBS_PER_USER). */
  heavyJobsPerUser: number;
  /** Imports and exports that may wait for a worker, over all users; more get 503. */
  heavyJobsQueued: number;
  /**
   * Whether a reverse proxy in front sets X-Forwarded-Proto truthfully (TRUST_PROXY): then a
   * request it received over https gets a Secure session cookie.
   */
  trustProxy: boolean;
  /* --- several server processes (docs/several-servers.md) --- */
  /** PostgreSQL connection string (DATABASE_URL): store everything there instead of SQLite in dataDir. */
  databaseUrl: string | null;
  /** Connections one process keeps to PostgreSQL at most (PG_POOL_SIZE). */
  pgPoolSize: number;
  /** Redis connection string (REDIS_URL): relay updates, presence and access changes to the other processes. */
  redisUrl: string | null;
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
    publicUrl: null,
    staticDir: path.join(projectRoot, 'dist', 'client'),
    defaultRoom: { id: 'chapter-5', chapterFile: path.join(projectRoot, 'fixtures', 'chapter-5.txt') },
    allowedOrigins: null,
    messagesPerSecond: 100,
    bytesPerSecond: 1 * MiB,
    floodThrottleLimit: 20,
    connectionsPerMinute: 300,
    maxSocketsPerAddress: 256,
    maxSocketsPerRoom: 1024,
    awarenessMaxBytes: 4096,
    awarenessPerSecond: 10,
    sendBufferLimitBytes: 16 * MiB,
    importMaxBytes: DEFAULT_IMPORT_LIMITS.maxBytes,
    importMaxAnnotations: DEFAULT_IMPORT_LIMITS.maxAnnotations,
    credentialCheckMs: 1000,
    clockSkewMs: 5 * 60_000,
    signInFailuresPerAccount: 5,
    signInAttemptsPerAddress: 30,
    signInWindowMs: 15 * 60_000,
    oidc: null,
    heavyWorkers: 1,
    heavyJobsPerUser: 2,
    heavyJobsQueued: 16,
    trustProxy: false,
    databaseUrl: null,
    pgPoolSize: 10,
    redisUrl: null,
  };
}

/** Reads OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET (all or none), OIDC_LABEL and OIDC_REDIRECT_URI. */
function readOidc(env: NodeJS.ProcessEnv): ServerConfig['oidc'] | string {
  const { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: clientId, OIDC_CLIENT_SECRET: clientSecret } = env;
  if (!issuer && !clientId && !clientSecret) return null;
  if (!issuer || !clientId || !clientSecret) return 'OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together';
  try {
    const url = new URL(issuer);
    if (url.protocol !== 'https:' && !['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) return 'OIDC_ISSUER must be an https URL (http only for localhost)';
  } catch {
    return `OIDC_ISSUER "${issuer}" is not a URL`;
  }
  const redirectUri = env.OIDC_REDIRECT_URI || null;
  return { issuer, clientId, clientSecret, label: env.OIDC_LABEL || 'your institution', redirectUri };
}

/** Reads a yes/no environment variable (1/true/yes, 0/false/no), or reports it. */
function readBoolean(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean | string {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes'].includes(raw)) return true;
  if (['0', 'false', 'no'].includes(raw)) return false;
  return `${name} must be 1 or 0 (true or false), got "${env[name]}"`;
}

/** Reads ALLOWED_ORIGINS: comma-separated `scheme://host[:port]` origins, or an error naming the bad one. */
function readOrigins(raw: string | undefined): string[] | null | string {
  if (raw === undefined || raw.trim() === '') return null;
  const origins: string[] = [];
  for (const entry of raw.split(',').map((part) => part.trim()).filter(Boolean)) {
    let url: URL;
    try {
      url = new URL(entry);
    } catch {
      return `ALLOWED_ORIGINS: "${entry}" is not an origin like https://apparatus.example.org`;
    }
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== entry.replace(/\/$/, '').toLowerCase()) {
      return `ALLOWED_ORIGINS: "${entry}" must be scheme://host[:port] only (http or https, lower case, no path)`;
    }
    origins.push(url.origin);
  }
  return origins;
}

/**
 * Reads PUBLIC_URL: an absolute http(s) URL without credentials, query or fragment; a path is
 * allowed (a proxy may publish the server under one) and a trailing slash dropped.
 */
export function readPublicUrl(raw: string | undefined): string | null | { error: string } {
  if (raw === undefined || raw.trim() === '') return null;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { error: `PUBLIC_URL: "${raw}" is not an absolute URL like https://apparatus.example.edu` };
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password || url.search || url.hash) {
    return { error: `PUBLIC_URL: "${raw}" must be an http(s) URL without credentials, query or fragment` };
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * Why a relay between processes is configured without a store they share, or null: processes
 * with a SQLite file each have logs of their own, which relaying between them would mix.
 */
export function relayWithoutSharedStore(config: Pick<ServerConfig, 'databaseUrl' | 'redisUrl'>): string | null {
  return config.redisUrl && !config.databaseUrl ? 'REDIS_URL needs DATABASE_URL: server processes that relay to each other must share one PostgreSQL store (docs/several-servers.md)' : null;
}

/** Reads DATABASE_URL or REDIS_URL: a URL of one of `protocols`, or null when unset. */
function readServiceUrl(env: NodeJS.ProcessEnv, name: string, protocols: readonly string[]): string | null | { error: string } {
  const raw = env[name]?.trim();
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { error: `${name} is not a URL (expected ${protocols[0]}//user:password@host:port/…)` };
  }
  if (!protocols.includes(url.protocol)) return { error: `${name} must start with ${protocols.map((p) => `${p}//`).join(' or ')}, got ${url.protocol}//…` };
  return raw;
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
 * MAX_PAYLOAD_BYTES, MAX_JSON_BODY_BYTES, SQLITE_SYNCHRONOUS, COMPACT_THRESHOLD, IDLE_UNLOAD_MS,
 * and the limits of docs/security.md: ALLOWED_ORIGINS, MAX_MESSAGES_PER_SECOND,
 * MAX_BYTES_PER_SECOND, CONNECTIONS_PER_MINUTE, MAX_SOCKETS_PER_ADDRESS, MAX_SOCKETS_PER_ROOM,
 * AWARENESS_MAX_BYTES, AWARENESS_PER_SECOND, SEND_BUFFER_LIMIT_BYTES, IMPORT_MAX_BYTES,
 * IMPORT_MAX_ANNOTATIONS and CLOCK_SKEW_MS, the clock skew allowance of times clients write;
 * PUBLIC_URL, the base of exported IRIs and invite links; of accounts
 * (docs/accounts-and-seminars.md): SIGN_IN_FAILURES_PER_ACCOUNT, SIGN_IN_ATTEMPTS_PER_ADDRESS
 * and the OIDC_* variables; and of docs/hardening.md: TRUST_PROXY, HEAVY_WORKERS, HEAVY_JOBS_PER_USER).
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
    messagesPerSecond: readInteger(env, 'MAX_MESSAGES_PER_SECOND', base.messagesPerSecond, 1, 1_000_000),
    bytesPerSecond: readInteger(env, 'MAX_BYTES_PER_SECOND', base.bytesPerSecond, 1024, 1024 * MiB),
    connectionsPerMinute: readInteger(env, 'CONNECTIONS_PER_MINUTE', base.connectionsPerMinute, 1, 1_000_000),
    maxSocketsPerAddress: readInteger(env, 'MAX_SOCKETS_PER_ADDRESS', base.maxSocketsPerAddress, 1, 1_000_000),
    maxSocketsPerRoom: readInteger(env, 'MAX_SOCKETS_PER_ROOM', base.maxSocketsPerRoom, 1, 1_000_000),
    awarenessMaxBytes: readInteger(env, 'AWARENESS_MAX_BYTES', base.awarenessMaxBytes, 256, 1 * MiB),
    awarenessPerSecond: readInteger(env, 'AWARENESS_PER_SECOND', base.awarenessPerSecond, 1, 1000),
    sendBufferLimitBytes: readInteger(env, 'SEND_BUFFER_LIMIT_BYTES', base.sendBufferLimitBytes, 64 * 1024, 1024 * MiB),
    importMaxBytes: readInteger(env, 'IMPORT_MAX_BYTES', base.importMaxBytes, 1024, 1024 * MiB),
    importMaxAnnotations: readInteger(env, 'IMPORT_MAX_ANNOTATIONS', base.importMaxAnnotations, 1, 10_000_000),
    clockSkewMs: readInteger(env, 'CLOCK_SKEW_MS', base.clockSkewMs, 0, 24 * 3600 * 1000),
    signInFailuresPerAccount: readInteger(env, 'SIGN_IN_FAILURES_PER_ACCOUNT', base.signInFailuresPerAccount, 1, 1000),
    signInAttemptsPerAddress: readInteger(env, 'SIGN_IN_ATTEMPTS_PER_ADDRESS', base.signInAttemptsPerAddress, 1, 1_000_000),
    heavyWorkers: readInteger(env, 'HEAVY_WORKERS', base.heavyWorkers, 1, 64),
    heavyJobsPerUser: readInteger(env, 'HEAVY_JOBS_PER_USER', base.heavyJobsPerUser, 1, 1000),
    pgPoolSize: readInteger(env, 'PG_POOL_SIZE', base.pgPoolSize, 1, 1000),
  };
  for (const value of Object.values(numbers)) if (typeof value === 'string') return { ok: false, error: value };
  const synchronous = (env.SQLITE_SYNCHRONOUS ?? base.synchronous).toUpperCase();
  if (synchronous !== 'NORMAL' && synchronous !== 'FULL') {
    return { ok: false, error: `SQLITE_SYNCHRONOUS must be NORMAL or FULL, got "${env.SQLITE_SYNCHRONOUS}"` };
  }
  const allowedOrigins = readOrigins(env.ALLOWED_ORIGINS);
  if (typeof allowedOrigins === 'string') return { ok: false, error: allowedOrigins };
  const publicUrl = readPublicUrl(env.PUBLIC_URL);
  if (typeof publicUrl === 'object' && publicUrl !== null) return { ok: false, error: publicUrl.error };
  const oidc = readOidc(env);
  if (typeof oidc === 'string') return { ok: false, error: oidc };
  const trustProxy = readBoolean(env, 'TRUST_PROXY', base.trustProxy);
  if (typeof trustProxy === 'string') return { ok: false, error: trustProxy };
  const databaseUrl = readServiceUrl(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  if (typeof databaseUrl === 'object' && databaseUrl !== null) return { ok: false, error: databaseUrl.error };
  const redisUrl = readServiceUrl(env, 'REDIS_URL', ['redis:', 'rediss:']);
  if (typeof redisUrl === 'object' && redisUrl !== null) return { ok: false, error: redisUrl.error };
  const lonelyRelay = relayWithoutSharedStore({ databaseUrl, redisUrl });
  if (lonelyRelay) return { ok: false, error: lonelyRelay };
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
      allowedOrigins,
      publicUrl,
      oidc,
      trustProxy,
      databaseUrl,
      redisUrl,
    },
  };
}
