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
import { defaultConfig, relayWithoutSharedStore } from './config.ts';
import type { ServerConfig } from './config.ts';
import type { HttpContext } from './http/http-context.ts';
import { HeavyWork } from './heavy/heavy-work.ts';
import { createRequestHandler } from './http/request-handler.ts';
import { createConsoleLogger } from './logger.ts';
import type { Logger } from './logger.ts';
import { RedisCluster } from './cluster/redis-cluster.ts';
import { RedisSignInLimits } from './cluster/redis-sign-in-limits.ts';
import { openStorage } from './persistence/storage.ts';
import type { Storage } from './persistence/storage.ts';
import { StoreHealth } from './persistence/store-health.ts';
import type { RoomStores } from './rooms/create-room.ts';
import { ensureDefaultRoom } from './rooms/default-room.ts';
import { RoomStats } from './rooms/room-stats.ts';
import { RoundService } from './rounds/round-service.ts';
import type { RoundHooks } from './rounds/round-service.ts';
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
  /** The one-time link that creates the first administrator, or null once one exists (as this process knows). */
  setupUrl(): string | null;
  close(): Promise<void>;
}

/** How often the database file is checked to still be the one opened, besides every commit and /healthz. */
const DATABASE_FILE_CHECK_MS = 5000;

/** Time allowed to store pending updates on close; the process exits within 10 s (D2). */
const SHUTDOWN_FLUSH_MS = 8000;

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
async function prepareDefaultRoom(config: ServerConfig, stores: RoomStores, secret: Buffer, log: Logger): Promise<DefaultRoomInvites | null> {
  if (!config.defaultRoom) return null;
  const result = await ensureDefaultRoom(stores, secret, config.defaultRoom);
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

/** What a running server closes, in order. */
interface Closables {
  http: Server;
  collab: CollabServer;
  access: AccessLayer;
  storage: Storage;
  cluster: RedisCluster | null;
  roomStats: RoomStats;
  log: Logger;
}

/** Returns the idempotent close of a running server: stop listening, flush, close sockets, the relay and the store. */
function closer({ http, collab, access, storage, cluster, roomStats, log }: Closables): () => Promise<void> {
  let closing: Promise<void> | null = null;
  return () => {
    closing ??= (async () => {
      access.stop();
      http.close();
      http.closeIdleConnections();
      const flushed = await collab.shutdown(Date.now() + SHUTDOWN_FLUSH_MS);
      http.closeAllConnections();
      await roomStats.flush().catch((error: unknown) => log.warn('room.stats-failed', { error }));
      await cluster?.close();
      await storage.close();
      if (flushed) log.info('server.stopped', { flushed });
      else log.error('server.stopped', { flushed, note: 'some accepted updates could not be stored; they were never acknowledged' });
    })();
    return closing;
  };
}

/** Connects the process to the others through Redis, when REDIS_URL is set. */
async function joinCluster(config: ServerConfig, log: Logger, hooks: StoreHooks | undefined): Promise<RedisCluster | null> {
  if (!config.redisUrl) return null;
  const cluster = await RedisCluster.connect(config.redisUrl, log, hooks?.dropRelayed);
  log.info('cluster.joined', { process: cluster.id });
  return cluster;
}

/**
 * Starts Apparatus: opens the store (SQLite in DATA_DIR, or PostgreSQL: DATABASE_URL), joins the
 * other server processes (REDIS_URL), creates the default room on first start, and serves HTTP
 * and the y-websocket endpoint on one port (0 picks a free one).
 */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  // Phase 1: configuration, storage (refused when it vanished: P5), the relay, secrets, the default room.
  const { authorizeUpdate, hooks, logger, heartbeatMs, roundHooks, foldLogsOnShutdown, ...overrides } = options;
  const config: ServerConfig = { ...defaultConfig(), ...overrides };
  const lonelyRelay = relayWithoutSharedStore(config);
  if (lonelyRelay) throw new RangeError(lonelyRelay);
  const log = logger ?? createConsoleLogger();
  const health = new StoreHealth(log);
  const storage = await openStorage(config, log);
  const { stores, secret, lost, updateLog } = storage;
  if (lost) {
    log.error('store.lost', { problem: lost });
    health.raise('lost', { kind: 'database-lost', message: lost });
  }
  let cluster: RedisCluster | null;
  try {
    cluster = await joinCluster(config, log, hooks);
  } catch (error) {
    await storage.close();
    throw error;
  }
  const adminToken = config.adminToken ?? deriveToken(secret, 'admin');
  // Printed on every start until the first administrator exists; useless afterwards.
  const setupToken = deriveToken(secret, 'setup|1');
  const defaultRoom = lost ? null : await prepareDefaultRoom(config, stores, secret, log);
  await stores.sessions.deleteExpired(Date.now());
  await stores.webSessions.deleteExpired(Date.now());

  // Phase 2: the collaboration endpoint and the HTTP server around it.
  const identity = new IdentityService(stores, config.sessionTtlMs);
  const access = createAccessLayer({ config, stores, log, identity });
  const settings = { ...config, heartbeatMs: heartbeatMs ?? 30_000, foldLogsOnShutdown: foldLogsOnShutdown ?? true };
  const roomStats: RoomStats = new RoomStats({ stats: stores.roomStats, rooms: stores.rooms, updates: stores.updates, log, liveAnnotations: (room) => liveDoc(collab, room, 'annotations') });
  // Blind rounds wrap the access layer's guard and check: who may open and write which layer.
  const rounds: RoundService = new RoundService({ store: stores.rounds, sharedStore: storage.location.engine === 'postgres', announce: () => cluster?.accessChanged(), collab: (): CollabServer => collab, log, hooks: roundHooks });
  const collab: CollabServer = new CollabServer({
    // SQLite: the update log has its own connection, relayed once in the WAL, acknowledged once fsynced (update-log.ts).
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
    sharedStore: storage.location.engine === 'postgres',
    relay: cluster,
    prepareDoc: access.prepareDoc,
    storedElsewhere: access.storedElsewhere,
  });
  access.watch(() => collab.connections());
  if (cluster) {
    identity.onRenamed((userId, name) => cluster.renamed(userId, name));
    cluster.onEvent({
      accessChanged: () => {
        void access.sweeper()?.sweepSoon();
        void rounds.refresh();
      },
      renamed: (userId, name) => access.names.set(userId, name),
      roomDeleted: (room) => void collab.evictDeletedRoom(room),
    });
  }
  const limits = { failuresPerAccount: config.signInFailuresPerAccount, attemptsPerAddress: config.signInAttemptsPerAddress, windowMs: config.signInWindowMs };
  const limiter = cluster ? new RedisSignInLimits(cluster.commands, limits, log) : new SignInLimiter(limits);
  const accounts = new AccountService({ stores, identity, limiter, setupToken });
  if (!lost) await accounts.setupNeeded();
  const singleSignOn = config.oidc ? new SingleSignOn(config.oidc, log) : null;
  const storeState = { location: storage.location, health, databaseFile: updateLog.file, lost };
  const heavy = new HeavyWork({ workers: config.heavyWorkers, perUser: config.heavyJobsPerUser, maxQueued: config.heavyJobsQueued, log });
  const http = createHttpServer({
    config,
    log,
    identity,
    adminToken,
    rooms: stores,
    stores,
    collab,
    rounds,
    origins: access.origins,
    hosts: access.hosts,
    startedAt: Date.now(),
    accounts,
    singleSignOn,
    roomStats,
    store: storeState,
    heavy,
    accessChanged: () => cluster?.accessChanged(),
    roomDeleted: (room) => cluster?.roomDeleted(room),
    relayState: cluster ? () => cluster.state() : undefined,
  });
  // Health also notices a vanished database file between requests to it (attack 6).
  const fileWatch = setInterval(() => {
    const problem = updateLog.file?.problem();
    if (problem) health.raise('file', { kind: 'database-vanished', message: problem });
  }, DATABASE_FILE_CHECK_MS);
  fileWatch.unref();
  const closeServer = closer({ http, collab, access, storage, cluster, roomStats, log });
  const close = () => {
    clearInterval(fileWatch);
    rounds.close();
    return Promise.all([closeServer(), heavy.close()]).then(() => undefined);
  };

  // Phase 3: listen (the running blind rounds known first: the checks read them from memory).
  let port: number;
  try {
    if (!lost) await rounds.load();
    port = await listen(http, config.port, config.host);
  } catch (error) {
    await close();
    throw error;
  }
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  log.info('server.listening', { url, publicUrl: config.publicUrl, store: storage.location.engine, ...(storage.location.engine === 'sqlite' ? { dataDir: config.dataDir, synchronous: config.synchronous } : {}), relay: cluster ? 'redis' : 'none' });
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
    setupUrl: () => (!lost && accounts.setupKnownNeeded() ? `${config.publicUrl ?? url}/setup#${setupToken}` : null),
    close,
  };
}
