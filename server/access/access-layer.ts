import type { UpdateAuthorizer } from '../collab/authorize-update.ts';
import type { CollabConnection } from '../collab/collab-connection.ts';
import type { ServerConfig } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { AppDatabase } from '../persistence/database.ts';
import type { InviteStore } from '../persistence/invite-store.ts';
import type { ProfileStore } from '../persistence/profile-store.ts';
import { createAccessAuthorizer } from './access-authorizer.ts';
import { CollabGuard } from './collab-guard.ts';
import { CredentialSweeper, SessionExpiry } from './credential-sweeper.ts';
import { createOriginPolicy } from './origin-policy.ts';
import type { OriginPolicy } from './origin-policy.ts';

/**
 * The access-control layer of one server (issue 6, README "Security model"), assembled from
 * the configuration and the stores: the update authorizer, the guard of the collaboration
 * endpoint, the origin policy of HTTP requests, and the sweep that closes connections whose
 * credentials ended.
 */
export interface AccessLayer {
  authorizeUpdate: UpdateAuthorizer;
  guard: CollabGuard;
  origins: OriginPolicy;
  /** Starts checking the credentials of the connections `connections()` lists. */
  watch(connections: () => Iterable<CollabConnection>): void;
  /** The sweeper, once watching (tests run a sweep on demand). */
  sweeper(): CredentialSweeper | null;
  stop(): void;
}

/** What the access layer is built from. */
export interface AccessLayerOptions {
  config: ServerConfig;
  db: AppDatabase;
  invites: InviteStore;
  profiles: ProfileStore;
  log: Logger;
}

/** Builds the access layer. Nothing runs until `watch()`. */
export function createAccessLayer(options: AccessLayerOptions): AccessLayer {
  const { config, db, invites, profiles, log } = options;
  const currentName = (userId: string) => profiles.getName(userId);
  const origins = createOriginPolicy(config.allowedOrigins);
  const guard = new CollabGuard({ limits: config, origins, log, currentName });
  let sweeper: CredentialSweeper | null = null;
  return {
    authorizeUpdate: createAccessAuthorizer({ currentName }),
    guard,
    origins,
    watch(connections) {
      sweeper ??= new CredentialSweeper({ connections, invites, sessions: new SessionExpiry(db), intervalMs: config.credentialCheckMs, log });
      sweeper.start();
    },
    sweeper: () => sweeper,
    stop() {
      sweeper?.stop();
    },
  };
}
