import type { AccountService } from '../auth/accounts.ts';
import type { IdentityService } from '../auth/identity.ts';
import type { SingleSignOn } from '../auth/single-sign-on.ts';
import type { CollabServer } from '../collab/collab-server.ts';
import type { ServerConfig } from '../config.ts';
import type { HostPolicy } from '../access/host-policy.ts';
import type { OriginPolicy } from '../access/origin-policy.ts';
import type { HeavyWork } from '../heavy/heavy-work.ts';
import type { Logger } from '../logger.ts';
import type { ServerStores } from '../persistence/server-stores.ts';
import type { DatabaseFile } from '../persistence/database-file.ts';
import type { StoreHealth } from '../persistence/store-health.ts';
import type { StoreLocation } from '../persistence/storage.ts';
import type { RoomStores } from '../rooms/create-room.ts';
import type { RoomStats } from '../rooms/room-stats.ts';
import type { RoundService } from '../rounds/round-service.ts';

/** What HTTP route handlers may use. */
export interface HttpContext {
  config: ServerConfig;
  log: Logger;
  identity: IdentityService;
  /** The admin bearer token (from ADMIN_TOKEN or derived from the server secret). */
  adminToken: string;
  rooms: RoomStores;
  /** Every store (accounts, seminars, …), one per table group. */
  stores: ServerStores;
  collab: CollabServer;
  /** Blind rounds (docs/seminar-view.md). */
  rounds: RoundService;
  /** Which browser origins may make state-changing requests (the access layer's policy). */
  origins: OriginPolicy;
  /** Which names the server answers to (the access layer's policy against DNS rebinding). */
  hosts: HostPolicy;
  startedAt: number;
  /** Accounts and sign-in. */
  accounts: AccountService;
  /** Single sign-on through OpenID Connect, or null when not configured. */
  singleSignOn: SingleSignOn | null;
  /** The chapter figures of seminar pages. */
  roomStats: RoomStats;
  /** Worker threads for imports, exports and chapter imports (issue 14, P4). */
  heavy: HeavyWork;
  /** The store's state as health reports it: its problems, its file, and why it is lost (if it is). */
  store: StoreState;
  /**
   * Says that access changed (an invite revoked, a role changed, sessions ended): the other server
   * processes check their open sockets now rather than at their next sweep (docs/several-servers.md).
   */
  accessChanged(): void;
  /** Says that a room was deleted: the other server processes take it out of memory at once. */
  roomDeleted(room: string): void;
  /** Whether this process hears the others through Redis (absent: one process). */
  relayState?: (() => 'connected' | 'disconnected') | undefined;
}

/** What the HTTP side knows of the store's state (issue 14, P5 and attack 6). */
export interface StoreState {
  /** Where the store is (worker threads open it too). */
  location: StoreLocation;
  health: StoreHealth;
  /** The database file as opened; null when the store is in memory (lost). */
  databaseFile: DatabaseFile | null;
  /** Why the store is lost (every room refused), or null. */
  lost: string | null;
}
