import { timingSafeEqual } from 'node:crypto';
import { parseRoundLayer } from '../../schema/index.ts';
import { roomOfDocName } from '../rooms/doc-names.ts';
import { entryChecksum, snapshotDigest } from './entry-checksum.ts';
import { decodeSnapshot, encodeSnapshot } from './snapshot-encoding.ts';
import type { EncodedSnapshot } from './snapshot-encoding.ts';
import { greatest, placeholders } from './sql/sql-executor.ts';
import type { SqlExecutor } from './sql/sql-executor.ts';

export { snapshotDigest } from './entry-checksum.ts';

/** What is stored for one document: its snapshot (if any) and the log of updates after it. */
export interface StoredDoc {
  /** The snapshot as a Yjs update (V1), decoded from how it is stored (snapshot-encoding.ts). */
  snapshot: Uint8Array | null;
  /**
   * Why the stored snapshot's bytes do not decode, when they do not: `snapshot` then holds the
   * stored bytes as they are, and the snapshot reads as corrupt (as a digest mismatch does).
   */
  snapshotUnreadable?: string | undefined;
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
  /** The last seq ever written for the document (its head record), or null when it has none. */
  head: number | null;
  /** Seqs after the snapshot whose entries were moved to quarantine (they leave no gap). */
  quarantinedSeqs: number[];
  /** The last seq read: the last entry's, or the snapshot's when the log is empty (0 for neither). */
  lastSeq: number;
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

/** One stored log entry as read after a known place (a process catching up, docs/several-servers.md). */
export interface LogEntry {
  seq: number;
  update: Uint8Array;
  checksum: Uint8Array | null;
}

/**
 * What a document's store holds after a known seq: its log entries after it, and, when a
 * compaction folded entries after that seq into the snapshot since, the snapshot too.
 */
export interface LogTail {
  /** The snapshot, when it covers entries after the seq asked for; else null. */
  snapshot: { bytes: Uint8Array; digest: Uint8Array | null; throughSeq: number; unreadable?: string | undefined } | null;
  entries: LogEntry[];
  /** Seqs after the asked-for one moved to quarantine (accounted for, never applied). */
  quarantinedSeqs: number[];
  head: number;
}

/**
 * Entries of an append that the store refused, storing nothing of the append: their claims of
 * Yjs client ids that another user already holds (a second process accepted an update under the
 * same id at the same time), their room is gone (deleted through another process), or they write
 * a blind round's layer after the round closed (revealed through another process). The other
 * entries may be appended again. `entries` are indexes into the append.
 */
export class AppendRefusedError extends Error {
  readonly entries: number[];
  readonly kind: 'claim-conflict' | 'room-gone' | 'round-closed';

  constructor(kind: AppendRefusedError['kind'], entries: number[], message: string) {
    super(message);
    this.name = 'AppendRefusedError';
    this.kind = kind;
    this.entries = entries;
  }
}

interface UpdateRow {
  seq: number | null;
  checksum: Buffer | null;
  update_bytes: Buffer;
}

interface SnapshotRow {
  snapshot: Buffer;
  snapshot_encoding: string;
  snapshot_sha256: Buffer | null;
  through_seq: number;
}

/** A snapshot about to be written, with what the caller already took of it (the compaction worker takes both). */
export interface PreparedSnapshot {
  /** SHA-256 of the raw snapshot (the Yjs update), taken here when absent. */
  digest?: Uint8Array | undefined;
  /** The snapshot as it is to be stored, compressed here when absent. */
  encoded?: EncodedSnapshot | undefined;
}

/** Decodes a stored snapshot row; bytes that do not decode are kept as they are, with why. */
async function decodedSnapshot(row: SnapshotRow): Promise<{ bytes: Uint8Array; unreadable?: string }> {
  const decoded = await decodeSnapshot(row.snapshot, row.snapshot_encoding);
  return decoded.ok ? { bytes: decoded.bytes } : { bytes: row.snapshot, unreadable: decoded.error };
}

/** Rows per multi-row INSERT: well within both engines' limits on bound values. */
const ROWS_PER_INSERT = 500;

/**
 * Whether a stored document's snapshot is, byte for byte, the one the server wrote (and checked
 * to decode, as every snapshot is before it is written): its recorded digest matches. False when
 * there is no snapshot or no digest, or the bytes changed since (corruption).
 */
export function snapshotIntact(stored: Pick<StoredDoc, 'snapshot' | 'snapshotDigest' | 'snapshotUnreadable'>): boolean {
  if (stored.snapshot === null || stored.snapshotDigest === null || stored.snapshotUnreadable !== undefined) return false;
  const digest = snapshotDigest(stored.snapshot);
  return digest.byteLength === stored.snapshotDigest.byteLength && timingSafeEqual(digest, stored.snapshotDigest);
}

/** The lock a compaction of `docName` takes, so that two processes never fold the same log at once. */
function compactionLock(docName: string): string {
  return `apparatus:compact:${docName}`;
}

/**
 * The Yjs document store: per document, an append-only log of updates plus at most one snapshot
 * that replaces the log entries up to its seq. Document names are `<room>/<kind>`. Every entry
 * carries its seq and checksum and every append moves the document's head, so that a loader can
 * verify what it reads (store-integrity.ts). The head record is also what orders appends of
 * several processes to one document: an append takes its row (locked until it commits), so seqs
 * are handed out without gaps and an entry is committed before the next seq is handed out.
 */
export class UpdateStore {
  readonly #sql: SqlExecutor;

  constructor(sql: SqlExecutor) {
    this.#sql = sql;
  }

  /**
   * Deletes a document's snapshot and log, and with them its head record, client-id owners and
   * quarantined entries (its room is being deleted: a new room may take its name).
   */
  async deleteDoc(docName: string): Promise<void> {
    await this.#sql.transaction(async (tx) => {
      for (const table of ['doc_snapshots', 'doc_updates', 'doc_heads', 'doc_client_owners', 'doc_quarantine']) await tx.run(`DELETE FROM ${table} WHERE doc = ?`, [docName]);
    });
  }

  /**
   * When a document was last written (its latest log entry, or its snapshot when the log is
   * empty: a compaction, close to the last change), or null for a document never stored.
   */
  async lastWriteAt(docName: string): Promise<number | null> {
    const row = await this.#sql.get<{ at: number | null }>(
      `SELECT max(at) AS at FROM (SELECT max(created_at) AS at FROM doc_updates WHERE doc = ?
         UNION ALL SELECT created_at AS at FROM doc_snapshots WHERE doc = ?) AS writes`,
      [docName, docName],
    );
    return row?.at ?? null;
  }

  /**
   * Reads a document's snapshot, the updates logged after it, its head and its quarantined seqs,
   * as of one moment. The snapshot is decoded after the read, off the event loop.
   */
  async loadDoc(docName: string): Promise<StoredDoc> {
    const { snapshotRow, stored } = await this.#sql.transaction(
      async (tx) => {
        const snapshotRow = await tx.get<SnapshotRow>('SELECT snapshot, snapshot_encoding, snapshot_sha256, through_seq FROM doc_snapshots WHERE doc = ?', [docName]);
        const throughSeq = snapshotRow?.through_seq ?? 0;
        const rows = await tx.all<UpdateRow>('SELECT seq, checksum, update_bytes FROM doc_updates WHERE doc = ? AND seq > ? ORDER BY seq', [docName, throughSeq]);
        const head = await tx.get<{ last_seq: number }>('SELECT last_seq FROM doc_heads WHERE doc = ?', [docName]);
        const quarantined = await tx.all<{ seq: number }>('SELECT seq FROM doc_quarantine WHERE doc = ? AND seq > ? ORDER BY seq', [docName, throughSeq]);
        const stored: StoredDoc = {
          snapshot: null,
          snapshotDigest: snapshotRow?.snapshot_sha256 ?? null,
          snapshotThroughSeq: throughSeq,
          updates: rows.map((row) => row.update_bytes),
          seqs: rows.map((row) => row.seq),
          checksums: rows.map((row) => row.checksum),
          head: head?.last_seq ?? null,
          quarantinedSeqs: quarantined.map((row) => row.seq),
          lastSeq: rows.length > 0 ? (rows[rows.length - 1]?.seq ?? throughSeq) : throughSeq,
        };
        return { snapshotRow, stored };
      },
      { isolation: 'snapshot' },
    );
    if (!snapshotRow) return stored;
    const { bytes, unreadable } = await decodedSnapshot(snapshotRow);
    return { ...stored, snapshot: bytes, ...(unreadable === undefined ? {} : { snapshotUnreadable: unreadable }) };
  }

  /**
   * What the store holds for a document after seq `afterSeq`, as of one moment: the entries after
   * it, and the snapshot too when a compaction folded some of them into it since.
   */
  async loadLogAfter(docName: string, afterSeq: number): Promise<LogTail> {
    const { snapshotRow, tail } = await this.#sql.transaction(
      async (tx) => {
        const head = (await tx.get<{ last_seq: number }>('SELECT last_seq FROM doc_heads WHERE doc = ?', [docName]))?.last_seq ?? 0;
        if (head <= afterSeq) return { snapshotRow: undefined, tail: { snapshot: null, entries: [], quarantinedSeqs: [], head } };
        const snapshotRow = await tx.get<SnapshotRow>('SELECT snapshot, snapshot_encoding, snapshot_sha256, through_seq FROM doc_snapshots WHERE doc = ? AND through_seq > ?', [docName, afterSeq]);
        const from = Math.max(afterSeq, snapshotRow?.through_seq ?? 0);
        const rows = await tx.all<UpdateRow>('SELECT seq, checksum, update_bytes FROM doc_updates WHERE doc = ? AND seq > ? ORDER BY seq', [docName, from]);
        const quarantined = await tx.all<{ seq: number }>('SELECT seq FROM doc_quarantine WHERE doc = ? AND seq > ? ORDER BY seq', [docName, from]);
        const tail: LogTail = {
          snapshot: null,
          entries: rows.map((row) => ({ seq: row.seq ?? 0, update: row.update_bytes, checksum: row.checksum })),
          quarantinedSeqs: quarantined.map((row) => row.seq),
          head,
        };
        return { snapshotRow, tail };
      },
      { isolation: 'snapshot' },
    );
    if (!snapshotRow) return tail;
    return { ...tail, snapshot: { ...(await decodedSnapshot(snapshotRow)), digest: snapshotRow.snapshot_sha256, throughSeq: snapshotRow.through_seq } };
  }

  /** The head record (last seq written) of each named document that has one. */
  async heads(docNames: readonly string[]): Promise<Map<string, number>> {
    if (docNames.length === 0) return new Map();
    const rows = await this.#sql.all<{ doc: string; last_seq: number }>(`SELECT doc, last_seq FROM doc_heads WHERE doc IN (${placeholders(docNames.length)})`, docNames);
    return new Map(rows.map((row) => [row.doc, row.last_seq]));
  }

  /**
   * Appends updates to their documents' logs in one transaction: all are stored or none. Each
   * gets the next seq of its document and its checksum; each document's head moves to its last
   * seq; client-id claims are recorded (the first claim of an id stands). Throws an
   * AppendRefusedError, storing nothing, when an entry claims an id another user holds or its
   * room is gone. Returns each entry's seq, in order.
   */
  async appendUpdates(entries: readonly UpdateToAppend[]): Promise<number[]> {
    if (entries.length === 0) return [];
    const now = Date.now();
    return this.#sql.transaction(
      async (tx) => {
        const counts = new Map<string, number>();
        for (const { docName } of entries) counts.set(docName, (counts.get(docName) ?? 0) + 1);
        // Reserve each document's seqs: the head row stays locked until this transaction ends.
        await this.#refuseGoneRooms(tx, entries, [...counts.keys()]);
        await this.#refuseClosedLayers(tx, entries);
        const next = new Map<string, number>();
        for (const [docName, count] of counts) {
          const head = await tx.get<{ last_seq: number }>(
            'INSERT INTO doc_heads (doc, last_seq) VALUES (?, ?) ON CONFLICT (doc) DO UPDATE SET last_seq = doc_heads.last_seq + excluded.last_seq RETURNING last_seq',
            [docName, count],
          );
          next.set(docName, (head?.last_seq ?? count) - count + 1);
        }
        const seqs = entries.map(({ docName }) => {
          const seq = next.get(docName) ?? 1;
          next.set(docName, seq + 1);
          return seq;
        });
        for (let start = 0; start < entries.length; start += ROWS_PER_INSERT) {
          const rows = entries.slice(start, start + ROWS_PER_INSERT);
          const values = rows.flatMap(({ docName, update }, i) => [docName, update, now, seqs[start + i], entryChecksum(docName, seqs[start + i]!, update)]);
          await tx.run(`INSERT INTO doc_updates (doc, update_bytes, created_at, seq, checksum) VALUES ${rows.map(() => '(?, ?, ?, ?, ?)').join(', ')}`, values);
        }
        await this.#recordClaims(tx, entries, now);
        return seqs;
      },
      { isolation: 'read-committed' },
    );
  }

  /** Records the appended entries' claims; throws an AppendRefusedError when another user holds one of the ids. */
  async #recordClaims(tx: SqlExecutor, entries: readonly UpdateToAppend[], now: number): Promise<void> {
    const claims = entries.flatMap(({ docName, claims }, index) => (claims ?? []).map((claim) => ({ docName, index, ...claim })));
    if (claims.length === 0) return;
    for (let start = 0; start < claims.length; start += ROWS_PER_INSERT) {
      const rows = claims.slice(start, start + ROWS_PER_INSERT);
      await tx.run(
        `INSERT INTO doc_client_owners (doc, client, user_id, claimed_at) VALUES ${rows.map(() => '(?, ?, ?, ?)').join(', ')} ON CONFLICT (doc, client) DO NOTHING`,
        rows.flatMap((claim) => [claim.docName, claim.client, claim.userId, now]),
      );
    }
    const conflicts: typeof claims = [];
    for (const docName of new Set(claims.map((claim) => claim.docName))) {
      const ofDoc = claims.filter((claim) => claim.docName === docName);
      const owners = await tx.all<{ client: number; user_id: string }>(
        `SELECT client, user_id FROM doc_client_owners WHERE doc = ? AND client IN (${placeholders(ofDoc.length)})`,
        [docName, ...ofDoc.map((claim) => claim.client)],
      );
      const ownerOf = new Map(owners.map((row) => [Number(row.client), row.user_id]));
      conflicts.push(...ofDoc.filter((claim) => ownerOf.get(claim.client) !== claim.userId));
    }
    if (conflicts.length === 0) return;
    const clients = [...new Set(conflicts.map((claim) => claim.client))];
    throw new AppendRefusedError('claim-conflict', [...new Set(conflicts.map((claim) => claim.index))], `Yjs client id ${clients.join(', ')} writes for another user`);
  }

  /**
   * Refuses (AppendRefusedError) entries whose room no longer exists: a room deleted through one
   * process must not get its documents back from another that still had it open (a new room could
   * take its name and find them). PostgreSQL: the room's row is share-locked until the append
   * commits, so a deletion waits for it, or the append sees the room gone.
   */
  async #refuseGoneRooms(tx: SqlExecutor, entries: readonly UpdateToAppend[], docNames: readonly string[]): Promise<void> {
    const rooms = [...new Set(docNames.map(roomOfDocName))];
    const lock = tx.dialect === 'postgres' ? ' FOR KEY SHARE' : '';
    const present = new Set((await tx.all<{ id: string }>(`SELECT id FROM rooms WHERE id IN (${placeholders(rooms.length)})${lock}`, rooms)).map((row) => row.id));
    const gone = entries.flatMap((entry, index) => (present.has(roomOfDocName(entry.docName)) ? [] : [index]));
    if (gone.length > 0) throw new AppendRefusedError('room-gone', gone, 'the chapter was deleted');
  }

  /**
   * Refuses (AppendRefusedError) entries of blind rounds' layers whose round is no longer open: a
   * reveal through one process must not miss what another accepted before it heard. PostgreSQL:
   * the round's row is share-locked until the append commits, so marking the round revealing
   * waits for appends on their way, and later ones see it.
   */
  async #refuseClosedLayers(tx: SqlExecutor, entries: readonly UpdateToAppend[]): Promise<void> {
    const layers = entries.map((entry) => parseRoundLayer(entry.docName.split('/').slice(1)));
    const rounds = [...new Set(layers.flatMap((layer) => (layer ? [layer.roundId] : [])))];
    if (rounds.length === 0) return;
    const lock = tx.dialect === 'postgres' ? ' FOR SHARE' : '';
    const open = new Set((await tx.all<{ id: number }>(`SELECT id FROM blind_rounds WHERE state = 'open' AND id IN (${placeholders(rounds.length)})${lock}`, rounds)).map((row) => Number(row.id)));
    const closed = layers.flatMap((layer, index) => (layer && !open.has(layer.roundId) ? [index] : []));
    if (closed.length > 0) throw new AppendRefusedError('round-closed', closed, 'the blind round is no longer open');
  }

  /**
   * In one transaction, stores `snapshot` (compressed, with the digest of its raw bytes: both
   * taken here unless the caller took them, as the compaction worker does) as the document's
   * state through log seq `throughSeq` and deletes the log entries it replaces. Called with 0 to
   * seed a new document. Callers write only snapshots they have checked to decode (compaction,
   * room creation). Returns false, writing nothing, when another process is compacting the
   * document now or already stored a snapshot that covers as much.
   */
  async replaceLogWithSnapshot(docName: string, snapshot: Uint8Array, stateVector: Uint8Array, throughSeq: number, prepared: PreparedSnapshot = {}): Promise<boolean> {
    const digest = prepared.digest ?? snapshotDigest(snapshot);
    // Compressed before the transaction, on the thread pool: no lock waits for it.
    const encoded = prepared.encoded ?? (await encodeSnapshot(snapshot));
    return this.#sql.transaction(async (tx) => {
      if (!(await tx.tryTransactionLock(compactionLock(docName)))) return false;
      const existing = await tx.get<{ through_seq: number }>('SELECT through_seq FROM doc_snapshots WHERE doc = ?', [docName]);
      if (existing && throughSeq > 0 && existing.through_seq >= throughSeq) return false;
      const throughId = (await tx.get<{ id: number | null }>('SELECT max(id) AS id FROM doc_updates WHERE doc = ? AND seq <= ?', [docName, throughSeq]))?.id ?? 0;
      await tx.run(
        `INSERT INTO doc_snapshots (doc, snapshot, snapshot_encoding, snapshot_sha256, state_vector, through_update_id, through_seq, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (doc) DO UPDATE SET snapshot = excluded.snapshot, snapshot_encoding = excluded.snapshot_encoding, snapshot_sha256 = excluded.snapshot_sha256,
           state_vector = excluded.state_vector, through_update_id = excluded.through_update_id, through_seq = excluded.through_seq,
           created_at = excluded.created_at`,
        [docName, encoded.bytes, encoded.encoding, digest, stateVector, throughId, throughSeq, Date.now()],
      );
      await tx.run('DELETE FROM doc_updates WHERE doc = ? AND seq <= ?', [docName, throughSeq]);
      await tx.run(
        `INSERT INTO doc_heads (doc, last_seq) VALUES (?, ?) ON CONFLICT (doc) DO UPDATE SET last_seq = ${greatest(tx.dialect, 'doc_heads.last_seq', 'excluded.last_seq')}`,
        [docName, throughSeq],
      );
      return true;
    });
  }

  /**
   * Runs a compaction of `docName` (`fn`: capture, check, `replaceLogWithSnapshot`) unless another
   * server process is compacting it now; then null, and `fn` does not run. A process that dies
   * while compacting leaves its lock to the database, which releases it with the connection.
   */
  async whileCompacting<T>(docName: string, fn: () => Promise<T>): Promise<T | null> {
    const outcome = await this.#sql.whileHolding(`apparatus:compacting:${docName}`, fn);
    return outcome.held ? outcome.value : null;
  }

  /**
   * Moves log entries that do not load (issue 14, P1) out of the log into `doc_quarantine`, with
   * their bytes, checksum, seq and the reason, in one transaction. Their seqs stay accounted for,
   * so the log shows no gap. Returns how many were moved.
   */
  async quarantine(docName: string, entries: readonly QuarantineRequest[]): Promise<number> {
    const now = Date.now();
    return this.#sql.transaction(async (tx) => {
      let moved = 0;
      for (const { seq, reason } of entries) {
        const copied = await tx.run(
          `INSERT INTO doc_quarantine (doc, seq, update_bytes, checksum, original_id, reason, quarantined_at)
           SELECT doc, seq, update_bytes, checksum, id, ?, ? FROM doc_updates WHERE doc = ? AND seq = ?`,
          [reason, now, docName, seq],
        );
        if (copied.changes === 0) continue;
        await tx.run('DELETE FROM doc_updates WHERE doc = ? AND seq = ?', [docName, seq]);
        moved++;
      }
      return moved;
    });
  }

  /** Returns who writes under each Yjs client id of a document, as recorded with the updates. */
  async loadClientOwners(docName: string): Promise<Map<number, string>> {
    const rows = await this.#sql.all<{ client: number; user_id: string }>('SELECT client, user_id FROM doc_client_owners WHERE doc = ?', [docName]);
    return new Map(rows.map((row) => [Number(row.client), row.user_id]));
  }

  /** Returns how many log entries the store holds in quarantine, over all documents. */
  async countQuarantined(): Promise<number> {
    return (await this.#sql.get<{ n: number }>('SELECT count(*) AS n FROM doc_quarantine'))?.n ?? 0;
  }
}
