import type Database from 'better-sqlite3';
import { brotliCompressSync, brotliDecompressSync } from 'node:zlib';
import { snapshotBrotliParams } from '../../server/persistence/snapshot-encoding.ts';

/**
 * A stored snapshot's rows read and rewritten past the store (a SQLite file of a stopped
 * server), for tests that damage a snapshot or make a store "as an older version left it".
 * Snapshots are stored compressed (server/persistence/snapshot-encoding.ts).
 */

/** A document's snapshot row: its bytes as stored, their encoding, and the Yjs update they hold. */
export function readStoredSnapshot(db: Database.Database, doc: string): { stored: Buffer; encoding: string; raw: Buffer } {
  const row = db.prepare('SELECT snapshot, snapshot_encoding FROM doc_snapshots WHERE doc = ?').get(doc) as { snapshot: Buffer; snapshot_encoding: string } | undefined;
  if (!row) throw new Error(`${doc} has no snapshot`);
  return { stored: row.snapshot, encoding: row.snapshot_encoding, raw: row.snapshot_encoding === 'brotli' ? brotliDecompressSync(row.snapshot) : row.snapshot };
}

/** Replaces a document's snapshot with `raw` compressed as the server stores it, keeping its recorded digest (so a change is damage). */
export function writeStoredSnapshot(db: Database.Database, doc: string, raw: Uint8Array): void {
  db.prepare("UPDATE doc_snapshots SET snapshot = ?, snapshot_encoding = 'brotli' WHERE doc = ?").run(brotliCompressSync(raw, { params: snapshotBrotliParams(raw.byteLength) }), doc);
}

/**
 * Makes every snapshot raw, as servers stored them before compression, and drops the encoding
 * column (a store taken back to a schema version before it).
 */
export function storeSnapshotsRaw(db: Database.Database): void {
  const rows = db.prepare("SELECT doc FROM doc_snapshots WHERE snapshot_encoding = 'brotli'").all() as { doc: string }[];
  for (const { doc } of rows) db.prepare('UPDATE doc_snapshots SET snapshot = ? WHERE doc = ?').run(readStoredSnapshot(db, doc).raw, doc);
  db.exec('ALTER TABLE doc_snapshots DROP COLUMN snapshot_encoding');
}
