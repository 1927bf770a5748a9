import type { StoredEntry } from './commit-queue.ts';

/**
 * The relay hook of the collaboration server: how one server process tells the others what it
 * stored and which presence changed, and hears the same from them (docs/several-servers.md).
 * Implemented over Redis pub/sub (server/cluster/redis-relay.ts); absent with one process.
 * Nothing relayed is the truth: stored entries carry their log seqs, and a process that misses
 * one reads it from the store (store-follower.ts).
 */
export interface DocRelay {
  /** Starts hearing the messages of a room's documents; resolves once they will be heard. */
  join(room: string): Promise<void>;
  /** Stops hearing a room (no document of it is loaded here any more). */
  leave(room: string): void;
  /** Tells the others what this process just stored for a document (committed already). */
  publishStored(docName: string, entries: readonly StoredEntry[]): void;
  /** Tells the others about presence changes of this process's peers. */
  publishAwareness(docName: string, update: Uint8Array): void;
  /** Asks the others for the presence of their peers in a document (it just loaded here). */
  queryAwareness(docName: string): void;
  /** Who hears what the others send. */
  listen(listener: RelayListener): void;
  /** Whether the others are heard now. */
  state(): 'connected' | 'disconnected';
  close(): Promise<void>;
}

/** What the collaboration server does with what the other processes send. */
export interface RelayListener {
  /**
   * Another process stored entries of a document. `entries` is null when they were too large to
   * relay: they are read from the store, up to `lastSeq`.
   */
  stored(docName: string, entries: StoredEntry[] | null, lastSeq: number): void;
  awareness(docName: string, update: Uint8Array): void;
  awarenessQuery(docName: string): void;
  /** The connection to the others was lost and is back: whatever was sent meanwhile is read from the store. */
  reconnected(): void;
}
