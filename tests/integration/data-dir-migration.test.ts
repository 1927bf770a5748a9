import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listAnnotations, listReplies } from '../../schema/index.ts';
import { openDatabase, SCHEMA_VERSION } from '../../server/index.ts';
import { BrowserClient, PASSWORD, setUpAdministrator } from '../helpers/browser-client.ts';
import { startTestServer } from '../helpers/test-server.ts';
import { connectClient } from '../helpers/yws-client.ts';
import { readStoredDoc } from '../helpers/test-server.ts';

/**
 * A DATA_DIR written by the server before accounts and seminars (schema version 2, made by
 * scripts/make-main-data-dir.ts and committed as tests/fixtures/data-dir-main) opens with every
 * room, invite, session and annotation it had.
 */

const fixtureDir = path.resolve(import.meta.dirname, '../fixtures/data-dir-main');
const manifest = JSON.parse(readFileSync(path.join(fixtureDir, 'manifest.json'), 'utf8')) as {
  userVersion: number;
  adminToken: string;
  rooms: { id: string; title: string }[];
  invites: unknown[];
  annotations: Record<string, string[]>;
  defaultRoomInvites: Record<string, string>;
  secondRoomInvites: Record<string, string>;
  labelledInvite: { token: string; id: string };
  revokedInvite: { token: string; id: string };
  browserSession: { token: string; userId: string; name: string };
  programSession: { token: string; userId: string; name: string };
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

  it('keeps every annotation and reply readable after the migration', async () => {
    const dir = copyOfFixture();
    openDatabase(dir, 'NORMAL').close();
    for (const [room, ids] of Object.entries(manifest.annotations)) {
      const doc = await readStoredDoc(dir, `${room}/annotations`);
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

describe('a server started on a DATA_DIR made by the previous server', () => {
  it('serves every room, invite, session and annotation as before, and prints the setup link', async () => {
    const server = await startTestServer({ dataDir: copyOfFixture(), adminToken: manifest.adminToken });
    try {
      expect(server.setupUrl()).toMatch(/\/setup#[A-Za-z0-9_-]{43}$/);
      // The default room's derived invites are the same links as before.
      expect(server.invites).toEqual(manifest.defaultRoomInvites);
      const me = await fetch(`${server.url}/api/rooms/chapter-5/me`, { headers: { authorization: `Bearer ${manifest.browserSession.token}` } });
      expect(await me.json()).toMatchObject({ userId: manifest.browserSession.userId, name: 'Ada Legacy', role: 'annotator' });
      const program = await fetch(`${server.url}/api/rooms/chapter-5/me`, { headers: { authorization: `Bearer ${manifest.programSession.token}` } });
      expect(await program.json()).toMatchObject({ userId: manifest.programSession.userId, name: 'Rita Legacy', role: 'reviewer' });
      expect((await fetch(`${server.url}/api/rooms/chapter-5/me`, { headers: { authorization: `Bearer ${manifest.revokedInvite.token}` } })).status).toBe(401);
      const invites = await fetch(`${server.url}/api/rooms/chapter-5/invites`, { headers: { authorization: `Bearer ${manifest.defaultRoomInvites.owner}` } });
      expect(((await invites.json()) as { invites: { id: string; state: string; label: string }[] }).invites).toEqual(
        expect.arrayContaining([expect.objectContaining({ id: manifest.revokedInvite.id, state: 'revoked' }), expect.objectContaining({ id: manifest.labelledInvite.id, label: 'Seminar group B' })]),
      );
      for (const [room, token] of [['chapter-5', manifest.browserSession.token], ['second-chapter', manifest.secondRoomInvites.viewer!]] as const) {
        const client = connectClient({ url: server.url, room, kind: 'annotations', token });
        await client.synced();
        expect(listAnnotations(client.ydoc).map((a) => a.id).sort()).toEqual([...manifest.annotations[room]!].sort());
        client.destroy();
      }
      const csv = await fetch(`${server.url}/api/rooms/second-chapter/export?format=csv`, { headers: { authorization: `Bearer ${manifest.secondRoomInvites.annotator}` } });
      expect(csv.status).toBe(200);
    } finally {
      await server.stop();
    }
  });

  it('lets the new administrator file the old rooms into a seminar, and a guest of an old room sign up keeping their annotations', async () => {
    const server = await startTestServer({ dataDir: copyOfFixture(), adminToken: manifest.adminToken });
    try {
      const admin = await setUpAdministrator(server);
      const home = await admin.json<{ unfiledRooms: { id: string }[] }>('GET', '/api/seminars');
      expect(home.unfiledRooms.map((room) => room.id).sort()).toEqual(['chapter-5', 'second-chapter']);
      const seminar = (await admin.json<{ seminar: { id: string } }>('POST', '/api/seminars', { title: 'Soviet history' }, 201)).seminar.id;
      await admin.json('PUT', '/api/chapters/chapter-5/seminar', { seminarId: seminar });
      const page = await admin.json<{ chapters: { id: string; annotations: number; openProblems: number }[] }>('GET', `/api/seminars/${seminar}`);
      expect(page.chapters).toEqual([expect.objectContaining({ id: 'chapter-5', annotations: 3, openProblems: 1 })]);

      // Ada's browser still holds the room session of the old invite link; she signs up there.
      const ada = new BrowserClient(server.url);
      ada.session = manifest.browserSession.token;
      await admin.json('PUT', '/api/admin/settings', { signUpOpen: false });
      const account = await ada.json<{ person: { userId: string } }>('POST', '/api/auth/sign-up', { email: 'ada@example.org', name: 'Ada Lovelace', password: PASSWORD }, 201);
      expect(account.person.userId).toBe(manifest.browserSession.userId);
      const me = await ada.json<{ userId: string; role: string; name: string }>('GET', '/api/rooms/chapter-5/me');
      expect(me).toMatchObject({ userId: manifest.browserSession.userId, role: 'annotator', name: 'Ada Lovelace' });
      const laptop = new BrowserClient(server.url);
      await laptop.json('POST', '/api/auth/sign-in', { email: 'ada@example.org', password: PASSWORD });
      expect((await laptop.json<{ userId: string }>('GET', '/api/rooms/chapter-5/me')).userId).toBe(manifest.browserSession.userId);
    } finally {
      await server.stop();
    }
  });
});
