import * as encoding from 'lib0/encoding';
import * as authProtocol from 'y-protocols/auth';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import type * as Y from 'yjs';
import { COLLAB_CLOSE, isEmptyStateVector, MESSAGE_AUTH, MESSAGE_SYNC } from '../../schema/index.ts';
import type { Logger } from '../logger.ts';
import type { UpdateAuthorizer } from './authorize-update.ts';
import type { CollabConnection } from './collab-connection.ts';
import type { CommitQueue } from './commit-queue.ts';
import { bringsNothingNew } from './known-content.ts';
import { parseIncomingMessage } from './message-parser.ts';
import type { DecodedUpdate } from './message-parser.ts';

/** What handling a frame needs from the server. */
export interface CollabContext {
  queue: CommitQueue;
  authorizeUpdate: UpdateAuthorizer;
  log: Logger;
  /** The access-control layer's awareness handling (identity rewrite, one client id, caps); direct apply without it. */
  receiveAwareness?: ((connection: CollabConnection, update: Uint8Array) => void) | undefined;
}

/** Encodes a y-protocols permission-denied message. */
function permissionDenied(reason: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AUTH);
  authProtocol.writePermissionDenied(encoder, reason);
  return encoding.toUint8Array(encoder);
}

/** Encodes a sync step 1 carrying the document's state vector. */
function syncStep1(ydoc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  syncProtocol.writeSyncStep1(encoder, ydoc);
  return encoding.toUint8Array(encoder);
}

/**
 * The state vector to answer a peer's step 1 against: the one it sent, except for a fresh replica
 * already sent the stored state while the room loaded, which holds the state the room loaded
 * (its step 1 was sent before, and is answered with what it still lacks: usually nothing).
 */
function vectorHeldBy(connection: CollabConnection, stateVector: Uint8Array): Uint8Array {
  if (!connection.answeredFromStoredState || !isEmptyStateVector(stateVector)) return stateVector;
  connection.answeredFromStoredState = false;
  return connection.doc.loadedStateVector;
}

/**
 * Authorizes an incoming update and hands it to the commit queue, or tells the sender no. An
 * update the document already holds in full (a reader's step 2 repeating deletions the server
 * has: see known-content.ts) is no change: nothing is refused, stored or relayed, and a sender
 * waiting for acknowledgements hears that what it holds is stored.
 */
function acceptUpdate(connection: CollabConnection, update: Uint8Array, decoded: DecodedUpdate, isStep2: boolean, context: CollabContext): void {
  const { doc, session } = connection;
  if (bringsNothingNew(decoded, doc.ydoc)) {
    doc.acknowledge([connection]);
    return;
  }
  const verdict = context.authorizeUpdate({ room: doc.room, docName: doc.name, kind: doc.kind, session, update, decoded, ydoc: doc.ydoc });
  if (!verdict.ok) {
    context.log.info('collab.update-denied', { doc: doc.name, user: session.userId, role: session.role, reason: verdict.reason });
    connection.send(permissionDenied(verdict.reason));
    // An update depended on something the server lacks: ask for everything (a stock client answers
    // step 1 with a full step 2). Not after a step 2: asking again would bring the same answer.
    if (verdict.resync && !isStep2) connection.send(syncStep1(doc.ydoc));
    return;
  }
  context.queue.enqueue({ doc, update, sender: connection, applied: false });
}

/**
 * Handles one frame of a connection whose document is ready. A frame that does not decode
 * closes only this connection (1002) and is logged; nothing from it is applied.
 */
export function handleCollabFrame(connection: CollabConnection, frame: Uint8Array, context: CollabContext): void {
  const parsed = parseIncomingMessage(frame);
  const { doc } = connection;
  if (!parsed.ok) {
    context.log.warn('collab.malformed-message', { doc: doc.name, user: connection.session.userId, bytes: frame.byteLength, error: parsed.error });
    connection.close(COLLAB_CLOSE.protocolError, 'malformed message');
    return;
  }
  const message = parsed.value;
  switch (message.type) {
    case 'sync-step1':
      connection.send(doc.syncStep2For(vectorHeldBy(connection, message.stateVector)));
      doc.acknowledge([connection]);
      return;
    case 'sync-step2':
    case 'sync-update':
      // A stock client answers the server's step 1 with a step 2 even when it has nothing new.
      if (!message.isEmpty) acceptUpdate(connection, message.update, message.decoded, message.type === 'sync-step2', context);
      return;
    case 'awareness':
      if (context.receiveAwareness) context.receiveAwareness(connection, message.update);
      else awarenessProtocol.applyAwarenessUpdate(doc.awareness, message.update, connection);
      return;
    case 'query-awareness':
      connection.send(doc.allAwarenessStates());
      return;
    case 'auth':
      return;
  }
}
