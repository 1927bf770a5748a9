import type * as Y from 'yjs';
import type { IdentityService } from '../auth/identity.ts';
import type { UpdateAuthorizer } from '../collab/authorize-update.ts';
import type { CollabConnection } from '../collab/collab-connection.ts';
import type { ServerConfig } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { AppDatabase } from '../persistence/database.ts';
import { replayStoredDoc } from '../persistence/doc-replay.ts';
import type { InviteStore } from '../persistence/invite-store.ts';
import type { ProfileStore } from '../persistence/profile-store.ts';
import { UpdateStore } from '../persistence/update-store.ts';
import { docNameOf } from '../rooms/doc-names.ts';
import { createAccessAuthorizer } from './access-authorizer.ts';
import { CollabGuard } from './collab-guard.ts';
import { CredentialSweeper, SessionExpiry } from './credential-sweeper.ts';
import { createHostPolicy } from './host-policy.ts';
import type { HostPolicy } from './host-policy.ts';
import { createOriginPolicy } from './origin-policy.ts';
import type { OriginPolicy } from './origin-policy.ts';
import { RoomFootnotes } from './room-footnotes.ts';

/**
 * The access-control layer of one server (issue 6, docs/security.md), assembled from
 * the configuration and the stores: the update authorizer (with the server's clock and each
 * room's footnote numbers), the guard of the collaboration endpoint, the origin policy of HTTP
 * requests, and the sweep that closes connections whose credentials ended.
 */
export interface AccessLayer {
  authorizeUpdate: UpdateAuthorizer;
  guard: CollabGuard;
  origins: OriginPolicy;
  /** The names this server answers to (DNS rebinding, issue 14). */
  hosts: HostPolicy;
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
  /** Re-checks people's browser sessions on open sockets (signed out, removed, role changed). */
  identity?: IdentityService;
}

/** The loaded text document of a room, found among the open connections (its peers). */
function liveTextDocAmong(connections: Iterable<CollabConnection>, room: string): Y.Doc | null {
  for (const connection of connections) {
    const { doc } = connection;
    if (doc.room === room && doc.kind === 'text' && doc.state === 'ready') return doc.ydoc;
  }
  return null;
}

/** Reads a room's text document from the store (a replica of its own), or null when there is none. */
function storedTextDocReader(db: AppDatabase, log: Logger): (room: string) => Y.Doc | null {
  let store: UpdateStore | null = null;
  return (room) => {
    store ??= new UpdateStore(db);
    const stored = store.loadDoc(docNameOf(room, 'text'));
    if (stored.snapshot === null && stored.updates.length === 0) return null;
    const replayed = replayStoredDoc(stored);
    if (replayed.ok) return replayed.value;
    log.warn('access.footnotes-unreadable', { room, error: replayed.error });
    return null;
  };
}

/** Builds the access layer. Nothing runs until `watch()`. */
export function createAccessLayer(options: AccessLayerOptions): AccessLayer {
  const { config, db, invites, profiles, log, identity } = options;
  const currentName = (userId: string) => profiles.getName(userId);
  const origins = createOriginPolicy(config.allowedOrigins);
  const hosts = createHostPolicy(config);
  const guard = new CollabGuard({ limits: config, origins, hosts, log, currentName });
  let sweeper: CredentialSweeper | null = null;
  let openConnections: () => Iterable<CollabConnection> = () => [];
  // Asked only when an update links a footnote. A room's loaded text document is found among the
  // connections (its peers) until found once; its numbers then follow its updates.
  const footnotes = new RoomFootnotes({
    liveTextDoc: (room) => liveTextDocAmong(openConnections(), room),
    storedTextDoc: storedTextDocReader(db, log),
  });
  const authorize = createAccessAuthorizer({ currentName, footnoteNumbers: (room) => footnotes.numbers(room), clockSkewMs: config.clockSkewMs });
  return {
    authorizeUpdate: (request) => {
      const verdict = authorize(request);
      // Every change to a room's text passes here: numbers read from its stored text go stale.
      if (verdict.ok && request.kind === 'text') footnotes.textChanged(request.room);
      return verdict;
    },
    guard,
    origins,
    hosts,
    watch(connections) {
      openConnections = connections;
      sweeper ??= new CredentialSweeper({ connections, invites, sessions: new SessionExpiry(db), identity, intervalMs: config.credentialCheckMs, log });
      sweeper.start();
    },
    sweeper: () => sweeper,
    stop() {
      sweeper?.stop();
      footnotes.clear();
    },
  };
}
