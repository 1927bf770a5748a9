import type { Statement } from 'better-sqlite3';
import { timingSafeEqual } from 'node:crypto';
import type { AppDatabase } from './database.ts';
import { entryChecksum, snapshotDigest } from './entry-checksum.ts';

export { snapshotDigest } from './entry-checksum.ts';

/** What is stored for one document: its snapshot (if any) and the log of updates after it. */
export interface StoredDoc {
  snapshot: Uint8Array | null;
  /** The SHA-256 of the snapshot recorded when it was written, or null (none, or written before digests). */
  snapshotDigest: Uint8Array | null;
  /** The last log seq the snapshot covers (0 without one). */
  snapshotThroughSeq: number;
  /** Updates in the order they were committed. */
  updates: Uint8Array[];
  /** Per update (same order): its place in the document's log, or null (never for entries written since seqs exist). */
  seqs: (number | null)[];
  /** Per update: the checksum stored with it (entry-checksum.ts), or null. */
  checksums: (Uint8Array | null)[];
  /** Per update: its row id. */
  ids: number[];
  /** The last seq ever written for the document (its head record), or null when it has none. */
  head: number | null;
  /** Seqs after the snapshot whose entries were moved to quarantine (they leave no gap). */
  quarantinedSeqs: number[];
  /** Id of the last update row read, or the snapshot's boundary when the log is empty. */
  lastUpdateId: number;
}

/** A Yjs client id first written under by a user in a document. */
export interface ClientClaim {
  client: number;
  userId: string;
}

/** One update to append to a document's log, with the client ids it is the first to write under. */
export interface UpdateToAppend {
  docName: string;
  update: Uint8Array;
  claims?: readonly ClientClaim[] | undefined;
}

/** A log entry to move to quarantine, and why. */
export interface QuarantineRequest {
  seq: number;
  reason: string;
}

interface UpdateRow {
  id: number;
  seq: number | null;
  checksum: Buffer | null;
  update_bytes: Buffer;
}

interface SnapshotRow {
  snapshot: Buffer;
  snapshot_sha256: Buffer | null;
  through_update_id: number;
  through_seq: number;
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
 * Every entry carries its seq and checksum and every append moves the document's head, so that a
 * loader can verify what it reads (store-integrity.ts). All methods are synchronous
 * (better-sqlite3) and throw on storage errors.
 */
export class UpdateStore {
  readonly #db: AppDatabase;
  readonly #insertUpdate: Statement<[string, Uint8Array, number, number, Uint8Array]>;
  readonly #selectHead: Statement<[string], { last_seq: number }>;
  readonly #upsertHead: Statement<[string, number]>;
  readonly #insertClaim: Statement<[string, number, string, number]>;
  readonly #selectSnapshot: Statement<[string], SnapshotRow>;
  readonly #selectUpdates: Statement<[string, number], UpdateRow>;
  readonly #selectQuarantined: Statement<[string, number], { seq: number }>;
  readonly #countUpdates: Statement<[string], { n: number }>;
  readonly #lastUpdateId: Statement<[string, string], { id: number | null }>;
  readonly #seqThrough: Statement<[{ doc: string; through: number }], { seq: number | null }>;
  readonly #upsertSnapshot: Statement<[string, Uint8Array, Uint8Array, Uint8Array, number, number, number]>;
  readonly #deleteUpdatesThrough: Statement<[string, number]>;
  readonly #deleteSnapshot: Statement<[string]>;
  readonly #deleteUpdates: Statement<[string]>;
  readonly #lastWrite: Statement<[string, string], { at: number | null }>;
  readonly #quarantineEntry: Statement<[{ doc: string; seq: number; at: number; reason: string }]>;
  readonly #deleteEntry: Statement<[string, number]>;
  readonly #selectOwners: Statement<[string], { client: number; user_id: string }>;
  readonly #countQuarantined: Statement<[], { n: number }>;
  readonly #deleteHead: Statement<[string]>;
  readonly #deleteOwners: Statement<[string]>;
  readonly #deleteQuarantined: Statement<[string]>;

  constructor(db: AppDatabase) {
    this.#db = db;
    this.#insertUpdate = db.prepare('INSERT INTO doc_updates (doc, update_bytes, created_at, seq, checksum) VALUES (?, ?, ?, ?, ?)');
    this.#selectHead = db.prepare('SELECT last_seq FROM doc_heads WHERE doc = ?');
    this.#upsertHead = db.prepare('INSERT INTO doc_heads (doc, last_seq) VALUES (?, ?) ON CONFLICT (doc) DO UPDATE SET last_seq = max(last_seq, excluded.last_seq)');
    this.#insertClaim = db.prepare('INSERT OR IGNORE INTO doc_client_owners (doc, client, user_id, claimed_at) VALUES (?, ?, ?, ?)');
    this.#selectSnapshot = db.prepare('SELECT snapshot, snapshot_sha256, through_update_id, through_seq FROM doc_snapshots WHERE doc = ?');
    this.#selectUpdates = db.prepare('SELECT id, seq, checksum, update_bytes FROM doc_updates WHERE doc = ? AND id > ? ORDER BY id');
    this.#selectQuarantined = db.prepare('SELECT seq FROM doc_quarantine WHERE doc = ? AND seq > ? ORDER BY seq');
    this.#countUpdates = db.prepare('SELECT count(*) AS n FROM doc_updates WHERE doc = ?');
    this.#lastUpdateId = db.prepare(
      `SELECT max(id) AS id FROM (SELECT max(id) AS id FROM doc_updates WHERE doc = ?
         UNION ALL SELECT through_update_id AS id FROM doc_snapshots WHERE doc = ?)`,
    );
    this.#seqThrough = db.prepare(
      `SELECT coalesce((SELECT max(seq) FROM doc_updates WHERE doc = @doc AND id <= @through),
                       (SELECT through_seq FROM doc_snapshots WHERE doc = @doc), 0) AS seq`,
    );
    this.#upsertSnapshot = db.prepare(
      `INSERT INTO doc_snapshots (doc, snapshot, snapshot_sha256, state_vector, through_update_id, through_seq, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (doc) DO UPDATE SET snapshot = excluded.snapshot, snapshot_sha256 = excluded.snapshot_sha256,
         state_vector = excluded.state_vector, through_update_id = excluded.through_update_id, through_seq = excluded.through_seq,
         created_at = excluded.created_at`,
    );
    this.#deleteUpdatesThrough = db.prepare('DELETE FROM doc_updates WHERE doc = ? AND id <= ?');
    this.#deleteSnapshot = db.prepare('DELETE FROM doc_snapshots WHERE doc = ?');
    this.#deleteUpdates = db.prepare('DELETE FROM doc_updates WHERE doc = ?');
    this.#lastWrite = db.prepare(
      `SELECT max(at) AS at FROM (SELECT max(created_at) AS at FROM doc_updates WHERE doc = ?
         UNION ALL SELECT created_at AS at FROM doc_snapshots WHERE doc = ?)`,
    );
    this.#quarantineEntry = db.prepare(
      `INSERT INTO doc_quarantine (doc, seq, update_bytes, checksum, original_id, reason, quarantined_at)
       SELECT doc, seq, update_bytes, checksum, id, @reason, @at FROM doc_updates WHERE doc = @doc AND seq = @seq`,
    );
    this.#deleteEntry = db.prepare('DELETE FROM doc_updates WHERE doc = ? AND seq = ?');
    this.#selectOwners = db.prepare('SELECT client, user_id FROM doc_client_owners WHERE doc = ?');
    this.#countQuarantined = db.prepare('SELECT count(*) AS n FROM doc_quarantine');
    this.#deleteHead = db.prepare('DELETE FROM doc_heads WHERE doc = ?');
    this.#deleteOwners = db.prepare('DELETE FROM doc_client_owners WHERE doc = ?');
    this.#deleteQuarantined = db.prepare('DELETE FROM doc_quarantine WHERE doc = ?');
  }

  /**
   * Deletes a document's snapshot and log, and with them its head record, client-id owners and
   * quarantined entries (its room is being deleted: a new room may take its name).
   */
  deleteDoc(docName: string): void {
    this.#db.transaction(() => {
      this.#deleteSnapshot.run(docName);
      this.#deleteUpdates.run(docName);
      this.#deleteHead.run(docName);
      this.#deleteOwners.run(docName);
      this.#deleteQuarantined.run(docName);
    })();
  }

  /**
   * When a document was last written (its latest log entry, or its snapshot when the log is
   * empty: a compaction, close to the last change), or null for a document never stored.
   */
  lastWriteAt(docName: string): number | null {
    return this.#lastWrite.get(docName, docName)?.at ?? null;
  }

  /** Reads a document's snapshot, the updates logged after it, its head and its quarantined seqs. */
  loadDoc(docName: string): StoredDoc {
    return this.#db.transaction(() => {
      const snapshotRow = this.#selectSnapshot.get(docName);
      const boundary = snapshotRow?.through_update_id ?? 0;
      const throughSeq = snapshotRow?.through_seq ?? 0;
      const rows = this.#selectUpdates.all(docName, boundary);
      return {
        snapshot: snapshotRow ? snapshotRow.snapshot : null,
        snapshotDigest: snapshotRow?.snapshot_sha256 ?? null,
        snapshotThroughSeq: throughSeq,
        updates: rows.map((row) => row.update_bytes),
        seqs: rows.map((row) => row.seq),
        checksums: rows.map((row) => row.checksum),
        ids: rows.map((row) => row.id),
        head: this.#selectHead.get(docName)?.last_seq ?? null,
        quarantinedSeqs: this.#selectQuarantined.all(docName, throughSeq).map((row) => row.seq),
        lastUpdateId: rows.length > 0 ? (rows[rows.length - 1]?.id ?? boundary) : boundary,
      };
    })();
  }

  /**
   * Appends updates to their documents' logs in one transaction: all are stored or none. Each
   * gets the next seq of its document and its checksum; each document's head moves to its last
   * seq; client-id claims are recorded (the first claim of an id stands).
   */
  appendUpdates(entries: readonly UpdateToAppend[]): void {
    const now = Date.now();
    this.#db.transaction(() => {
      const heads = new Map<string, number>();
      for (const { docName, update, claims } of entries) {
        const seq = (heads.get(docName) ?? this.#selectHead.get(docName)?.last_seq ?? 0) + 1;
        heads.set(docName, seq);
        this.#insertUpdate.run(docName, update, now, seq, entryChecksum(docName, seq, update));
        for (const claim of claims ?? []) this.#insertClaim.run(docName, claim.client, claim.userId, now);
      }
      for (const [docName, seq] of heads) this.#upsertHead.run(docName, seq);
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
   * In one transaction, stores `snapshot` (with its digest: taken here unless the caller took it,
   * as the compaction worker does) as the document's state through update `throughUpdateId` and
   * deletes the log entries it replaces. Called with 0 to seed a new document.
   * Callers write only snapshots they have checked to decode (compaction, room creation).
   */
  replaceLogWithSnapshot(docName: string, snapshot: Uint8Array, stateVector: Uint8Array, throughUpdateId: number, digest: Uint8Array = snapshotDigest(snapshot)): void {
    this.#db.transaction(() => {
      const throughSeq = this.#seqThrough.get({ doc: docName, through: throughUpdateId })?.seq ?? 0;
      this.#upsertSnapshot.run(docName, snapshot, digest, stateVector, throughUpdateId, throughSeq, Date.now());
      this.#deleteUpdatesThrough.run(docName, throughUpdateId);
      this.#upsertHead.run(docName, throughSeq);
    })();
  }

  /**
   * Moves log entries that do not load (issue 14, P1) out of the log into `doc_quarantine`, with
   * their bytes, checksum, seq and the reason, in one transaction. Their seqs stay accounted for,
   * so the log shows no gap. Returns how many were moved.
   */
  quarantine(docName: string, entries: readonly QuarantineRequest[]): number {
    const now = Date.now();
    return this.#db.transaction(() => {
      let moved = 0;
      for (const { seq, reason } of entries) {
        if (this.#quarantineEntry.run({ doc: docName, seq, at: now, reason }).changes === 0) continue;
        this.#deleteEntry.run(docName, seq);
        moved++;
      }
      return moved;
    })();
  }

  /** Returns who writes under each Yjs client id of a document, as recorded with the updates. */
  loadClientOwners(docName: string): Map<number, string> {
    return new Map(this.#selectOwners.all(docName).map((row) => [row.client, row.user_id]));
  }

  /** Returns how many log entries the store holds in quarantine, over all documents. */
  countQuarantined(): number {
    return this.#countQuarantined.get()?.n ?? 0;
  }
}
