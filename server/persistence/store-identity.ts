import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AppDatabase } from './database.ts';
import { DATABASE_FILE } from './database.ts';
import { SECRET_FILE } from './server-secret.ts';

/**
 * Tells a vanished store from a new one (issue 14, P5). The server secret outlives a deleted
 * database: the default room's invite links are derived from it, so a fresh empty database made
 * in its place would answer the old links with an empty room, as if that were the room. A
 * database therefore carries a random id (`store_identity`), recorded beside the secret in
 * `DATA_DIR/store-id`; at start the server refuses a DATA_DIR whose secret shows it held a
 * database that is now missing, or whose database is not the one its `store-id` names.
 */

/** File name of the store id inside DATA_DIR. */
export const STORE_ID_FILE = 'store-id';

/** What an operator does about a lost store. */
const REMEDY = 'restore the database from a backup, or, to start over with an empty store, also remove server-secret and store-id (this rotates every derived invite link)';

/**
 * Before the database is opened: why this DATA_DIR's store must be taken as lost, or null. Its
 * secret (or store id) exists but its database file does not: opening would create an empty one.
 */
export function missingDatabaseProblem(dataDir: string): string | null {
  if (existsSync(path.join(dataDir, DATABASE_FILE))) return null;
  const marker = [STORE_ID_FILE, SECRET_FILE].find((file) => existsSync(path.join(dataDir, file)));
  if (!marker) return null;
  return `the database ${path.join(dataDir, DATABASE_FILE)} is missing, yet ${marker} shows this DATA_DIR held one; the server will not start an empty store in its place: ${REMEDY}`;
}

/**
 * After the database is opened and migrated: why it is not this DATA_DIR's store, or null. Records
 * its id in `store-id` when none is recorded yet (first start, or the first start of a version
 * with store ids).
 */
export function storeIdentityProblem(db: AppDatabase, dataDir: string): string | null {
  const row = db.prepare('SELECT store_id FROM store_identity WHERE singleton = 1').get() as { store_id: string } | undefined;
  if (!row) return 'the database has no store identity';
  const file = path.join(dataDir, STORE_ID_FILE);
  if (!existsSync(file)) {
    const temporary = `${file}.tmp-${process.pid}`;
    writeFileSync(temporary, `${row.store_id}\n`, { mode: 0o600 });
    renameSync(temporary, file);
    return null;
  }
  const recorded = readFileSync(file, 'utf8').trim();
  if (recorded === row.store_id) return null;
  return `the database in ${dataDir} is store ${row.store_id}, but ${STORE_ID_FILE} says this DATA_DIR's store is ${recorded}: it was replaced; ${REMEDY}`;
}
