import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { AppendRefusedError, snapshotIntact } from '../../server/persistence/update-store.ts';
import type { ServerStores } from '../../server/index.ts';
import { verifyStoredDoc } from '../../server/persistence/store-integrity.ts';
import { replayStoredDoc } from '../../server/index.ts';

/**
 * The storage suite (docs/several-servers.md): what every store does, run against SQLite and
 * against PostgreSQL with the same cases. `open` gives a fresh, empty, migrated store; `another`
 * opens a second connection to the same database, as a second server process would.
 */
export interface StoreUnderTest {
  stores: ServerStores;
  /** A second, independent connection to the same database. */
  another(): Promise<{ stores: ServerStores; close(): Promise<void> }>;
  close(): Promise<void>;
}

/** An update adding `key: value` to a map `m`, written by Yjs client `client`. */
function mapUpdate(client: number, key: string, value: unknown, base?: Y.Doc): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = client;
  if (base) Y.applyUpdate(doc, Y.encodeStateAsUpdate(base));
  const before = Y.encodeStateVector(doc);
  doc.getMap('m').set(key, value);
  const update = Y.encodeStateAsUpdate(doc, before);
  base?.destroy();
  doc.destroy();
  return update;
}

async function withRoom(stores: ServerStores, id: string): Promise<string> {
  await stores.rooms.insert({ id, title: `Room ${id}`, createdAt: Date.now(), inviteGeneration: 1 });
  return `${id}/annotations`;
}

/** Defines the suite for one engine. */
export function storageSuite(engine: string, open: () => Promise<StoreUnderTest>): void {
  const using = async (test: (store: StoreUnderTest) => Promise<void>) => {
    const store = await open();
    try {
      await test(store);
    } finally {
      await store.close();
    }
  };

  describe(`the update log (${engine})`, () => {
    it('gives each document its own consecutive seqs, checksums each entry and reads the log back whole and in order', () =>
      using(async ({ stores }) => {
        const a = await withRoom(stores, 'room-a');
        const b = await withRoom(stores, 'room-b');
        const seqs = await stores.updates.appendUpdates([
          { docName: a, update: mapUpdate(1, 'x', 1) },
          { docName: b, update: mapUpdate(2, 'y', 2) },
          { docName: a, update: mapUpdate(3, 'z', 3) },
        ]);
        expect(seqs).toEqual([1, 1, 2]);
        expect(await stores.updates.appendUpdates([{ docName: a, update: mapUpdate(4, 'w', 4) }])).toEqual([3]);
        const stored = await stores.updates.loadDoc(a);
        expect(stored.seqs).toEqual([1, 2, 3]);
        expect(stored.head).toBe(3);
        expect(verifyStoredDoc(a, stored).damage).toEqual([]);
        const replayed = replayStoredDoc(stored);
        if (!replayed.ok) throw new Error(replayed.error);
        expect(replayed.value.getMap('m').toJSON()).toEqual({ x: 1, z: 3, w: 4 });
        expect(await stores.updates.heads([a, b, 'room-c/annotations'])).toEqual(new Map([[a, 3], [b, 1]]));
      }));

    it('hands out gapless seqs to two connections appending to one document at once', () =>
      using(async ({ stores, another }) => {
        const doc = await withRoom(stores, 'busy');
        const second = await another();
        try {
          const appends = [];
          for (let i = 0; i < 40; i++) {
            const via = i % 2 === 0 ? stores : second.stores;
            appends.push(via.updates.appendUpdates([{ docName: doc, update: mapUpdate(100 + i, `k${i}`, i) }, { docName: doc, update: mapUpdate(200 + i, `j${i}`, i) }]));
          }
          const seqs = (await Promise.all(appends)).flat().sort((x, y) => x - y);
          expect(seqs).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
          const stored = await stores.updates.loadDoc(doc);
          expect(verifyStoredDoc(doc, stored).damage).toEqual([]);
          expect(stored.head).toBe(80);
        } finally {
          await second.close();
        }
      }));

    it('records the first claim of a client id, and refuses an append that claims an id another user holds, storing none of it', () =>
      using(async ({ stores }) => {
        const doc = await withRoom(stores, 'claims');
        await stores.updates.appendUpdates([{ docName: doc, update: mapUpdate(7, 'a', 1), claims: [{ client: 7, userId: 'u-ada' }] }]);
        await stores.updates.appendUpdates([{ docName: doc, update: mapUpdate(8, 'b', 1), claims: [{ client: 8, userId: 'u-bob' }, { client: 7, userId: 'u-ada' }] }]);
        const refused = stores.updates.appendUpdates([
          { docName: doc, update: mapUpdate(9, 'c', 1), claims: [{ client: 9, userId: 'u-eve' }] },
          { docName: doc, update: mapUpdate(7, 'd', 1), claims: [{ client: 7, userId: 'u-eve' }] },
        ]);
        await expect(refused).rejects.toBeInstanceOf(AppendRefusedError);
        await expect(refused).rejects.toMatchObject({ kind: 'claim-conflict', entries: [1] });
        expect(await stores.updates.loadClientOwners(doc)).toEqual(new Map([[7, 'u-ada'], [8, 'u-bob']]));
        expect((await stores.updates.loadDoc(doc)).head).toBe(2);
      }));

    it('refuses updates of a room that is gone, so a new room of that name never finds them', () =>
      using(async ({ stores }) => {
        const refused = stores.updates.appendUpdates([{ docName: 'gone/annotations', update: mapUpdate(1, 'a', 1) }]);
        await expect(refused).rejects.toMatchObject({ kind: 'room-gone', entries: [0] });
        expect(await stores.updates.heads(['gone/annotations'])).toEqual(new Map());
      }));

    it('folds exactly the entries through a seq into a snapshot, never behind one already written, and tells what follows a seq', () =>
      using(async ({ stores }) => {
        const doc = await withRoom(stores, 'fold');
        const replica = new Y.Doc();
        for (let i = 0; i < 6; i++) {
          const update = mapUpdate(10 + i, `k${i}`, i);
          Y.applyUpdate(replica, update);
          await stores.updates.appendUpdates([{ docName: doc, update }]);
          if (i === 3) {
            const snapshot = Y.encodeStateAsUpdate(replica);
            expect(await stores.updates.replaceLogWithSnapshot(doc, snapshot, Y.encodeStateVector(replica), 4)).toBe(true);
          }
        }
        expect(await stores.updates.replaceLogWithSnapshot(doc, new Uint8Array([0, 0]), new Uint8Array([0]), 3)).toBe(false);
        const stored = await stores.updates.loadDoc(doc);
        expect(stored.snapshotThroughSeq).toBe(4);
        expect(stored.seqs).toEqual([5, 6]);
        expect(verifyStoredDoc(doc, stored).damage).toEqual([]);
        const afterTwo = await stores.updates.loadLogAfter(doc, 2);
        expect(afterTwo.snapshot?.throughSeq).toBe(4);
        expect(afterTwo.entries.map((entry) => entry.seq)).toEqual([5, 6]);
        const afterFive = await stores.updates.loadLogAfter(doc, 5);
        expect(afterFive.snapshot).toBeNull();
        expect(afterFive.entries.map((entry) => entry.seq)).toEqual([6]);
        expect((await stores.updates.loadLogAfter(doc, 6)).entries).toEqual([]);
        replica.destroy();
      }));

    it('stores a snapshot compressed and reads it back as its Yjs update; reads an older raw one; takes one that does not decompress for damage', () =>
      using(async ({ stores }) => {
        const doc = await withRoom(stores, 'packed');
        const replica = new Y.Doc();
        for (let i = 0; i < 200; i++) replica.getMap('m').set(`note-${i}`, `A remark of ordinary length about passage ${i}.`);
        const raw = Y.encodeStateAsUpdate(replica);
        expect(await stores.updates.replaceLogWithSnapshot(doc, raw, Y.encodeStateVector(replica), 0)).toBe(true);
        const row = async () => (await stores.sql.get<{ snapshot: Uint8Array; snapshot_encoding: string }>('SELECT snapshot, snapshot_encoding FROM doc_snapshots WHERE doc = ?', [doc]))!;
        const packed = await row();
        expect(packed.snapshot_encoding).toBe('brotli');
        expect(packed.snapshot.byteLength).toBeLessThan(raw.byteLength / 3);
        const readBack = async () => {
          const stored = await stores.updates.loadDoc(doc);
          return { stored, tail: (await stores.updates.loadLogAfter(doc, -1)).snapshot };
        };
        let { stored, tail } = await readBack();
        expect(Buffer.from(stored.snapshot!).equals(Buffer.from(raw))).toBe(true);
        expect(snapshotIntact(stored)).toBe(true);
        expect(verifyStoredDoc(doc, stored).damage).toEqual([]);
        expect(Buffer.from(tail!.bytes).equals(Buffer.from(raw))).toBe(true);

        // As a server before compression stored it (the migration marks such rows raw).
        await stores.sql.run("UPDATE doc_snapshots SET snapshot = ?, snapshot_encoding = 'raw' WHERE doc = ?", [raw, doc]);
        ({ stored, tail } = await readBack());
        expect(Buffer.from(stored.snapshot!).equals(Buffer.from(raw))).toBe(true);
        expect(snapshotIntact(stored)).toBe(true);
        expect(Buffer.from(tail!.bytes).equals(Buffer.from(raw))).toBe(true);

        // Compressed bytes cut short: read as a corrupt snapshot, never applied.
        await stores.sql.run("UPDATE doc_snapshots SET snapshot = ?, snapshot_encoding = 'brotli' WHERE doc = ?", [packed.snapshot.subarray(0, 40), doc]);
        ({ stored, tail } = await readBack());
        expect(stored.snapshotUnreadable).toMatch(/do not decompress/);
        expect(snapshotIntact(stored)).toBe(false);
        expect(verifyStoredDoc(doc, stored)).toMatchObject({ snapshotCorrupt: true, damage: [expect.stringMatching(/do not decompress/)] });
        expect(tail?.unreadable).toMatch(/do not decompress/);
        replica.destroy();
      }));

    it('moves entries to quarantine keeping their seqs accounted for, and deletes a document with everything it had', () =>
      using(async ({ stores }) => {
        const doc = await withRoom(stores, 'quarantine');
        await stores.updates.appendUpdates([1, 2, 3].map((i) => ({ docName: doc, update: mapUpdate(i, `k${i}`, i), claims: [{ client: i, userId: `u-${i}` }] })));
        expect(await stores.updates.quarantine(doc, [{ seq: 2, reason: 'does not load' }])).toBe(1);
        const stored = await stores.updates.loadDoc(doc);
        expect(stored.seqs).toEqual([1, 3]);
        expect(stored.quarantinedSeqs).toEqual([2]);
        expect(verifyStoredDoc(doc, stored).damage).toEqual([]);
        expect(await stores.updates.countQuarantined()).toBe(1);
        expect(await stores.updates.lastWriteAt(doc)).toBeGreaterThan(0);
        await stores.updates.deleteDoc(doc);
        expect((await stores.updates.loadDoc(doc)).head).toBeNull();
        expect(await stores.updates.loadClientOwners(doc)).toEqual(new Map());
        expect(await stores.updates.countQuarantined()).toBe(0);
      }));
  });

  describe(`rooms, people and access (${engine})`, () => {
    it('keeps rooms, invites (a re-inserted one stays revoked), sessions and grants', () =>
      using(async ({ stores }) => {
        await stores.seminars.insert({ id: 'sem', title: 'Seminar', createdAt: 1, createdBy: 'u-own' });
        await stores.rooms.insert({ id: 'r1', title: 'One', createdAt: 10, inviteGeneration: 1, seminarId: 'sem', position: await stores.rooms.nextPosition('sem') });
        await stores.rooms.insert({ id: 'r2', title: 'Two', createdAt: 20, inviteGeneration: 1 });
        await stores.rooms.file('r2', 'sem');
        expect((await stores.rooms.listForSeminar('sem')).map((room) => [room.id, room.position])).toEqual([['r1', 1], ['r2', 2]]);
        await stores.rooms.setArchived('r1', 99);
        expect((await stores.rooms.get('r1'))?.archivedAt).toBe(99);
        const invite = { tokenHash: 'h1', room: 'r1', role: 'annotator' as const, createdAt: 5, expiresAt: null, label: 'students' };
        await stores.invites.insert(invite);
        await stores.invites.revoke('h1');
        await stores.invites.insert(invite);
        expect(await stores.invites.findByHash('h1')).toMatchObject({ revoked: true, label: 'students' });
        await stores.sessions.insert({ tokenHash: 's1', userId: 'u-1', room: 'r1', role: 'annotator', inviteHash: 'h1', createdAt: 1, expiresAt: 1000 });
        expect(await stores.sessions.expiresAtOfUser('u-1')).toBe(1000);
        expect(await stores.sessions.deleteExpired(2000)).toBe(1);
        await stores.grants.insert({ room: 'r1', userId: 'u-guest', role: 'reviewer', inviteHash: 'h1', grantedAt: 3 });
        await stores.grants.insert({ room: 'r1', userId: 'u-guest', role: 'reviewer', inviteHash: 'h1', grantedAt: 4 });
        await stores.grants.reassign('u-guest', 'u-account');
        expect((await stores.grants.forUser('u-account')).map((grant) => grant.room)).toEqual(['r1']);
        expect(await stores.grants.forUser('u-guest')).toEqual([]);
      }));

    it('finds accounts by address whatever its case, refuses a second account with it, and keeps aliases and single-sign-on subjects', () =>
      using(async ({ stores }) => {
        await stores.accounts.insert({ userId: 'u-ada', email: 'Ada@Example.org', passwordHash: null, isAdmin: true, createdAt: 1 });
        expect((await stores.accounts.findByEmail('ada@example.ORG'))?.userId).toBe('u-ada');
        await expect(stores.accounts.insert({ userId: 'u-other', email: 'ADA@example.org', passwordHash: null, isAdmin: false, createdAt: 2 })).rejects.toThrow();
        expect(await stores.accounts.countAdmins()).toBe(1);
        await stores.accounts.link('u-guest', 'u-ada', 3);
        await stores.accounts.link('u-guest', 'u-ada', 4);
        expect(await stores.accounts.aliasesOf('u-ada')).toEqual(['u-guest']);
        expect(await stores.accounts.accountOfAlias('u-guest')).toBe('u-ada');
        await stores.accounts.addLogin('https://idp.example', 'sub-1', 'u-ada', 5);
        expect((await stores.accounts.findByLogin('https://idp.example', 'sub-1'))?.userId).toBe('u-ada');
        await stores.profiles.setName('u-ada', 'Ada');
        await stores.profiles.setName('u-ada', 'Ada L.');
        expect(await stores.profiles.getNames(['u-ada', 'u-nobody'])).toEqual(new Map([['u-ada', 'Ada L.']]));
        await stores.webSessions.insert({ tokenHash: 'w1', userId: 'u-ada', createdAt: 1, expiresAt: 100 });
        await stores.webSessions.insert({ tokenHash: 'w2', userId: 'u-ada', createdAt: 1, expiresAt: 10_000 });
        expect(await stores.webSessions.countActive('u-ada', 50)).toBe(2);
        expect(await stores.webSessions.deleteExpired(500)).toBe(1);
        expect(await stores.webSessions.deleteAllOf('u-ada')).toBe(1);
      }));

    it('lists a member’s seminars with counts and the roster by role then name, and moves a guest’s memberships', () =>
      using(async ({ stores }) => {
        await stores.seminars.insert({ id: 's-b', title: 'beta', createdAt: 1, createdBy: 'u-own' });
        await stores.seminars.insert({ id: 's-a', title: 'Alpha', createdAt: 1, createdBy: 'u-own' });
        for (const id of ['s-a', 's-b']) await stores.seminars.setMember(id, 'u-own', 'owner', 1);
        await stores.seminars.setMember('s-a', 'u-guest', 'annotator', 2);
        await stores.profiles.setName('u-own', 'Olga');
        await stores.profiles.setName('u-guest', 'Gus');
        await stores.rooms.insert({ id: 'c1', title: 'Chapter', createdAt: 1, inviteGeneration: 1, seminarId: 's-a' });
        await stores.roomStats.putCounts('c1', 3, 1, 500);
        await stores.roomStats.touch('c1', 400);
        expect(await stores.roomStats.get('c1')).toEqual({ room: 'c1', annotations: 3, openProblems: 1, lastActivityAt: 500, stale: true });
        expect((await stores.seminars.listForUser('u-own')).map((s) => [s.title, s.chapters, s.members, s.lastActivityAt])).toEqual([['Alpha', 1, 2, 500], ['beta', 0, 1, null]]);
        expect((await stores.seminars.members('s-a')).map((m) => [m.userId, m.role, m.isAccount])).toEqual([['u-own', 'owner', false], ['u-guest', 'annotator', false]]);
        expect(await stores.seminars.countOwners('s-a')).toBe(1);
        await stores.seminars.setChapterRole('c1', 'u-guest', 'viewer');
        await stores.seminars.reassign('u-guest', 'u-account');
        expect(await stores.seminars.memberRole('s-a', 'u-account')).toBe('annotator');
        expect(await stores.seminars.chapterRole('c1', 'u-account')).toBe('viewer');
        expect(await stores.seminars.memberRole('s-a', 'u-guest')).toBeNull();
        await stores.settings.set('sign_up_open', 'true');
        await stores.settings.set('sign_up_open', 'false');
        expect(await stores.settings.get('sign_up_open')).toBe('false');
      }));

    it('stores everything a transaction wrote, or nothing of it when it throws', () =>
      using(async ({ stores }) => {
        await expect(
          stores.transaction(async (tx) => {
            await tx.rooms.insert({ id: 'half', title: 'Half', createdAt: 1, inviteGeneration: 1 });
            await tx.invites.insert({ tokenHash: 'h-half', room: 'half', role: 'owner', createdAt: 1, expiresAt: null, label: null });
            throw new Error('changed my mind');
          }),
        ).rejects.toThrow('changed my mind');
        expect(await stores.rooms.get('half')).toBeNull();
        expect(await stores.invites.findByHash('h-half')).toBeNull();
        await stores.transaction(async (tx) => {
          await tx.rooms.insert({ id: 'whole', title: 'Whole', createdAt: 1, inviteGeneration: 1 });
          // A store call through the outer stores inside the transaction joins it.
          await stores.invites.insert({ tokenHash: 'h-whole', room: 'whole', role: 'owner', createdAt: 1, expiresAt: null, label: null });
        });
        expect(await stores.invites.findByHash('h-whole')).not.toBeNull();
      }));

    it('lets one of two connections that check, then insert, the same row at once win, and the other see it', () =>
      using(async ({ stores, another }) => {
        const second = await another();
        try {
          const create = (via: ServerStores) =>
            via.transaction(async (tx) => {
              if (await tx.accounts.findByEmail('race@example.org')) return 'exists';
              await tx.accounts.insert({ userId: `u-${Math.random().toString(16).slice(2, 10)}`, email: 'race@example.org', passwordHash: null, isAdmin: false, createdAt: 1 });
              return 'created';
            });
          const outcomes = await Promise.all([create(stores), create(second.stores), create(stores), create(second.stores)]);
          expect(outcomes.filter((outcome) => outcome === 'created')).toHaveLength(1);
          expect(outcomes.filter((outcome) => outcome === 'exists')).toHaveLength(3);
        } finally {
          await second.close();
        }
      }));
  });

  describe(`blind rounds (${engine})`, () => {
    it('runs one round per room at a time (also when two connections start one at once), keeps its participants once each, and moves it through its states', () =>
      using(async ({ stores, another }) => {
        await withRoom(stores, 'seminar');
        const second = await another();
        try {
          const starts = await Promise.all([stores.rounds.start('seminar', 'u-owner', true, 1000), second.stores.rounds.start('seminar', 'u-owner', false, 1001)]);
          const round = starts.find((started) => started !== null)!;
          expect(starts.filter((started) => started !== null)).toHaveLength(1);
          expect(round).toMatchObject({ room: 'seminar', state: 'open', startedBy: 'u-owner', closedAt: null, revealed: null });
          expect(await stores.rounds.running('seminar')).toEqual(round);
          expect(await second.stores.rounds.runningEverywhere()).toEqual([round]);
          const ada = { userId: 'u-ada', name: 'Ada', role: 'annotator' as const, joinedAt: new Date(2000).toISOString() };
          await stores.rounds.addParticipant(round.id, ada);
          await second.stores.rounds.addParticipant(round.id, { ...ada, name: 'Ada again', joinedAt: new Date(3000).toISOString() });
          expect(await stores.rounds.participants(round.id)).toEqual([ada]);
          expect(await stores.rounds.setState(round.id, 'revealing')).toMatchObject({ state: 'revealing' });
          expect(await stores.rounds.revealing()).toHaveLength(1);
          const revealed = await second.stores.rounds.setState(round.id, 'revealed', 5000, 3);
          expect(revealed).toMatchObject({ id: round.id, state: 'revealed', revealed: 3, closedAt: new Date(5000).toISOString() });
          expect(await stores.rounds.running('seminar')).toBeNull();
          expect(await stores.rounds.latest('seminar')).toEqual(revealed);
          const next = await stores.rounds.start('seminar', 'u-owner', false, 6000);
          expect((await stores.rounds.list('seminar')).map((listed) => listed.id)).toEqual([next!.id, round.id]);
        } finally {
          await second.close();
        }
      }));

    it('stores a layer only while its round is open, and deletes every layer with the room', () =>
      using(async ({ stores }) => {
        await withRoom(stores, 'layers');
        const round = (await stores.rounds.start('layers', 'u-owner', false, 1))!;
        const layer = `layers/rounds/${round.id}/u-ada`;
        expect(await stores.updates.appendUpdates([{ docName: layer, update: mapUpdate(1, 'a', 1) }])).toEqual([1]);
        await stores.rounds.setState(round.id, 'revealing');
        const refused = stores.updates.appendUpdates([{ docName: 'layers/annotations', update: mapUpdate(2, 'b', 2) }, { docName: layer, update: mapUpdate(1, 'c', 3) }]);
        await expect(refused).rejects.toMatchObject({ kind: 'round-closed', entries: [1] });
        expect(await stores.updates.heads([layer, 'layers/annotations'])).toEqual(new Map([[layer, 1]]));
        await stores.transaction((tx) => tx.rounds.deleteLayersOfRoom(tx.updates, 'layers'));
        expect((await stores.updates.loadDoc(layer)).head).toBeNull();
      }));
  });
}
