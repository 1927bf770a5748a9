// The public surface of server/: what tests, CLIs and later server features import.
// Explicit export list only.

// --- starting and configuring ---
export { startServer } from './start-server.ts';
export type { StartServerOptions, RunningServer } from './start-server.ts';
export { defaultConfig, loadConfig } from './config.ts';
export type { ServerConfig, SynchronousLevel } from './config.ts';
export { createConsoleLogger, createCollectingLogger } from './logger.ts';
export type { Logger, LogEntry, LogLevel, CollectingLogger } from './logger.ts';

// --- collaboration: the authorization hook and test seams ---
export { defaultAuthorizeUpdate } from './collab/authorize-update.ts';
export type { UpdateAuthorizer, UpdateAuthorizationRequest, UpdateAuthorization } from './collab/authorize-update.ts';
export type { StoreHooks } from './collab/collab-server.ts';
export type { BeforeCommitHook } from './collab/commit-queue.ts';
export type { BeforeLoadHook } from './collab/doc-registry.ts';
export type { Session } from './auth/identity.ts';

// --- access control (issue 6) ---
export { createAccessAuthorizer } from './access/access-authorizer.ts';
export type { AccessAuthorizerOptions } from './access/access-authorizer.ts';
export type { AccessLayer } from './access/access-layer.ts';
export type { ConnectionGuard } from './collab/connection-guard.ts';

// --- rooms ---
export { docNameOf } from './rooms/doc-names.ts';
export { encodeChapterSeed } from './rooms/chapter-seed.ts';

// --- persistence (reading a store directly: tests, CLIs, benchmarks) ---
export { openDatabase, DATABASE_FILE, schemaVersionBefore, SCHEMA_VERSION } from './persistence/database.ts';
export type { AppDatabase } from './persistence/database.ts';
export { snapshotIntact, UpdateStore } from './persistence/update-store.ts';
export { SqliteExecutor } from './persistence/sql/sqlite-executor.ts';
export { PostgresExecutor } from './persistence/sql/postgres-executor.ts';
export type { SqlExecutor } from './persistence/sql/sql-executor.ts';
export { openServerStores } from './persistence/server-stores.ts';
export type { ServerStores } from './persistence/server-stores.ts';
export { openStorage } from './persistence/storage.ts';
export type { Storage, StoreLocation } from './persistence/storage.ts';
export { openPostgresPool } from './persistence/engines/postgres-storage.ts';
export { migratePostgres, POSTGRES_SCHEMA_VERSION } from './persistence/engines/postgres-schema.ts';
export type { StoredDoc } from './persistence/update-store.ts';
export { replayStoredDoc } from './persistence/doc-replay.ts';
export { compactDoc } from './persistence/compaction.ts';
