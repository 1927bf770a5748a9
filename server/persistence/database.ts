import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { SynchronousLevel } from '../config.ts';
import { entryChecksum, snapshotDigest } from './entry-checksum.ts';

/** The open SQLite database of one server (better-sqlite3 handle). */
export type AppDatabase = SqliteDatabase;

/** File name of the database inside DATA_DIR. */
export const DATABASE_FILE = 'apparatus.sqlite';

// Each entry upgrades the schema by one version; `PRAGMA user_version` records how far we got.
// AUTOINCREMENT on doc_updates: ids are never reused after a trim, so a snapshot's
// `through_update_id` stays a valid boundary forever.
const migrations: readonly string[] = [
  `
  CREATE TABLE rooms (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    invite_generation INTEGER NOT NULL DEFAULT 1
  );
  CREATE TABLE doc_snapshots (
    doc TEXT PRIMARY KEY,
    snapshot BLOB NOT NULL,
    state_vector BLOB NOT NULL,
    through_update_id INTEGER NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE doc_updates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc TEXT NOT NULL,
    update_bytes BLOB NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX doc_updates_by_doc ON doc_updates (doc, id);
  CREATE TABLE invites (
    token_hash TEXT PRIMARY KEY,
    room TEXT NOT NULL REFERENCES rooms (id),
    role TEXT NOT NULL CHECK (role IN ('owner', 'reviewer', 'annotator', 'viewer')),
    created_at INTEGER NOT NULL,
    expires_at INTEGER,
    revoked INTEGER NOT NULL DEFAULT 0,
    label TEXT
  );
  CREATE INDEX invites_by_room ON invites (room);
  CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    room TEXT NOT NULL REFERENCES rooms (id),
    role TEXT NOT NULL,
    invite_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX sessions_by_invite ON sessions (invite_hash);
  CREATE TABLE user_profiles (
    user_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );
  `,
  // The SHA-256 of each snapshot as it was written (every snapshot is checked to decode before it
  // is written), so that a loader can tell the stored bytes are still those. NULL for snapshots
  // written before this version: they are read as before.
  `ALTER TABLE doc_snapshots ADD COLUMN snapshot_sha256 BLOB;`,
  // Accounts and seminars (issue 16, docs/accounts-and-seminars.md). Everything existing keeps
  // working unchanged: rooms without a seminar are reached through their invites as before, the
  // room-scoped `sessions` stay valid, and display names stay in `user_profiles` (accounts keep
  // theirs there too, so the access checks read one table).
  `
  CREATE TABLE accounts (
    user_id TEXT PRIMARY KEY,
    email TEXT UNIQUE COLLATE NOCASE,
    password_hash TEXT,
    is_admin INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    password_changed_at INTEGER
  );
  CREATE TABLE account_logins (
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES accounts (user_id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (issuer, subject)
  );
  CREATE TABLE identity_links (
    alias_id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES accounts (user_id) ON DELETE CASCADE,
    linked_at INTEGER NOT NULL
  );
  CREATE INDEX identity_links_by_user ON identity_links (user_id);
  CREATE TABLE web_sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX web_sessions_by_user ON web_sessions (user_id);
  CREATE TABLE seminars (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL
  );
  CREATE TABLE seminar_members (
    seminar_id TEXT NOT NULL REFERENCES seminars (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('owner', 'reviewer', 'annotator', 'viewer')),
    joined_at INTEGER NOT NULL,
    PRIMARY KEY (seminar_id, user_id)
  );
  CREATE INDEX seminar_members_by_user ON seminar_members (user_id);
  CREATE TABLE seminar_invites (
    token_hash TEXT PRIMARY KEY,
    seminar_id TEXT NOT NULL REFERENCES seminars (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('owner', 'reviewer', 'annotator', 'viewer')),
    label TEXT,
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    expires_at INTEGER,
    revoked INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX seminar_invites_by_seminar ON seminar_invites (seminar_id);
  ALTER TABLE rooms ADD COLUMN seminar_id TEXT REFERENCES seminars (id);
  ALTER TABLE rooms ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE rooms ADD COLUMN archived_at INTEGER;
  CREATE INDEX rooms_by_seminar ON rooms (seminar_id, position);
  CREATE TABLE chapter_roles (
    room TEXT NOT NULL REFERENCES rooms (id),
    user_id TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('owner', 'reviewer', 'annotator', 'viewer')),
    PRIMARY KEY (room, user_id)
  );
  CREATE TABLE room_grants (
    room TEXT NOT NULL REFERENCES rooms (id),
    user_id TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('owner', 'reviewer', 'annotator', 'viewer')),
    invite_hash TEXT NOT NULL,
    granted_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, room, invite_hash)
  );
  CREATE INDEX room_grants_by_room ON room_grants (room);
  CREATE TABLE room_stats (
    room TEXT PRIMARY KEY REFERENCES rooms (id),
    annotations INTEGER NOT NULL,
    open_problems INTEGER NOT NULL,
    last_activity_at INTEGER,
    stale INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
  // Integrity of the update log (issue 14, P5). Every entry gets its place in its document's log
  // (`seq`, 1, 2, 3, … per document) and a checksum over document, place and bytes; every
  // document a head record (the last seq written), updated in the same transaction as each
  // append; a snapshot the seq it covers. A loader can then tell a flipped byte, a deleted row
  // (a gap in the seqs) or a lost tail (the head beyond the last row). Existing entries are
  // numbered in id order and checksummed as they are now (backfilled, so only damage after this
  // migration is detectable); snapshots without a digest get one. Entries that do not load
  // (issue 14, P1) are moved to doc_quarantine with their seq, so the log has no gap where they were.
  `
  ALTER TABLE doc_updates ADD COLUMN seq INTEGER;
  ALTER TABLE doc_updates ADD COLUMN checksum BLOB;
  ALTER TABLE doc_snapshots ADD COLUMN through_seq INTEGER NOT NULL DEFAULT 0;
  UPDATE doc_updates SET seq = numbered.n
    FROM (SELECT id, row_number() OVER (PARTITION BY doc ORDER BY id) AS n FROM doc_updates) AS numbered
    WHERE doc_updates.id = numbered.id;
  UPDATE doc_updates SET checksum = apparatus_entry_checksum(doc, seq, update_bytes);
  UPDATE doc_snapshots SET snapshot_sha256 = apparatus_sha256(snapshot) WHERE snapshot_sha256 IS NULL;
  CREATE UNIQUE INDEX doc_updates_by_seq ON doc_updates (doc, seq);
  CREATE TABLE doc_heads (
    doc TEXT PRIMARY KEY,
    last_seq INTEGER NOT NULL
  );
  INSERT INTO doc_heads (doc, last_seq) SELECT doc, max(seq) FROM doc_updates GROUP BY doc;
  INSERT OR IGNORE INTO doc_heads (doc, last_seq) SELECT doc, 0 FROM doc_snapshots;
  CREATE TABLE doc_quarantine (
    id INTEGER PRIMARY KEY,
    doc TEXT NOT NULL,
    seq INTEGER,
    update_bytes BLOB NOT NULL,
    checksum BLOB,
    original_id INTEGER NOT NULL,
    reason TEXT NOT NULL,
    quarantined_at INTEGER NOT NULL
  );
  CREATE INDEX doc_quarantine_by_doc ON doc_quarantine (doc, seq);
  `,
  // Which user writes under each Yjs client id of each document (issue 14, P2), recorded in the
  // transaction that stores the first update under that id. Kept apart from the log, so it
  // survives reloads and compaction. Entries stored before this version teach nothing here: the
  // access layer still learns those owners from the entries' authors when a room loads.
  `
  CREATE TABLE doc_client_owners (
    doc TEXT NOT NULL,
    client INTEGER NOT NULL,
    user_id TEXT NOT NULL,
    claimed_at INTEGER NOT NULL,
    PRIMARY KEY (doc, client)
  ) WITHOUT ROWID;
  `,
  // The identity of this store (issue 14, P5): a random id made once, when the database is
  // created (or first migrated), and recorded beside the server secret in DATA_DIR/store-id. A
  // database that vanished and came back empty has another id, or none, and is refused rather
  // than taken for the old one.
  `
  CREATE TABLE store_identity (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    store_id TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  INSERT INTO store_identity (singleton, store_id, created_at)
    VALUES (1, lower(hex(randomblob(16))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
  `,
  // Blind rounds (docs/seminar-view.md): at most one open or revealing round per room; a round's
  // participants are those who opened their own layer (`<room>/rounds/<id>/<user>`, stored in
  // doc_updates/doc_snapshots like every document). Rows go with their room. IF NOT EXISTS: a
  // store taken back to an earlier version by hand (tests of older schemas) runs it again.
  `
  CREATE TABLE IF NOT EXISTS blind_rounds (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    room TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    state TEXT NOT NULL CHECK (state IN ('open', 'revealing', 'revealed', 'ended')),
    show_staff INTEGER NOT NULL DEFAULT 0,
    started_by TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    closed_at INTEGER,
    revealed_count INTEGER
  );
  CREATE UNIQUE INDEX IF NOT EXISTS blind_rounds_one_running ON blind_rounds (room) WHERE state IN ('open', 'revealing');
  CREATE TABLE IF NOT EXISTS blind_round_participants (
    round_id INTEGER NOT NULL REFERENCES blind_rounds (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    joined_at INTEGER NOT NULL,
    PRIMARY KEY (round_id, user_id)
  );
  `,
  // Snapshots stored compressed (docs/durability.md, snapshot-encoding.ts): how each one's bytes
  // are encoded. Existing rows are raw Yjs updates and are read as before; each is written
  // compressed at its next compaction. `snapshot_sha256` stays the digest of the raw update.
  `ALTER TABLE doc_snapshots ADD COLUMN snapshot_encoding TEXT NOT NULL DEFAULT 'raw';`,
];

/**
 * SQL functions the migrations (and only they) call: the checksums of entry-checksum.ts, so that
 * a backfill computes exactly what the server writes. Deterministic, registered on every connection.
 */
function registerFunctions(db: AppDatabase): void {
  db.function('apparatus_entry_checksum', { deterministic: true }, (doc: unknown, seq: unknown, bytes: unknown) =>
    entryChecksum(String(doc), Number(seq), bytes as Uint8Array),
  );
  db.function('apparatus_sha256', { deterministic: true }, (bytes: unknown) => snapshotDigest(bytes as Uint8Array));
}

/**
 * The schema version a database had just before the migration whose SQL contains `marker` ran
 * (tests make stores "as an older version left them" with it); throws a RangeError when none does.
 */
export function schemaVersionBefore(marker: string): number {
  const index = migrations.findIndex((sql) => sql.includes(marker));
  if (index < 0) throw new RangeError(`no migration contains ${JSON.stringify(marker)}`);
  return index;
}

/** The schema version a database has once every migration ran (`PRAGMA user_version`). */
export const SCHEMA_VERSION = migrations.length;

/** Applies the migrations the database has not seen yet, each in its own transaction. */
function migrate(db: AppDatabase): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let version = current; version < migrations.length; version++) {
    db.transaction(() => {
      db.exec(migrations[version] ?? '');
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}

/**
 * Opens (creating if needed) the server database in `dataDir`: WAL journal, the given
 * synchronous level, foreign keys on, schema migrated. Throws if the file cannot be opened.
 */
export function openDatabase(dataDir: string, synchronous: SynchronousLevel): AppDatabase {
  mkdirSync(dataDir, { recursive: true });
  return prepareDatabase(new Database(path.join(dataDir, DATABASE_FILE)), synchronous);
}

/**
 * An empty database in memory with the schema migrated: what a server whose store is lost runs
 * on (issue 14, P5), so that it can answer /healthz and refuse everything else, writing nothing.
 */
export function openMemoryDatabase(): AppDatabase {
  return prepareDatabase(new Database(':memory:'), 'NORMAL');
}

function prepareDatabase(db: AppDatabase, synchronous: SynchronousLevel): AppDatabase {
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${synchronous}`);
    db.pragma('foreign_keys = ON');
    // Only this process writes; a short wait covers a test or CLI reading the file at the same time.
    db.pragma('busy_timeout = 2000');
    registerFunctions(db);
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
