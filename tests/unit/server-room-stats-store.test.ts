import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/persistence/database.ts';
import { RoomStatsStore } from '../../server/persistence/room-stats-store.ts';
import { RoomStore } from '../../server/persistence/room-store.ts';

// Defect: marking a room's figures stale (a change while the room was not loaded) threw
// "Too many parameter values were provided", so the seminar page kept stale figures as fresh.
describe('room stats in the store', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('records activity on a room with and without counts, marking them stale', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'apparatus-stats-'));
    dirs.push(dir);
    const db = openDatabase(dir, 'NORMAL');
    try {
      const rooms = new RoomStore(db);
      for (const id of ['fresh', 'counted']) rooms.insert({ id, title: id, createdAt: 0, inviteGeneration: 0 });
      const stats = new RoomStatsStore(db);
      stats.touch('fresh', 1000);
      expect(stats.get('fresh')).toEqual({ room: 'fresh', annotations: 0, openProblems: 0, lastActivityAt: 1000, stale: true });
      stats.putCounts('counted', 12, 3, 2000);
      stats.touch('counted', 1500);
      expect(stats.get('counted')).toEqual({ room: 'counted', annotations: 12, openProblems: 3, lastActivityAt: 2000, stale: true });
      stats.touch('counted', 3000);
      expect(stats.get('counted')!.lastActivityAt).toBe(3000);
    } finally {
      db.close();
    }
  });
});
