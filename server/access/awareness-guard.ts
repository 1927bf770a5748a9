import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as authProtocol from 'y-protocols/auth';
import * as awarenessProtocol from 'y-protocols/awareness';
import { COLLAB_CLOSE, MESSAGE_AUTH, PresenceSlots, presenceLook } from '../../schema/index.ts';
import { jsonBytesNestDeeperThan, MAX_CLIENT_JSON_DEPTH } from '../limits/json-depth.ts';
import type { Session } from '../auth/identity.ts';
import type { CollabConnection } from '../collab/collab-connection.ts';
import type { CollabDoc } from '../collab/collab-doc.ts';

/**
 * Awareness (presence) as the server relays it. Yjs awareness lets any peer publish any state
 * under any client id; here:
 *
 * - one client id per connection: the first one it publishes a state for (refused if another
 *   live connection, or earlier another user, holds it); entries for other ids are dropped —
 *   silently when they are echoes (a stock y-websocket client re-sends every state it hears,
 *   with the clock it heard), with permission-denied when they are newer than what the server
 *   holds (an attempt to speak for someone else);
 * - identity from the session: the server overwrites `user` with `{userId, name, role, slot,
 *   colour}` (and `color`, which y-prosemirror's cursor plugin reads) in every state it relays;
 *   `slot` tells the people present apart (schema/room/presence-palette.ts): the lowest one free
 *   when a person's first connection publishes, kept while any of their connections stays, so
 *   every browser paints each person alike and no two people present alike;
 * - bounded: states over `maxBytes` are dropped, and a connection's updates are relayed at most
 *   `perSecond` times a second (faster ones are coalesced: the latest is relayed when due);
 * - states are removed on disconnect (CollabDoc.removePeer, by the claimed id).
 */

/** The limits and lookups of the awareness guard. */
export interface AwarenessGuardOptions {
  maxBytes: number;
  perSecond: number;
  /** The display name a user chose most recently, or null (the session's name is used). */
  currentName?: (userId: string) => string | null;
}

/** The permission-denied message answering an attempt to publish someone else's presence. */
const AWARENESS_DENIED = (() => {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AUTH);
  authProtocol.writePermissionDenied(encoder, 'you may publish only your own presence');
  return encoding.toUint8Array(encoder);
})();

/** How much a client's own `user` field may add to a state before the server replaces it. */
const USER_FIELD_ALLOWANCE = 1024;

/** One decoded awareness entry. */
interface AwarenessEntry {
  clientId: number;
  clock: number;
  state: string;
}

/** One awareness entry as received: its state still the bytes of a string, not decoded or parsed. */
interface ReceivedEntry {
  clientId: number;
  clock: number;
  stateBytes: Uint8Array;
}

/** The JSON text `null`: a client's removal of its own state. */
const NULL_STATE = new Uint8Array([0x6e, 0x75, 0x6c, 0x6c]);

function isNullState(bytes: Uint8Array): boolean {
  return bytes.byteLength === 4 && bytes.every((byte, i) => byte === NULL_STATE[i]);
}

/** Who last held a client id in a document, and through which connection. */
interface ClientOwner {
  connection: CollabConnection;
  userId: string;
}

/** Per-connection awareness bookkeeping. */
interface ConnectionPresence {
  clientId: number | null;
  /** The person's presence slot, taken when the connection claimed its client id. */
  slot: number | null;
  lastRelayedAt: number;
  pending: AwarenessEntry | null;
  timer: NodeJS.Timeout | null;
}

function decodeEntries(update: Uint8Array): ReceivedEntry[] {
  const decoder = decoding.createDecoder(update);
  const entries: ReceivedEntry[] = [];
  for (let count = decoding.readVarUint(decoder); count > 0; count--) {
    entries.push({ clientId: decoding.readVarUint(decoder), clock: decoding.readVarUint(decoder), stateBytes: decoding.readVarUint8Array(decoder) });
  }
  return entries;
}

function encodeEntry(entry: AwarenessEntry): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint(encoder, entry.clientId);
  encoding.writeVarUint(encoder, entry.clock);
  encoding.writeVarString(encoder, entry.state);
  return encoding.toUint8Array(encoder);
}

/** The awareness guard of one server. */
export class AwarenessGuard {
  readonly #options: AwarenessGuardOptions;
  readonly #owners = new WeakMap<CollabDoc, Map<number, ClientOwner>>();
  readonly #slots = new WeakMap<CollabDoc, PresenceSlots>();
  readonly #presence = new WeakMap<CollabConnection, ConnectionPresence>();
  /** Counts of what was dropped, for logs and figures. */
  readonly dropped = { foreign: 0, oversized: 0, malformed: 0 };

  constructor(options: AwarenessGuardOptions) {
    this.#options = options;
  }

  #presenceOf(connection: CollabConnection): ConnectionPresence {
    let presence = this.#presence.get(connection);
    if (!presence) {
      presence = { clientId: null, slot: null, lastRelayedAt: -Infinity, pending: null, timer: null };
      this.#presence.set(connection, presence);
    }
    return presence;
  }

  /** Whether this connection may publish under `clientId`, claiming it if it has none yet. */
  #mayPublish(connection: CollabConnection, presence: ConnectionPresence, clientId: number, isRemoval: boolean): boolean {
    if (presence.clientId !== null) return presence.clientId === clientId;
    if (isRemoval) return false;
    let owners = this.#owners.get(connection.doc);
    if (!owners) this.#owners.set(connection.doc, (owners = new Map()));
    const owner = owners.get(clientId);
    // A reconnecting tab keeps its client id: the same user may take it back once its old socket is gone.
    if (owner && owner.connection !== connection && (owner.connection.open || owner.userId !== connection.session.userId)) return false;
    owners.set(clientId, { connection, userId: connection.session.userId });
    presence.clientId = clientId;
    presence.slot = this.#slotsOf(connection.doc).join(connection.session.userId);
    return true;
  }

  #slotsOf(doc: CollabDoc): PresenceSlots {
    let slots = this.#slots.get(doc);
    if (!slots) this.#slots.set(doc, (slots = new PresenceSlots()));
    return slots;
  }

  /** Whether an entry for someone else's id is only a re-sent copy of what the server relayed. */
  #isEcho(connection: CollabConnection, entry: ReceivedEntry): boolean {
    const known = connection.doc.awareness.meta.get(entry.clientId);
    return known !== undefined && entry.clock <= known.clock;
  }

  /**
   * Rewrites a state's `user` from the session: 'malformed' when it is not JSON, null when it is
   * not an object or too big. Its size and depth were checked before it came here.
   */
  #rewrite(session: Session, slot: number, stateBytes: Uint8Array): string | null | 'malformed' {
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder().decode(stateBytes));
    } catch {
      return 'malformed';
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
    const name = this.#options.currentName?.(session.userId) ?? session.name;
    const { colour } = presenceLook(slot);
    const rewritten = JSON.stringify({ ...parsed, user: { userId: session.userId, name, role: session.role, slot, colour, color: colour } });
    return Buffer.byteLength(rewritten) <= this.#options.maxBytes ? rewritten : null;
  }

  /**
   * Takes an awareness update from a connection and relays what it may publish. Each state is
   * checked for size, then nesting depth, before it is decoded or parsed (issue 14, P3); one that
   * is not JSON closes the connection (1002), as any malformed frame does.
   */
  receive(connection: CollabConnection, update: Uint8Array, now = Date.now()): void {
    let entries: ReceivedEntry[];
    try {
      entries = decodeEntries(update);
    } catch {
      this.dropped.malformed++;
      return;
    }
    const presence = this.#presenceOf(connection);
    for (const entry of entries) {
      const removal = isNullState(entry.stateBytes);
      // Not worth parsing: even with its `user` field replaced it would stay over the cap.
      if (entry.stateBytes.byteLength > this.#options.maxBytes + USER_FIELD_ALLOWANCE || jsonBytesNestDeeperThan(entry.stateBytes, MAX_CLIENT_JSON_DEPTH)) {
        this.dropped.oversized++;
        continue;
      }
      if (!this.#mayPublish(connection, presence, entry.clientId, removal)) {
        this.dropped.foreign++;
        if (!this.#isEcho(connection, entry)) connection.send(AWARENESS_DENIED);
        continue;
      }
      const state = removal ? 'null' : this.#rewrite(connection.session, presence.slot!, entry.stateBytes);
      if (state === 'malformed') {
        this.dropped.malformed++;
        connection.close(COLLAB_CLOSE.protocolError, 'malformed message');
        return;
      }
      if (state === null) {
        this.dropped.oversized++;
        continue;
      }
      this.#schedule(connection, presence, { clientId: entry.clientId, clock: entry.clock, state }, now);
    }
  }

  /** Relays now if the connection's rate allows, else keeps the latest entry for when it does. */
  #schedule(connection: CollabConnection, presence: ConnectionPresence, entry: AwarenessEntry, now: number): void {
    const interval = 1000 / this.#options.perSecond;
    const dueAt = presence.lastRelayedAt + interval;
    // Removals go out at once: a state must not outlive its owner's goodbye.
    if (now >= dueAt || entry.state === 'null') {
      presence.pending = null;
      if (presence.timer) clearTimeout(presence.timer);
      presence.timer = null;
      presence.lastRelayedAt = now;
      this.#apply(connection, entry);
      return;
    }
    presence.pending = entry;
    presence.timer ??= setTimeout(() => {
      presence.timer = null;
      const pending = presence.pending;
      presence.pending = null;
      if (!pending || !connection.open) return;
      presence.lastRelayedAt = Date.now();
      this.#apply(connection, pending);
    }, Math.ceil(dueAt - now));
    presence.timer.unref();
  }

  #apply(connection: CollabConnection, entry: AwarenessEntry): void {
    if (connection.doc.state !== 'ready' || !connection.doc.peers.has(connection)) return;
    awarenessProtocol.applyAwarenessUpdate(connection.doc.awareness, encodeEntry(entry), connection);
  }

  /** Forgets a closed connection's pending relay (its states are removed by the document). */
  detached(connection: CollabConnection): void {
    const presence = this.#presence.get(connection);
    if (presence?.timer) clearTimeout(presence.timer);
    if (presence?.slot !== null && presence?.slot !== undefined) this.#slotsOf(connection.doc).leave(connection.session.userId);
    this.#presence.delete(connection);
  }
}
