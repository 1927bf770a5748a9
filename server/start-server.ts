import { createServer } from 'node:http';
import type * as Y from 'yjs';
import type { DocKind } from '../schema/index.ts';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAccessLayer } from './access/access-layer.ts';
import type { AccessLayer } from './access/access-layer.ts';
import { AccountService } from './auth/accounts.ts';
import { IdentityService } from './auth/identity.ts';
import { SignInLimiter } from './auth/sign-in-limits.ts';
import { SingleSignOn } from './auth/single-sign-on.ts';
import { deriveToken } from './auth/tokens.ts';
import type { UpdateAuthorizer } from './collab/authorize-update.ts';
import { CollabServer } from './collab/collab-server.ts';
import type { StoreHooks } from './collab/collab-server.ts';
import { defaultConfig } from './config.ts';
import type { ServerConfig } from './config.ts';
import type { HttpContext } from './http/http-context.ts';
import { HeavyWork } from './heavy/heavy-work.ts';
import { createRequestHandler } from './http/request-handler.ts';
import { createConsoleLogger } from './logger.ts';
import type { Logger } from './logger.ts';
import { openDatabase, openMemoryDatabase } from './persistence/database.ts';
import type { AppDatabase } from './persistence/database.ts';
import { readOrCreateServerSecret } from './persistence/server-secret.ts';
import { openServerStores } from './persistence/server-stores.ts';
import { lostUpdateLog, openUpdateLog } from './persistence/update-log.ts';
import { StoreHealth } from './persistence/store-health.ts';
import { missingDatabaseProblem, storeIdentityProblem } from './persistence/store-identity.ts';
import type { UpdateLog } from './persistence/update-log.ts';
import type { RoomStores } from './rooms/create-room.ts';
import { ensureDefaultRoom } from './rooms/default-room.ts';
import { RoomStats } from './rooms/room-stats.ts';
import { RoundService } from './rounds/round-service.ts';
import type { RoundHooks } from './rounds/round-service.ts';
import { RoundStore } from './rounds/round-store.ts';
import type { DefaultRoomInvites } from './rooms/default-room.ts';

/** Options of startServer: any config field (defaults from `defaultConfig()`), plus seams. */
export interface StartServerOptions extends Partial<ServerConfig> {
  /** Replaces the check every incoming update passes (default: the access layer's, docs/security.md). */
  authorizeUpdate?: UpdateAuthorizer;
  /** Test seams at the store boundary: slow or failing loads and commits. */
  hooks?: StoreHooks;
  logger?: Logger;
  /** WebSocket ping interval; default 30 s. */
  heartbeatMs?: number;
  /** Test seams of blind rounds (a reveal that waits at a phase). */
  roundHooks?: RoundHooks;
  /**
   * Test seam: false stops without folding each room's log into its snapshot, leaving the store
   * as a crash would (tests that damage or inspect log entries written before a restart).
   */
  foldLogsOnShutdown?: boolean;
}

/** A running server. `close()` flushes, closes sockets (1001) and the database; idempotent. */
export interface RunningServer {
  /** Base URL, `http://HOST:PORT`. */
  url: string;
  port: number;
  config: ServerConfig;
  adminToken: string;
  /** Whether the admin token was derived from the server secret (ADMIN_TOKEN unset). */
  adminTokenGenerated: boolean;
  /** The default room's invite tokens, or null when there is none (or its creation failed). */
  defaultRoom: DefaultRoomInvites | null;
  /** The collaboration endpoint: live documents, connections, commit queue. */
  collab: CollabServer;
  /** The access-control layer: update authorizer, connection guard, origin policy, credential sweeps. */
  access: AccessLayer;
  /** Blind rounds of every room (docs/seminar-view.md). */
  rounds: RoundService;
  /** Returns the browser entry URL for an invite: `<PUBLIC_URL or http://HOST:PORT>/r/<room>?invite=TOKEN`. */
  inviteUrl(room: string, token: string): string;
  /** The one-time link that creates the first administrator, or null once one exists. */
  setupUrl(): string | null;
  close(): Promise<void>;
}

/** How often the database file is checked to still be the one opened, besides every commit and /healthz. */
const DATABASE_FILE_CHECK_MS = 5000;

/** Time allowed to store pending updates on close; the process exits within 10 s (D2). */
const SHUTDOWN_FLUSH_MS = 8000;

/**
 * Opens DATA_DIR's database, unless its store is lost (store-identity.ts): then an empty one in
 * memory, and why. Nothing is created or written in DATA_DIR for a lost store.
 */
function openStore(config: ServerConfig): { db: AppDatabase; lost: string | null } {
  const missing = missingDatabaseProblem(config.dataDir);
  if (missing) return { db: openMemoryDatabase(), lost: missing };
  const db = openDatabase(config.dataDir, config.synchronous);
  const replaced = storeIdentityProblem(db, config.dataDir);
  if (!replaced) return { db, lost: null };
  db.close();
  return { db: openMemoryDatabase(), lost: replaced };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Creates the default room on first start, or re-derives its invites; logs and goes on if impossible. */
function prepareDefaultRoom(config: ServerConfig, stores: RoomStores, secret: Buffer, log: Logger): DefaultRoomInvites | null {
  if (!config.defaultRoom) return null;
  const result = ensureDefaultRoom(stores, secret, config.defaultRoom);
  if (!result.ok) {
    log.error('room.default-failed', { room: config.defaultRoom.id, error: result.error });
    return null;
  }
  if (result.value.created) log.info('room.created', { room: result.value.room, from: config.defaultRoom.chapterFile });
  return result.value;
}

/** A room's live document when it is loaded and ready, else null. */
function liveDoc(collab: CollabServer, room: string, kind: DocKind): Y.Doc | null {
  for (const doc of collab.registry.docs()) if (doc.room === room && doc.kind === kind && doc.state === 'ready') return doc.ydoc;
  return null;
}

/** The HTTP server: routes and static files, upgrades to `/collab/…` handed to the collaboration server. */
function createHttpServer(context: HttpContext): Server {
  const { collab, log } = context;
  const http = createServer(createRequestHandler(context));
  // Node closes an idle keep-alive socket after 5 s, while a client (undici, a load balancer) may
  // be sending its next request on it at that instant; a POST lost that way is not retried and
  // fails as "other side closed". Idle sockets live a minute, past common proxies' own timeouts.
  http.keepAliveTimeout = 65_000;
  http.headersTimeout = 66_000;
  http.on('upgrade', (request, socket, head) => {
    if (collab.handles(request)) return collab.handleUpgrade(request, socket, head);
    socket.on('error', () => socket.destroy());
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
  http.on('clientError', (error, socket) => {
    log.warn('http.client-error', { error });
    socket.destroy();
  });
  return http;
}

/** Returns the idempotent close of a running server: stop listening, flush, close sockets, close the database. */
function closer(http: Server, collab: CollabServer, access: AccessLayer, db: AppDatabase, updateLog: UpdateLog, log: Logger, beforeDbClose: () => void): () => Promise<void> {
  let closing: Promise<void> | null = null;
  return () => {
    closing ??= (async () => {
      access.stop();
      http.close();
      http.closeIdleConnections();
      const flushed = await collab.shutdown(Date.now() + SHUTDOWN_FLUSH_MS);
      http.closeAllConnections();
      await updateLog.close();
      beforeDbClose();
      db.close();
      if (flushed) log.info('server.stopped', { flushed });
      else log.error('server.stopped', { flushed, note: 'some accepted updates could not be stored; they were never acknowledged' });
    })();
    return closing;
  };
}

/**
 * Starts Apparatus: opens the database in DATA_DIR, creates the default room on first start,
 * and serves HTTP and the y-websocket endpoint on one port (0 picks a free one).
 */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  // Phase 1: configuration, storage (refused when it vanished: P5), secrets, the default room.
  const { authorizeUpdate, hooks, logger, heartbeatMs, roundHooks, foldLogsOnShutdown, ...overrides } = options;
  const config: ServerConfig = { ...defaultConfig(), ...overrides };
  const log = logger ?? createConsoleLogger();
  const health = new StoreHealth(log);
  const { db, lost } = openStore(config);
  if (lost) {
    log.error('store.lost', { problem: lost });
    health.raise('lost', { kind: 'database-lost', message: lost });
  }
  const secret = readOrCreateServerSecret(config.dataDir);
  const stores = openServerStores(db);
  const adminToken = config.adminToken ?? deriveToken(secret, 'admin');
  // Printed on every start until the first administrator exists; useless afterwards.
  const setupToken = deriveToken(secret, 'setup|1');
  const defaultRoom = lost ? null : prepareDefaultRoom(config, stores, secret, log);
  stores.sessions.deleteExpired(Date.now());
  stores.webSessions.deleteExpired(Date.now());

  // Phase 2: the collaboration endpoint and the HTTP server around it.
  const identity = new IdentityService(stores, config.sessionTtlMs);
  const access = createAccessLayer({ config, db, invites: stores.invites, profiles: stores.profiles, log, identity });
  const settings = { ...config, heartbeatMs: heartbeatMs ?? 30_000, foldLogsOnShutdown: foldLogsOnShutdown ?? true };
  // The update log has its own connection: relayed once in the WAL, acknowledged once fsynced (update-log.ts).
  const updateLog = lost ? lostUpdateLog(db, lost) : openUpdateLog(config.dataDir, config.synchronous);
  const roomStats: RoomStats = new RoomStats({ stats: stores.roomStats, rooms: stores.rooms, updates: stores.updates, log, liveAnnotations: (room) => liveDoc(collab, room, 'annotations') });
  // Blind rounds wrap the access layer's guard and check: who may open and write which layer.
  const rounds: RoundService = new RoundService({ store: new RoundStore(db), collab: (): CollabServer => collab, log, hooks: roundHooks });
  const collab: CollabServer = new CollabServer({
    store: updateLog.store,
    syncStored: updateLog.syncStored,
    identity,
    log,
    authorizeUpdate: rounds.authorizer(authorizeUpdate ?? access.authorizeUpdate),
    guard: rounds.guard(access.guard),
    hooks,
    settings,
    onCommitted: (docs) => roomStats.committed(docs),
    health,
    refuseAll: lost,
  });
  access.watch(() => collab.connections());
  const accounts = new AccountService({ stores, identity, limiter: new SignInLimiter({ failuresPerAccount: config.signInFailuresPerAccount, attemptsPerAddress: config.signInAttemptsPerAddress, windowMs: config.signInWindowMs }), setupToken });
  const singleSignOn = config.oidc ? new SingleSignOn(config.oidc, log) : null;
  const storeState = { health, databaseFile: updateLog.file, lost };
  const heavy = new HeavyWork({ workers: config.heavyWorkers, perUser: config.heavyJobsPerUser, maxQueued: config.heavyJobsQueued, log });
  const http = createHttpServer({ config, log, identity, adminToken, rooms: stores, stores, collab, rounds, origins: access.origins, hosts: access.hosts, startedAt: Date.now(), accounts, singleSignOn, roomStats, store: storeState, heavy });
  // Health also notices a vanished database file between requests to it (attack 6).
  const fileWatch = setInterval(() => {
    const problem = updateLog.file?.problem();
    if (problem) health.raise('file', { kind: 'database-vanished', message: problem });
  }, DATABASE_FILE_CHECK_MS);
  fileWatch.unref();
  const closeServer = closer(http, collab, access, db, updateLog, log, () => roomStats.flush());
  const close = () => {
    clearInterval(fileWatch);
    return Promise.all([closeServer(), heavy.close()]).then(() => undefined);
  };

  // Phase 3: listen.
  let port: number;
  try {
    port = await listen(http, config.port, config.host);
  } catch (error) {
    await close();
    throw error;
  }
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  log.info('server.listening', { url, publicUrl: config.publicUrl, dataDir: config.dataDir, synchronous: config.synchronous });
  // A reveal a crash interrupted is finished now (it merges only what is missing).
  void rounds.resumeReveals();
  return {
    url,
    port,
    config,
    adminToken,
    adminTokenGenerated: config.adminToken === null,
    defaultRoom,
    collab,
    access,
    rounds,
    // Printed for people to open: the published address when there is one (PUBLIC_URL).
    inviteUrl: (room, token) => `${config.publicUrl ?? url}/r/${room}?invite=${encodeURIComponent(token)}`,
    setupUrl: () => (accounts.setupNeeded() ? `${config.publicUrl ?? url}/setup#${setupToken}` : null),
    close,
  };
}
