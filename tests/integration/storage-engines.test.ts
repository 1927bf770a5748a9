import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import pg from 'pg';
import { createCollectingLogger, defaultConfig, openDatabase, openServerStores, openStorage, SqliteExecutor } from '../../server/index.ts';
import type { Storage } from '../../server/index.ts';
import { RedisCluster } from '../../server/cluster/redis-cluster.ts';
import { RedisSignInLimits } from '../../server/cluster/redis-sign-in-limits.ts';
import { enginesMissing, startPostgres, startRedis } from '../helpers/engines.ts';
import type { PostgresInstance, RedisInstance } from '../helpers/engines.ts';
import { signInLimitCases } from '../helpers/sign-in-limit-cases.ts';
import { storageSuite } from '../helpers/storage-suite.ts';
import { makeDataDir } from '../helpers/test-server.ts';

// One storage interface, two engines (docs/several-servers.md): the same suite runs on the
// embedded SQLite and on a throwaway PostgreSQL 15; then what only several processes need.

storageSuite('SQLite', async () => {
  const dir = makeDataDir();
  const db = openDatabase(dir, 'NORMAL');
  const opened: Array<{ close(): void }> = [db];
  return {
    stores: openServerStores(new SqliteExecutor(db)),
    another: async () => {
      const second = openDatabase(dir, 'NORMAL');
      opened.push(second);
      return { stores: openServerStores(new SqliteExecutor(second)), close: async () => void second.close() };
    },
    close: async () => {
      for (const handle of opened) handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

const missing = enginesMissing();
let postgres: PostgresInstance;
let redis: RedisInstance;
let databases = 0;

/** A new, empty, migrated PostgreSQL store (its own database) and its URL. */
async function freshPostgres(): Promise<{ storage: Storage; url: string }> {
  const url = await postgres.createDatabase(`suite_${++databases}`);
  return { storage: await openStorage({ ...defaultConfig(), databaseUrl: url, pgPoolSize: 4 }, createCollectingLogger()), url };
}

describe.skipIf(missing !== null)(`PostgreSQL and Redis${missing ? ` (skipped: ${missing})` : ''}`, () => {
  beforeAll(async () => {
    [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([postgres?.stop(), redis?.stop()]);
  });

  storageSuite('PostgreSQL', async () => {
    const { storage, url } = await freshPostgres();
    return {
      stores: storage.stores,
      another: async () => {
        const second = await openStorage({ ...defaultConfig(), databaseUrl: url, pgPoolSize: 4 }, createCollectingLogger());
        return { stores: second.stores, close: () => second.close() };
      },
      close: () => storage.close(),
    };
  });

  it('shares one server secret between the processes of one database', async () => {
    const { storage, url } = await freshPostgres();
    const second = await openStorage({ ...defaultConfig(), databaseUrl: url }, createCollectingLogger());
    try {
      expect(second.secret.equals(storage.secret)).toBe(true);
    } finally {
      await Promise.all([storage.close(), second.close()]);
    }
  });

  it('lets one process compact a document at a time, and another process’s compaction of it waits for none', async () => {
    const { storage, url } = await freshPostgres();
    const second = await openStorage({ ...defaultConfig(), databaseUrl: url }, createCollectingLogger());
    try {
      let release!: () => void;
      const holding = storage.stores.updates.whileCompacting('r/annotations', () => new Promise<string>((resolve) => (release = () => resolve('first'))));
      await new Promise((resolve) => setTimeout(resolve, 100));
      const started = Date.now();
      expect(await second.stores.updates.whileCompacting('r/annotations', async () => 'second')).toBeNull();
      expect(Date.now() - started).toBeLessThan(1000);
      expect(await second.stores.updates.whileCompacting('other/annotations', async () => 'other')).toBe('other');
      release();
      expect(await holding).toBe('first');
      expect(await second.stores.updates.whileCompacting('r/annotations', async () => 'second')).toBe('second');
    } finally {
      await Promise.all([storage.close(), second.close()]);
    }
  });

  it('leaves nothing half-written when the process compacting dies during the write, and frees its lock', async () => {
    const { storage, url } = await freshPostgres();
    const { stores } = storage;
    await stores.rooms.insert({ id: 'r', title: 'R', createdAt: 1, inviteGeneration: 1 });
    const replica = new Y.Doc();
    for (let i = 0; i < 5; i++) {
      replica.getMap('m').set(`k${i}`, i);
      await stores.updates.appendUpdates([{ docName: 'r/annotations', update: Y.encodeStateAsUpdate(replica) }]);
    }
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      // The write of the snapshot stalls where the folded entries are deleted: the process "dies" then.
      await admin.query(`CREATE FUNCTION stall() RETURNS trigger AS $$ BEGIN PERFORM pg_sleep(30); RETURN OLD; END $$ LANGUAGE plpgsql`);
      await admin.query('CREATE TRIGGER stall BEFORE DELETE ON doc_updates FOR EACH ROW EXECUTE FUNCTION stall()');
      const compaction = stores.updates.whileCompacting('r/annotations', () =>
        stores.updates.replaceLogWithSnapshot('r/annotations', Y.encodeStateAsUpdate(replica), Y.encodeStateVector(replica), 5),
      );
      compaction.catch(() => {});
      const stalled = async () => (await admin.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event = 'PgSleep'")).rows[0].n > 0;
      for (let i = 0; i < 100 && !(await stalled()); i++) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await stalled()).toBe(true);
      // Every connection of the compacting process ends at once, as they do when it is killed.
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
      await expect(compaction).rejects.toThrow();
      await admin.query('DROP TRIGGER stall ON doc_updates');
      const after = await openStorage({ ...defaultConfig(), databaseUrl: url }, createCollectingLogger());
      try {
        const stored = await after.stores.updates.loadDoc('r/annotations');
        expect(stored.snapshot).toBeNull();
        expect(stored.seqs).toEqual([1, 2, 3, 4, 5]);
        expect(await after.stores.updates.whileCompacting('r/annotations', async () => 'free')).toBe('free');
      } finally {
        await after.close();
      }
    } finally {
      await admin.end();
      await storage.close().catch(() => {});
      replica.destroy();
    }
  });

  describe('sign-in limits shared in Redis', () => {
    let cluster: RedisCluster | null = null;
    afterAll(async () => {
      await cluster?.close();
    });
    signInLimitCases(async () => {
      cluster ??= await RedisCluster.connect(redis.url, createCollectingLogger());
      await cluster.commands.flushdb();
      return new RedisSignInLimits(cluster.commands, { failuresPerAccount: 3, attemptsPerAddress: 5, windowMs: 60_000 }, createCollectingLogger());
    });
  });
});
