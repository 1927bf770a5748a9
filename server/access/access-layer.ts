import type * as Y from 'yjs';
import type { IdentityService } from '../auth/identity.ts';
import type { UpdateAuthorizer } from '../collab/authorize-update.ts';
import type { CollabConnection } from '../collab/collab-connection.ts';
import type { CollabDoc } from '../collab/collab-doc.ts';
import type { ServerConfig } from '../config.ts';
import type { Logger } from '../logger.ts';
import { replayStoredDoc } from '../persistence/doc-replay.ts';
import type { ServerStores } from '../persistence/server-stores.ts';
import type { UpdateStore } from '../persistence/update-store.ts';
import { docNameOf } from '../rooms/doc-names.ts';
import { createAccessAuthorizer } from './access-authorizer.ts';
import { followRemoteUpdate } from './annotation-shadow.ts';
import { CollabGuard } from './collab-guard.ts';
import { CredentialSweeper } from './credential-sweeper.ts';
import { CurrentNames } from './current-names.ts';
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
  /** The display names users chose, as the synchronous checks read them. */
  names: CurrentNames;
  /** Before a document takes updates: what its checks read from the store (a room's footnotes). */
  prepareDoc(doc: CollabDoc): Promise<void>;
  /**
   * A document's update was stored by another server process (docs/several-servers.md): the
   * footnotes of a room whose text changed are read again; an annotation document's shadow takes
   * the update as the live document applies it (`applied`).
   */
  storedElsewhere(room: string, kind: CollabDoc['kind'], applied: { ydoc: Y.Doc; update: Uint8Array } | null): void;
  /** Starts checking the credentials of the connections `connections()` lists. */
  watch(connections: () => Iterable<CollabConnection>): void;
  /** The sweeper, once watching (tests run a sweep on demand). */
  sweeper(): CredentialSweeper | null;
  stop(): void;
}

/** What the access layer is built from. */
export interface AccessLayerOptions {
  config: ServerConfig;
  stores: Pick<ServerStores, 'invites' | 'sessions' | 'profiles' | 'updates'>;
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
function storedTextDocReader(updates: UpdateStore, log: Logger): (room: string) => Promise<Y.Doc | null> {
  return async (room) => {
    const stored = await updates.loadDoc(docNameOf(room, 'text'));
    if (stored.snapshot === null && stored.updates.length === 0) return null;
    const replayed = replayStoredDoc(stored);
    if (replayed.ok) return replayed.value;
    log.warn('access.footnotes-unreadable', { room, error: replayed.error });
    return null;
  };
}

/** Builds the access layer. Nothing runs until `watch()`. */
export function createAccessLayer(options: AccessLayerOptions): AccessLayer {
  const { config, stores, log, identity } = options;
  const names = new CurrentNames(stores.profiles, log);
  identity?.onRenamed((userId, name) => names.set(userId, name));
  const currentName = (userId: string) => names.get(userId);
  const origins = createOriginPolicy(config.allowedOrigins);
  const hosts = createHostPolicy(config);
  const guard = new CollabGuard({ limits: config, origins, hosts, log, currentName, attachedUser: (userId) => void names.refresh(userId) });
  let sweeper: CredentialSweeper | null = null;
  let openConnections: () => Iterable<CollabConnection> = () => [];
  // A room's loaded text document is found among the connections (its peers) until found once;
  // its numbers then follow its updates. Otherwise its stored text is read when its annotations load.
  const footnotes = new RoomFootnotes({
    liveTextDoc: (room) => liveTextDocAmong(openConnections(), room),
    storedTextDoc: storedTextDocReader(stores.updates, log),
    readFailed: (room, error) => log.warn('access.footnotes-unreadable', { room, error }),
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
    names,
    prepareDoc: (doc) => (doc.kind === 'annotations' ? footnotes.prepare(doc.room) : Promise.resolve()),
    storedElsewhere(room, kind, applied) {
      if (kind === 'text') footnotes.textChanged(room);
      if (applied && kind === 'annotations') followRemoteUpdate(applied.ydoc, applied.update);
    },
    watch(connections) {
      openConnections = connections;
      sweeper ??= new CredentialSweeper({ connections, invites: stores.invites, sessions: stores.sessions, identity, names, intervalMs: config.credentialCheckMs, log });
      sweeper.start();
    },
    sweeper: () => sweeper,
    stop() {
      sweeper?.stop();
      footnotes.clear();
    },
  };
}
