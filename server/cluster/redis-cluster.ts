import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { DocRelay, RelayListener } from '../collab/doc-relay.ts';
import type { StoredEntry } from '../collab/commit-queue.ts';
import type { Logger } from '../logger.ts';
import { roomOfDocName } from '../rooms/doc-names.ts';
import type { ClusterEventListener, ClusterEvents } from './cluster-events.ts';
import { decodeRelayMessage, encodeRelayMessage, storedMessage } from './relay-messages.ts';
import type { RelayMessage } from './relay-messages.ts';

/** Prefix of every Redis key and channel Apparatus uses. */
export const REDIS_PREFIX = 'apparatus';

/** How long a starting process waits for Redis before it refuses to start. */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * The relay between server processes over Redis pub/sub (docs/several-servers.md): one channel
 * per room for its documents' stored entries and presence, one for events every process hears.
 * Two connections: pub/sub needs one of its own. Publishing never waits and never queues while
 * Redis is away (what is missed is read from PostgreSQL); the subscriber reconnects and
 * subscribes again by itself, and the collaboration server then catches up from the store.
 * Redis holds nothing durable here: it only carries news of what PostgreSQL holds.
 */
export class RedisCluster implements DocRelay, ClusterEvents {
  /** This process's id in messages (a process hears its own and drops them). */
  readonly id = randomBytes(8).toString('hex');
  /** The connection that publishes (and runs commands: sign-in limits). */
  readonly commands: Redis;
  readonly #subscriber: Redis;
  readonly #log: Logger;
  readonly #rooms = new Map<string, Promise<void>>();
  #relayListener: RelayListener | null = null;
  #eventListener: ClusterEventListener | null = null;
  #lostConnection = false;
  #closing = false;
  readonly #dropIncoming: ((message: RelayMessage) => boolean) | undefined;

  private constructor(url: string, log: Logger, dropIncoming?: (message: RelayMessage) => boolean) {
    this.#log = log;
    this.#dropIncoming = dropIncoming;
    const options = { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: (times: number) => Math.min(100 * times, 2000) };
    this.commands = new Redis(url, { ...options, connectionName: `apparatus-${this.id}` });
    // The subscriber may queue its SUBSCRIBEs while reconnecting: they are re-sent on connect.
    this.#subscriber = new Redis(url, { ...options, enableOfflineQueue: true, maxRetriesPerRequest: null, connectionName: `apparatus-${this.id}-sub` });
    for (const [name, connection] of [['commands', this.commands], ['subscriber', this.#subscriber]] as const) {
      connection.on('error', (error: Error) => this.#log.warn('cluster.redis-error', { connection: name, error: error.message }));
    }
    this.#subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) => this.#receive(channel.toString(), message));
    this.#subscriber.on('close', () => {
      if (this.#closing) return;
      if (!this.#lostConnection) this.#log.warn('cluster.relay-lost', { note: 'updates of other processes are read from the store until Redis is back' });
      this.#lostConnection = true;
    });
    this.#subscriber.on('ready', () => {
      if (!this.#lostConnection) return;
      this.#lostConnection = false;
      this.#log.info('cluster.relay-back');
      this.#relayListener?.reconnected();
    });
  }

  /**
   * Connects to Redis at `url` (both connections); throws when it does not answer within 10 s.
   * `dropIncoming` is a test seam: messages it returns true for are lost, as Redis pub/sub loses
   * them when a subscriber is away.
   */
  static async connect(url: string, log: Logger, dropIncoming?: (message: RelayMessage) => boolean): Promise<RedisCluster> {
    const cluster = new RedisCluster(url, log, dropIncoming);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`Redis at ${redactUrl(url)} did not answer within ${CONNECT_TIMEOUT_MS / 1000} s`)), CONNECT_TIMEOUT_MS)));
    try {
      await Promise.race([Promise.all([cluster.commands.connect(), cluster.#subscriber.connect()]), timeout]);
      await cluster.#subscriber.subscribe(cluster.#channel('events'));
      return cluster;
    } catch (error) {
      cluster.commands.disconnect();
      cluster.#subscriber.disconnect();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  #channel(name: string): string {
    return `${REDIS_PREFIX}:${name}`;
  }

  #roomChannel(room: string): string {
    return this.#channel(`room:${room}`);
  }

  /** Publishes a message; when Redis is away it is dropped (the others read the store). */
  #publish(channel: string, message: RelayMessage): void {
    if (this.commands.status !== 'ready') return;
    this.commands.publish(channel, Buffer.from(encodeRelayMessage(this.id, message))).catch((error: unknown) => this.#log.warn('cluster.publish-failed', { channel, error }));
  }

  #receive(channel: string, bytes: Buffer): void {
    let decoded;
    try {
      decoded = decodeRelayMessage(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    } catch (error) {
      return this.#log.warn('cluster.message-unreadable', { channel, bytes: bytes.byteLength, error });
    }
    if (decoded.sender === this.id) return;
    const { message } = decoded;
    if (this.#dropIncoming?.(message)) return;
    const relay = this.#relayListener;
    const events = this.#eventListener;
    switch (message.kind) {
      case 'stored':
        return relay?.stored(message.docName, message.entries, message.lastSeq);
      case 'awareness':
        return relay?.awareness(message.docName, message.update);
      case 'awareness-query':
        return relay?.awarenessQuery(message.docName);
      case 'access-changed':
        return events?.accessChanged();
      case 'renamed':
        return events?.renamed(message.userId, message.name);
      case 'room-deleted':
        return events?.roomDeleted(message.room);
    }
  }

  join(room: string): Promise<void> {
    let joined = this.#rooms.get(room);
    if (!joined) {
      joined = this.#subscriber.subscribe(this.#roomChannel(room)).then(() => undefined);
      this.#rooms.set(room, joined);
      joined.catch(() => this.#rooms.delete(room));
    }
    return joined;
  }

  leave(room: string): void {
    if (!this.#rooms.delete(room)) return;
    this.#subscriber.unsubscribe(this.#roomChannel(room)).catch((error: unknown) => this.#log.warn('cluster.unsubscribe-failed', { room, error }));
  }

  publishStored(docName: string, entries: readonly StoredEntry[]): void {
    if (entries.length > 0) this.#publish(this.#roomChannel(roomOfDocName(docName)), storedMessage(docName, entries));
  }

  publishAwareness(docName: string, update: Uint8Array): void {
    this.#publish(this.#roomChannel(roomOfDocName(docName)), { kind: 'awareness', docName, update });
  }

  queryAwareness(docName: string): void {
    this.#publish(this.#roomChannel(roomOfDocName(docName)), { kind: 'awareness-query', docName });
  }

  listen(listener: RelayListener): void {
    this.#relayListener = listener;
  }

  state(): 'connected' | 'disconnected' {
    return this.#subscriber.status === 'ready' && this.commands.status === 'ready' ? 'connected' : 'disconnected';
  }

  accessChanged(): void {
    this.#publish(this.#channel('events'), { kind: 'access-changed' });
  }

  renamed(userId: string, name: string): void {
    this.#publish(this.#channel('events'), { kind: 'renamed', userId, name });
  }

  roomDeleted(room: string): void {
    this.#publish(this.#channel('events'), { kind: 'room-deleted', room });
  }

  onEvent(listener: ClusterEventListener): void {
    this.#eventListener = listener;
  }

  async close(): Promise<void> {
    this.#closing = true;
    await Promise.allSettled([this.commands.quit(), this.#subscriber.quit()]);
  }
}

/** A URL with its password taken out, for messages. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'REDIS_URL';
  }
}
