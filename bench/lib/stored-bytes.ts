import Database from 'better-sqlite3';
import path from 'node:path';
import { DATABASE_FILE } from '../../server/persistence/database.ts';

/**
 * Bytes Apparatus stores for a document in a DATA_DIR: its snapshot and its log entries as the
 * store holds them (snapshots compressed), the database's own overhead left out.
 */
export function storedBytes(dataDir: string, docName: string): number {
  const db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true });
  try {
    const snapshot = (db.prepare('SELECT coalesce(sum(length(snapshot)), 0) AS n FROM doc_snapshots WHERE doc = ?').get(docName) as { n: number }).n;
    const log = (db.prepare('SELECT coalesce(sum(length(update_bytes)), 0) AS n FROM doc_updates WHERE doc = ?').get(docName) as { n: number }).n;
    return snapshot + log;
  } finally {
    db.close();
  }
}
