import { AccountStore } from './account-store.ts';
import { InviteStore } from './invite-store.ts';
import { ProfileStore } from './profile-store.ts';
import { RoomGrantStore } from './room-grant-store.ts';
import { RoomStatsStore } from './room-stats-store.ts';
import { RoomStore } from './room-store.ts';
import { RoundStore } from './round-store.ts';
import { SeminarInviteStore } from './seminar-invite-store.ts';
import { SeminarStore } from './seminar-store.ts';
import { SessionStore } from './session-store.ts';
import { SettingsStore } from './settings-store.ts';
import type { SqlExecutor, TransactionOptions } from './sql/sql-executor.ts';
import { UpdateStore } from './update-store.ts';
import { WebSessionStore } from './web-session-store.ts';

/**
 * Every store of the server's database, one per table group, on one executor (SQLite or
 * PostgreSQL: the storage interface of docs/several-servers.md). Every method is asynchronous
 * and throws on storage errors.
 */
export interface ServerStores {
  /** The executor the stores run on (a pool, or one transaction of it). */
  sql: SqlExecutor;
  rooms: RoomStore;
  invites: InviteStore;
  updates: UpdateStore;
  sessions: SessionStore;
  profiles: ProfileStore;
  accounts: AccountStore;
  webSessions: WebSessionStore;
  seminars: SeminarStore;
  seminarInvites: SeminarInviteStore;
  grants: RoomGrantStore;
  roomStats: RoomStatsStore;
  settings: SettingsStore;
  /** Blind rounds and their participants (docs/seminar-view.md). */
  rounds: RoundStore;
  /**
   * Runs `fn` in one transaction with the stores bound to it: all of its writes are stored or
   * none. Use only `tx` inside (calls through the outer stores from inside join it anyway).
   * PostgreSQL may run `fn` again after a conflict with another process: it must not have
   * effects outside the stores.
   */
  transaction<T>(fn: (tx: ServerStores) => Promise<T>, options?: TransactionOptions): Promise<T>;
}

/** The stores on an executor (cheap: stores hold no state of their own). */
export function openServerStores(sql: SqlExecutor): ServerStores {
  return {
    sql,
    rooms: new RoomStore(sql),
    invites: new InviteStore(sql),
    updates: new UpdateStore(sql),
    sessions: new SessionStore(sql),
    profiles: new ProfileStore(sql),
    accounts: new AccountStore(sql),
    webSessions: new WebSessionStore(sql),
    seminars: new SeminarStore(sql),
    seminarInvites: new SeminarInviteStore(sql),
    grants: new RoomGrantStore(sql),
    roomStats: new RoomStatsStore(sql),
    settings: new SettingsStore(sql),
    rounds: new RoundStore(sql),
    transaction: (fn, options) => sql.transaction((tx) => fn(openServerStores(tx)), options),
  };
}
