import type { PoolClient } from 'pg';

/**
 * The PostgreSQL schema: the tables of SQLite's migrations (database.ts) as they stand after the
 * last one, in PostgreSQL's types. Timestamps are epoch milliseconds (BIGINT), flags 0/1
 * integers and bytes BYTEA, so that the stores' SQL reads the same rows on both engines.
 * Versioned like SQLite's: `apparatus_schema.version` says how many entries of
 * `POSTGRES_MIGRATIONS` ran; a later change appends an entry.
 */
const POSTGRES_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE seminars (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL
  );
  CREATE TABLE rooms (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    invite_generation INTEGER NOT NULL DEFAULT 1,
    seminar_id TEXT REFERENCES seminars (id),
    position INTEGER NOT NULL DEFAULT 0,
    archived_at BIGINT
  );
  CREATE INDEX rooms_by_seminar ON rooms (seminar_id, position);
  CREATE TABLE doc_snapshots (
    doc TEXT PRIMARY KEY,
    snapshot BYTEA NOT NULL,
    state_vector BYTEA NOT NULL,
    through_update_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    snapshot_sha256 BYTEA,
    through_seq BIGINT NOT NULL DEFAULT 0
  );
  CREATE TABLE doc_updates (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    doc TEXT NOT NULL,
    update_bytes BYTEA NOT NULL,
    created_at BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    checksum BYTEA
  );
  CREATE UNIQUE INDEX doc_updates_by_seq ON doc_updates (doc, seq);
  CREATE TABLE doc_heads (
    doc TEXT PRIMARY KEY,
    last_seq BIGINT NOT NULL
  );
  CREATE TABLE doc_quarantine (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    doc TEXT NOT NULL,
    seq BIGINT,
    update_bytes BYTEA NOT NULL,
    checksum BYTEA,
    original_id BIGINT NOT NULL,
    reason TEXT NOT NULL,
    quarantined_at BIGINT NOT NULL
  );
  CREATE INDEX doc_quarantine_by_doc ON doc_quarantine (doc, seq);
  CREATE TABLE doc_client_owners (
    doc TEXT NOT NULL,
    client BIGINT NOT NULL,
    user_id TEXT NOT NULL,
    claimed_at BIGINT NOT NULL,
    PRIMARY KEY (doc, client)
  );
  CREATE TABLE invites (
    token_hash TEXT PRIMARY KEY,
    room TEXT NOT NULL REFERENCES rooms (id),
    role TEXT NOT NULL CHECK (role IN ('owner', 'reviewer', 'annotator', 'viewer')),
    created_at BIGINT NOT NULL,
    expires_at BIGINT,
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
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
  );
  CREATE INDEX sessions_by_invite ON sessions (invite_hash);
  CREATE INDEX sessions_by_user ON sessions (user_id);
  CREATE TABLE user_profiles (
    user_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    updated_at BIGINT NOT NULL
  );
  CREATE TABLE accounts (
    user_id TEXT PRIMARY KEY,
    email TEXT,
    password_hash TEXT,
    is_admin INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    password_changed_at BIGINT
  );
  CREATE UNIQUE INDEX accounts_by_email ON accounts (lower(email));
  CREATE TABLE account_logins (
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES accounts (user_id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (issuer, subject)
  );
  CREATE TABLE identity_links (
    alias_id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES accounts (user_id) ON DELETE CASCADE,
    linked_at BIGINT NOT NULL
  );
  CREATE INDEX identity_links_by_user ON identity_links (user_id);
  CREATE TABLE web_sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
  );
  CREATE INDEX web_sessions_by_user ON web_sessions (user_id);
  CREATE TABLE seminar_members (
    seminar_id TEXT NOT NULL REFERENCES seminars (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('owner', 'reviewer', 'annotator', 'viewer')),
    joined_at BIGINT NOT NULL,
    PRIMARY KEY (seminar_id, user_id)
  );
  CREATE INDEX seminar_members_by_user ON seminar_members (user_id);
  CREATE TABLE seminar_invites (
    token_hash TEXT PRIMARY KEY,
    seminar_id TEXT NOT NULL REFERENCES seminars (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('owner', 'reviewer', 'annotator', 'viewer')),
    label TEXT,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    expires_at BIGINT,
    revoked INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX seminar_invites_by_seminar ON seminar_invites (seminar_id);
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
    granted_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, room, invite_hash)
  );
  CREATE INDEX room_grants_by_room ON room_grants (room);
  CREATE TABLE room_stats (
    room TEXT PRIMARY KEY REFERENCES rooms (id),
    annotations INTEGER NOT NULL,
    open_problems INTEGER NOT NULL,
    last_activity_at BIGINT,
    stale INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  -- Shared by every server process (SQLite keeps it in DATA_DIR/server-secret): derived invite
  -- links and the admin token must be the same whichever process prints or checks them.
  CREATE TABLE server_secret (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    secret TEXT NOT NULL
  );
  `,
  // Blind rounds (docs/seminar-view.md), as SQLite's migration of them: at most one open or
  // revealing round per room (the unique index decides between processes); rows go with their room.
  `
  CREATE TABLE blind_rounds (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    room TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    state TEXT NOT NULL CHECK (state IN ('open', 'revealing', 'revealed', 'ended')),
    show_staff INTEGER NOT NULL DEFAULT 0,
    started_by TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    closed_at BIGINT,
    revealed_count INTEGER
  );
  CREATE UNIQUE INDEX blind_rounds_one_running ON blind_rounds (room) WHERE state IN ('open', 'revealing');
  CREATE TABLE blind_round_participants (
    round_id BIGINT NOT NULL REFERENCES blind_rounds (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    joined_at BIGINT NOT NULL,
    PRIMARY KEY (round_id, user_id)
  );
  `,
  // Snapshots stored compressed, as SQLite's migration: existing rows are raw Yjs updates.
  `ALTER TABLE doc_snapshots ADD COLUMN snapshot_encoding TEXT NOT NULL DEFAULT 'raw';`,
];

/** The schema version a PostgreSQL database has once every migration ran. */
export const POSTGRES_SCHEMA_VERSION = POSTGRES_MIGRATIONS.length;

/** Key of the session-level advisory lock held while migrating: processes starting together migrate one at a time. */
const MIGRATION_LOCK = 'apparatus:migrate';

/**
 * Brings the database's schema up to date, each migration in its own transaction, holding an
 * advisory lock so that processes starting at the same time do not migrate twice. Throws when
 * the database has a newer schema than this server knows.
 */
export async function migratePostgres(client: PoolClient): Promise<void> {
  await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [MIGRATION_LOCK]);
  try {
    await client.query('CREATE TABLE IF NOT EXISTS apparatus_schema (singleton INTEGER PRIMARY KEY CHECK (singleton = 1), version INTEGER NOT NULL)');
    await client.query('INSERT INTO apparatus_schema (singleton, version) VALUES (1, 0) ON CONFLICT (singleton) DO NOTHING');
    const current = Number((await client.query<{ version: number }>('SELECT version FROM apparatus_schema WHERE singleton = 1')).rows[0]?.version ?? 0);
    if (current > POSTGRES_MIGRATIONS.length) throw new Error(`the database's schema is version ${current}, newer than this server's ${POSTGRES_MIGRATIONS.length}: upgrade the server`);
    for (let version = current; version < POSTGRES_MIGRATIONS.length; version++) {
      await client.query('BEGIN');
      try {
        await client.query(POSTGRES_MIGRATIONS[version] ?? '');
        await client.query('UPDATE apparatus_schema SET version = $1 WHERE singleton = 1', [version + 1]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [MIGRATION_LOCK]);
  }
}
