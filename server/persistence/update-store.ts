import type { Statement } from 'better-sqlite3';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AppDatabase } from './database.ts';

/** What is stored for one document: its snapshot (if any) and the log of updates after it. */
export interface StoredDoc {
  snapshot: Uint8Array | null;
  /** The SHA-256 of the snapshot recorded when it was written, or null (none, or written before digests). */
  snapshotDigest: Uint8Array | null;
  /** Updates in the order they were committed. */
  updates: Uint8Array[];
  /** Id of the last update row read, or the snapshot's boundary when the log is empty. */
  lastUpdateId: number;
}

/** One update to append to a document's log. */
export interface UpdateToAppend {
  docName: string;
  update: Uint8Array;
}

interface UpdateRow {
  id: number;
  update_bytes: Buffer;
}

interface SnapshotRow {
  snapshot: Buffer;
  snapshot_sha256: Buffer | null;
  through_update_id: number;
}

/** The digest recorded with a snapshot: SHA-256 of its bytes (~1 ms for 2 MB). */
export function snapshotDigest(snapshot: Uint8Array): Uint8Array {
  return createHash('sha256').update(snapshot).digest();
}

/**
 * Whether a stored document's snapshot is, byte for byte, the one the server wrote (and checked
 * to decode, as every snapshot is before it is written): its recorded digest matches. False when
 * there is no snapshot or no digest, or the bytes changed since (corruption).
 */
export function snapshotIntact(stored: StoredDoc): boolean {
  if (stored.snapshot === null || stored.snapshotDigest === null) return false;
  const digest = snapshotDigest(stored.snapshot);
  return digest.byteLength === stored.snapshotDigest.byteLength && timingSafeEqual(digest, stored.snapshotDigest);
}

/**
 * The Yjs document store: per document, an append-only log of updates plus at most one snapshot
 * that replaces the log entries up to `through_update_id`. Document names are `<room>/<kind>`.
 * All methods are synchronous (better-sqlite3) and throw on storage errors.
 */
export class UpdateStore {
  readonly #db: AppDatabase;
  readonly #insertUpdate: Statement<[string, Uint8Array, number]>;
  readonly #selectSnapshot: Statement<[string], SnapshotRow>;
  readonly #selectUpdates: Statement<[string, number], UpdateRow>;
  readonly #countUpdates: Statement<[string], { n: number }>;
  readonly #lastUpdateId: Statement<[string, string], { id: number | null }>;
  readonly #upsertSnapshot: Statement<[string, Uint8Array, Uint8Array, Uint8Array, number, number]>;
  readonly #deleteUpdatesThrough: Statement<[string, number]>;
  readonly #deleteSnapshot: Statement<[string]>;
  readonly #deleteUpdates: Statement<[string]>;
  readonly #lastWrite: Statement<[string, string], { at: number | null }>;

  constructor(db: AppDatabase) {
    this.#db = db;
    this.#insertUpdate = db.prepare('INSERT INTO doc_updates (doc, update_bytes, created_at) VALUES (?, ?, ?)');
    this.#selectSnapshot = db.prepare('SELECT snapshot, snapshot_sha256, through_update_id FROM doc_snapshots WHERE doc = ?');
    this.#selectUpdates = db.prepare('SELECT id, update_bytes FROM doc_updates WHERE doc = ? AND id > ? ORDER BY id');
    this.#countUpdates = db.prepare('SELECT count(*) AS n FROM doc_updates WHERE doc = ?');
    this.#lastUpdateId = db.prepare(
      `SELECT max(id) AS id FROM (SELECT max(id) AS id FROM doc_updates WHERE doc = ?
         UNION ALL SELECT through_update_id AS id FROM doc_snapshots WHERE doc = ?)`,
    );
    this.#upsertSnapshot = db.prepare(
      `INSERT INTO doc_snapshots (doc, snapshot, snapshot_sha256, state_vector, through_update_id, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (doc) DO UPDATE SET snapshot = excluded.snapshot, snapshot_sha256 = excluded.snapshot_sha256,
         state_vector = excluded.state_vector, through_update_id = excluded.through_update_id, created_at = excluded.created_at`,
    );
    this.#deleteUpdatesThrough = db.prepare('DELETE FROM doc_updates WHERE doc = ? AND id <= ?');
    this.#deleteSnapshot = db.prepare('DELETE FROM doc_snapshots WHERE doc = ?');
    this.#deleteUpdates = db.prepare('DELETE FROM doc_updates WHERE doc = ?');
    this.#lastWrite = db.prepare(
      `SELECT max(at) AS at FROM (SELECT max(created_at) AS at FROM doc_updates WHERE doc = ?
         UNION ALL SELECT created_at AS at FROM doc_snapshots WHERE doc = ?)`,
    );
  }

  /** Deletes a document's snapshot and log (its room is being deleted). */
  deleteDoc(docName: string): void {
    this.#db.transaction(() => {
      this.#deleteSnapshot.run(docName);
      this.#deleteUpdates.run(docName);
    })();
  }

  /**
   * When a document was last written (its latest log entry, or its snapshot when the log is
   * empty: a compaction, close to the last change), or null for a document never stored.
   */
  lastWriteAt(docName: string): number | null {
    return this.#lastWrite.get(docName, docName)?.at ?? null;
  }

  /** Reads a document's snapshot and the updates logged after it. */
  loadDoc(docName: string): StoredDoc {
    return this.#db.transaction(() => {
      const snapshotRow = this.#selectSnapshot.get(docName);
      const boundary = snapshotRow?.through_update_id ?? 0;
      const rows = this.#selectUpdates.all(docName, boundary);
      return {
        snapshot: snapshotRow ? snapshotRow.snapshot : null,
        snapshotDigest: snapshotRow?.snapshot_sha256 ?? null,
        updates: rows.map((row) => row.update_bytes),
        lastUpdateId: rows.length > 0 ? (rows[rows.length - 1]?.id ?? boundary) : boundary,
      };
    })();
  }

  /** Appends updates to their documents' logs in one transaction: all are stored or none. */
  appendUpdates(entries: readonly UpdateToAppend[]): void {
    const now = Date.now();
    this.#db.transaction(() => {
      for (const entry of entries) this.#insertUpdate.run(entry.docName, entry.update, now);
    })();
  }

  /** Returns how many updates a document's log holds after its snapshot. */
  countUpdates(docName: string): number {
    return this.#countUpdates.get(docName)?.n ?? 0;
  }

  /** Returns the id of the last update stored for a document (or its snapshot's boundary, or 0). */
  lastUpdateId(docName: string): number {
    return this.#lastUpdateId.get(docName, docName)?.id ?? 0;
  }

  /**
   * In one transaction, stores `snapshot` (with its digest) as the document's state through update
   * `throughUpdateId` and deletes the log entries it replaces. Called with 0 to seed a new document.
   * Callers write only snapshots they have checked to decode (compaction, room creation).
   */
  replaceLogWithSnapshot(docName: string, snapshot: Uint8Array, stateVector: Uint8Array, throughUpdateId: number): void {
    const digest = snapshotDigest(snapshot);
    this.#db.transaction(() => {
      this.#upsertSnapshot.run(docName, snapshot, digest, stateVector, throughUpdateId, Date.now());
      this.#deleteUpdatesThrough.run(docName, throughUpdateId);
    })();
  }
}
