import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listAnnotations, listReplies } from '../../schema/index.ts';
import { openDatabase, SCHEMA_VERSION } from '../../server/index.ts';
import { readStoredDoc } from '../helpers/test-server.ts';

/**
 * A DATA_DIR written by the server before accounts and seminars (schema version 2, made by
 * scripts/make-main-data-dir.ts and committed as tests/fixtures/data-dir-main) opens with every
 * room, invite, session and annotation it had.
 */

const fixtureDir = path.resolve(import.meta.dirname, '../fixtures/data-dir-main');
const manifest = JSON.parse(readFileSync(path.join(fixtureDir, 'manifest.json'), 'utf8')) as {
  userVersion: number;
  rooms: { id: string; title: string }[];
  invites: unknown[];
  annotations: Record<string, string[]>;
};
const copies: string[] = [];

/** A private copy of the fixture: migrations write to the database they open. */
function copyOfFixture(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'apparatus-migration-'));
  cpSync(fixtureDir, dir, { recursive: true });
  copies.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('schema migrations of a DATA_DIR made by the previous server', () => {
  it('migrates the version-2 database to the current version, keeping rooms, invites and sessions row for row', () => {
    const dir = copyOfFixture();
    expect(manifest.userVersion).toBe(2);
    const db = openDatabase(dir, 'NORMAL');
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(db.prepare('SELECT id, title FROM rooms ORDER BY id').all()).toEqual(manifest.rooms);
      expect(db.prepare('SELECT room, role, label, revoked, expires_at FROM invites ORDER BY room, created_at, role').all()).toEqual(manifest.invites);
      expect(db.prepare('SELECT count(*) AS n FROM sessions').get()).toEqual({ n: 2 });
      // The old rooms belong to no seminar and are not archived: reached through their invites as before.
      expect(db.prepare('SELECT count(*) AS n FROM rooms WHERE seminar_id IS NULL AND archived_at IS NULL').get()).toEqual({ n: 2 });
      expect(db.pragma('foreign_key_check')).toEqual([]);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  });

  it('keeps every annotation and reply readable after the migration', () => {
    const dir = copyOfFixture();
    openDatabase(dir, 'NORMAL').close();
    for (const [room, ids] of Object.entries(manifest.annotations)) {
      const doc = readStoredDoc(dir, `${room}/annotations`);
      expect(listAnnotations(doc).map((a) => a.id).sort()).toEqual([...ids].sort());
      if (room === 'chapter-5') expect(listReplies(doc, ids[0]!).map((r) => r.body)).toEqual(['Khlevniuk calls it that.']);
    }
  });

  it('opens an already migrated database again without changing it', () => {
    const dir = copyOfFixture();
    openDatabase(dir, 'NORMAL').close();
    const db = openDatabase(dir, 'NORMAL');
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    } finally {
      db.close();
    }
  });
});
