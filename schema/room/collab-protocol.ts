import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

/**
 * The collaboration wire protocol shared by the browser client and the server.
 *
 * It is the y-websocket protocol (message type as a varUint, then the payload of y-protocols'
 * sync, awareness or auth message), plus one Apparatus message: MESSAGE_STORED, which tells
 * a client what the server has durably committed, so that the UI can say "saved" truthfully.
 */

/** y-protocols sync message (sync step 1, sync step 2, update). */
export const MESSAGE_SYNC = 0;
/** y-protocols awareness update. */
export const MESSAGE_AWARENESS = 1;
/** y-protocols auth message (the server sends permission-denied with a reason). */
export const MESSAGE_AUTH = 2;
/** A request for every awareness state the other side knows. */
export const MESSAGE_QUERY_AWARENESS = 3;
/**
 * Apparatus extension: the state vector of everything the server has durably stored for this
 * document. Sent only to connections that opted in with the query parameter `acks=1`, because a
 * stock y-websocket client logs an error on message types it does not know.
 */
export const MESSAGE_STORED = 100;
/**
 * Apparatus extension: a notice from the server for the people in a room, as a level
 * (`info`, `warning`, `error`) and a message (e.g. the room's saved state is damaged and it is
 * read-only). Sent, like MESSAGE_STORED, only to connections that opted in with `acks=1`.
 */
export const MESSAGE_NOTICE = 101;

/**
 * WebSocket close codes the server uses. The 44xx codes are permanent refusals: a stock
 * y-websocket 3 client stops reconnecting when it receives one.
 */
export const COLLAB_CLOSE = {
  /** The server is shutting down; reconnect later. */
  goingAway: 1001,
  /** A frame could not be decoded or carried an unknown message type. */
  protocolError: 1002,
  /** A text frame, where only binary frames are accepted. */
  unsupportedData: 1003,
  /** Too many messages sent while the document was still loading. */
  policyViolation: 1008,
  /** A message larger than the server's maxPayload. */
  messageTooBig: 1009,
  /** The room's stored state could not be loaded; the room is refused until it is repaired. */
  loadFailed: 1011,
  /** The room is being reloaded from the store (after an update that could not be applied); reconnect. */
  serviceRestart: 1012,
  /** No token, or a token the server does not know (expired or revoked included). */
  unauthorized: 4401,
  /** A valid token of another room, or a role that may not open this document. */
  forbidden: 4403,
  /** The path names no document (`/collab/<room>/<text|annotations>`). */
  notFound: 4404,
} as const;

/** Encodes a MESSAGE_STORED message carrying an encoded Yjs state vector. */
export function encodeStoredMessage(stateVector: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_STORED);
  encoding.writeVarUint8Array(encoder, stateVector);
  return encoding.toUint8Array(encoder);
}

/** The levels of a MESSAGE_NOTICE. */
export type NoticeLevel = 'info' | 'warning' | 'error';

/** Encodes a MESSAGE_NOTICE message. */
export function encodeNoticeMessage(level: NoticeLevel, message: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_NOTICE);
  encoding.writeVarString(encoder, level);
  encoding.writeVarString(encoder, message);
  return encoding.toUint8Array(encoder);
}

/**
 * Reads the payload of a MESSAGE_NOTICE message (after its type); an unknown level reads as
 * `warning`. Throws on truncated bytes, as the lib0 decoders do.
 */
export function readNoticeMessage(decoder: decoding.Decoder): { level: NoticeLevel; message: string } {
  const level = decoding.readVarString(decoder);
  const message = decoding.readVarString(decoder);
  return { level: level === 'info' || level === 'error' ? level : 'warning', message };
}

/**
 * Reads the payload of a MESSAGE_STORED message: the encoded state vector of what is stored.
 * Assumes the message type has already been read, as y-websocket's `messageHandlers` do.
 */
export function readStoredMessage(decoder: decoding.Decoder): Uint8Array {
  return decoding.readVarUint8Array(decoder);
}

/** A Yjs state vector, encoded (as sent) or decoded (client id → clock). */
export type StateVector = Uint8Array | ReadonlyMap<number, number>;

function decoded(vector: StateVector): ReadonlyMap<number, number> {
  return vector instanceof Uint8Array ? Y.decodeStateVector(vector) : vector;
}

/**
 * Returns whether the stored state vector covers every change counted by the local one, that is
 * whether everything a client has (its own edits included) is durably stored on the server.
 */
export function stateVectorCovers(storedStateVector: StateVector, localStateVector: StateVector): boolean {
  const stored = decoded(storedStateVector);
  for (const [clientId, clock] of decoded(localStateVector)) {
    if ((stored.get(clientId) ?? 0) < clock) return false;
  }
  return true;
}

/**
 * Returns whether an encoded state vector is empty: the sync step 1 of a replica that holds
 * nothing yet (a fresh client), which the whole stored state answers.
 */
export function isEmptyStateVector(stateVector: Uint8Array): boolean {
  return stateVector.byteLength === 1 && stateVector[0] === 0;
}
