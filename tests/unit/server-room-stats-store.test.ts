import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/persistence/database.ts';
import { RoomStatsStore } from '../../server/persistence/room-stats-store.ts';
import { RoomStore } from '../../server/persistence/room-store.ts';
import { SqliteExecutor } from '../../server/persistence/sql/sqlite-executor.ts';

// Defect: marking a room's figures stale (a change while the room was not loaded) threw
// "Too many parameter values were provided", so the seminar page kept stale figures as fresh.
describe('room stats in the store', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('records activity on a room with and without counts, marking them stale', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'apparatus-stats-'));
    dirs.push(dir);
    const db = openDatabase(dir, 'NORMAL');
    try {
      const sql = new SqliteExecutor(db);
      const rooms = new RoomStore(sql);
      for (const id of ['fresh', 'counted']) await rooms.insert({ id, title: id, createdAt: 0, inviteGeneration: 0 });
      const stats = new RoomStatsStore(sql);
      await stats.touch('fresh', 1000);
      expect(await stats.get('fresh')).toEqual({ room: 'fresh', annotations: 0, openProblems: 0, lastActivityAt: 1000, stale: true });
      await stats.putCounts('counted', 12, 3, 2000);
      await stats.touch('counted', 1500);
      expect(await stats.get('counted')).toEqual({ room: 'counted', annotations: 12, openProblems: 3, lastActivityAt: 2000, stale: true });
      await stats.touch('counted', 3000);
      expect((await stats.get('counted'))!.lastActivityAt).toBe(3000);
    } finally {
      db.close();
    }
  });
});
