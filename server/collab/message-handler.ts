import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { COLLAB_CLOSE, isEmptyStateVector, MESSAGE_SYNC } from '../../schema/index.ts';
import { MAX_CLIENT_JSON_DEPTH } from '../limits/json-depth.ts';
import { identitiesOf } from '../auth/identity.ts';
import type { Logger } from '../logger.ts';
import { roleWriteRefusal } from './authorize-update.ts';
import type { UpdateAuthorizer } from './authorize-update.ts';
import type { CollabConnection } from './collab-connection.ts';
import type { CommitQueue } from './commit-queue.ts';
import { parseIncomingMessage, presenceNestsDeeperThan } from './message-parser.ts';
import { permissionDeniedMessage } from './permission-denied.ts';
import { applicabilityProblem } from './update-applicability.ts';
import { claimClients, foreignClientOf } from './client-ownership.ts';
import { bringsNothingNew, outlineUpdate } from './update-outline.ts';
import type { DecodedUpdate } from './message-parser.ts';

/** What handling a frame needs from the server. */
export interface CollabContext {
  queue: CommitQueue;
  authorizeUpdate: UpdateAuthorizer;
  log: Logger;
  /** The access-control layer's awareness handling (identity rewrite, one client id, caps); direct apply without it. */
  receiveAwareness?: ((connection: CollabConnection, update: Uint8Array) => void) | undefined;
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

/** Refuses an update: logs it, tells the sender why, and (when it lacked something) asks it to resync. */
function refuse(connection: CollabConnection, reason: string, context: CollabContext, resync = false, isStep2 = false): void {
  const { doc, session } = connection;
  context.log.info('collab.update-denied', { doc: doc.name, user: session.userId, role: session.role, reason });
  connection.send(permissionDeniedMessage(reason));
  // An update depended on something the server lacks: ask for everything (a stock client answers
  // step 1 with a full step 2). Not after a step 2: asking again would bring the same answer.
  if (resync && !isStep2) connection.send(syncStep1(doc.ydoc));
}

/** Closes a connection whose frame does not decode (1002), logging it. */
function closeMalformed(connection: CollabConnection, bytes: number, error: string, context: CollabContext): void {
  context.log.warn('collab.malformed-message', { doc: connection.doc.name, user: connection.session.userId, bytes, error });
  connection.close(COLLAB_CLOSE.protocolError, 'malformed message');
}

/**
 * An update from someone who may not change this document: judged by its outline alone, its
 * content never decoded (issue 14, P3). An update that brings nothing the document lacks (a
 * reader's step 2 repeating known deletions) is no change and is only acknowledged; anything
 * else is refused with `refusal`.
 */
function receiveReaderUpdate(connection: CollabConnection, update: Uint8Array, refusal: string, context: CollabContext): void {
  const outline = outlineUpdate(update);
  if (!outline.ok) return closeMalformed(connection, update.byteLength, outline.error, context);
  if (bringsNothingNew(outline.value, connection.doc.ydoc)) return connection.doc.acknowledge([connection]);
  refuse(connection, refusal, context);
}

/**
 * Checks an incoming update and hands it to the commit queue, or tells the sender no. In order,
 * each before anything costlier: may anyone change this document (read-only when its store is
 * damaged) and may this role (without decoding), does its JSON nest within bounds (without
 * parsing), is it new, can Yjs apply it, is every client id it writes under the sender's, and
 * then the update check.
 */
function receiveUpdate(connection: CollabConnection, update: Uint8Array, isStep2: boolean, context: CollabContext): void {
  const { doc, session } = connection;
  const refusal = doc.readOnlyReason ?? roleWriteRefusal(session.role, doc.kind);
  if (refusal !== null) return receiveReaderUpdate(connection, update, refusal, context);
  const outline = outlineUpdate(update, { maxJsonDepth: MAX_CLIENT_JSON_DEPTH });
  if (!outline.ok) {
    if (outline.tooDeep) return refuse(connection, `the update's ${outline.error}`, context);
    return closeMalformed(connection, update.byteLength, outline.error, context);
  }
  // A stock client answers the server's step 1 with a step 2 even when it has nothing new.
  if (bringsNothingNew(outline.value, doc.ydoc)) return doc.acknowledge([connection]);
  let decoded: DecodedUpdate;
  try {
    decoded = Y.decodeUpdate(update);
  } catch (error) {
    return closeMalformed(connection, update.byteLength, error instanceof Error ? error.message : String(error), context);
  }
  // Proven applicable before anything else reads it: Yjs must be able to integrate every struct.
  const inapplicable = applicabilityProblem((client) => doc.acceptedClock(client), decoded);
  if (inapplicable) return refuse(connection, `the update does not apply: ${inapplicable.reason}`, context, inapplicable.missing, isStep2);
  const squatted = foreignClientOf(doc, decoded, identitiesOf(session));
  if (squatted !== null) return refuse(connection, `Yjs client id ${squatted} writes for another user`, context);
  const verdict = context.authorizeUpdate({ room: doc.room, docName: doc.name, kind: doc.kind, session, update, decoded, ydoc: doc.ydoc });
  if (!verdict.ok) return refuse(connection, verdict.reason, context, verdict.resync, isStep2);
  const claims = claimClients(doc, decoded, session.userId);
  doc.accepted(endsOf(decoded));
  context.queue.enqueue({ doc, update, sender: connection, applied: false, claims });
}

/** Per client, the clock after the last struct an update carries. */
function endsOf(decoded: DecodedUpdate): Map<number, number> {
  const ends = new Map<number, number>();
  for (const struct of decoded.structs) ends.set(struct.id.client, Math.max(ends.get(struct.id.client) ?? 0, struct.id.clock + struct.length));
  return ends;
}

/** Takes an awareness update: through the access layer's guard, or (without one) applied once its states nest within bounds. */
function receiveAwareness(connection: CollabConnection, update: Uint8Array, context: CollabContext): void {
  if (context.receiveAwareness) return context.receiveAwareness(connection, update);
  if (presenceNestsDeeperThan(update, MAX_CLIENT_JSON_DEPTH)) return closeMalformed(connection, update.byteLength, 'a presence state nests too deeply', context);
  awarenessProtocol.applyAwarenessUpdate(connection.doc.awareness, update, connection);
}

/**
 * Handles one frame of a connection whose document is ready. A frame that does not decode
 * closes only this connection (1002) and is logged; nothing from it is applied.
 */
export function handleCollabFrame(connection: CollabConnection, frame: Uint8Array, context: CollabContext): void {
  const parsed = parseIncomingMessage(frame);
  const { doc } = connection;
  if (!parsed.ok) return closeMalformed(connection, frame.byteLength, parsed.error, context);
  const message = parsed.value;
  switch (message.type) {
    case 'sync-step1': {
      const held = vectorHeldBy(connection, message.stateVector);
      // Answered from stored state only: after an append on its way ends (at once, usually).
      doc.whenStored(() => {
        connection.sendInSequence(doc.stateFor(held, connection.stateChunkBytes));
        doc.acknowledge([connection]);
      });
      return;
    }
    case 'sync-step2':
    case 'sync-update':
      receiveUpdate(connection, message.update, message.type === 'sync-step2', context);
      return;
    case 'awareness':
      receiveAwareness(connection, message.update, context);
      return;
    case 'query-awareness':
      connection.send(doc.allAwarenessStates());
      return;
    case 'auth':
      return;
  }
}
