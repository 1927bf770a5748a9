import type { AccountService } from '../auth/accounts.ts';
import type { IdentityService } from '../auth/identity.ts';
import type { SingleSignOn } from '../auth/single-sign-on.ts';
import type { CollabServer } from '../collab/collab-server.ts';
import type { ServerConfig } from '../config.ts';
import type { OriginPolicy } from '../access/origin-policy.ts';
import type { Logger } from '../logger.ts';
import type { ServerStores } from '../persistence/server-stores.ts';
import type { RoomStores } from '../rooms/create-room.ts';
import type { RoomStats } from '../rooms/room-stats.ts';

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
  /** Which browser origins may make state-changing requests (the access layer's policy). */
  origins: OriginPolicy;
  startedAt: number;
  /** Accounts and sign-in. */
  accounts: AccountService;
  /** Single sign-on through OpenID Connect, or null when not configured. */
  singleSignOn: SingleSignOn | null;
  /** The chapter figures of seminar pages. */
  roomStats: RoomStats;
}
