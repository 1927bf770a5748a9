import type { IdentityService } from '../auth/identity.ts';
import type { CollabServer } from '../collab/collab-server.ts';
import type { ServerConfig } from '../config.ts';
import type { OriginPolicy } from '../access/origin-policy.ts';
import type { Logger } from '../logger.ts';
import type { RoomStores } from '../rooms/create-room.ts';

/** What HTTP route handlers may use. */
export interface HttpContext {
  config: ServerConfig;
  log: Logger;
  identity: IdentityService;
  /** The admin bearer token (from ADMIN_TOKEN or derived from the server secret). */
  adminToken: string;
  rooms: RoomStores;
  collab: CollabServer;
  /** Which browser origins may make state-changing requests (the access layer's policy). */
  origins: OriginPolicy;
  startedAt: number;
}
