import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { MESSAGE_AUTH, MESSAGE_AWARENESS, MESSAGE_QUERY_AWARENESS, MESSAGE_SYNC } from '../../schema/index.ts';
import { jsonBytesNestDeeperThan } from '../limits/json-depth.ts';

/** A Yjs update decoded into its structs and delete set (`Y.decodeUpdate`), not applied anywhere. */
export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

/**
 * An incoming collaboration message, checked for well-formed framing before anything acts on
 * it. Nothing in it is parsed yet: an update's content is decoded only once the sender may
 * change the document and its JSON passed the depth bound (`outlineUpdate`), and a presence
 * state is parsed only once the access layer has checked its size and depth (issue 14, P3).
 */
export type IncomingMessage =
  | { type: 'sync-step1'; stateVector: Uint8Array }
  | { type: 'sync-step2' | 'sync-update'; update: Uint8Array }
  | { type: 'awareness'; update: Uint8Array; clientIds: number[] }
  | { type: 'query-awareness' }
  | { type: 'auth' };

/** A framed message, or why the bytes are not one. */
export type ParseResult = { ok: true; value: IncomingMessage } | { ok: false; error: string };

// y-protocols sync sub-types.
const SYNC_STEP1 = 0;
const SYNC_STEP2 = 1;
const SYNC_UPDATE = 2;

/** Throws unless the decoder has consumed every byte: trailing bytes mean a malformed frame. */
function expectEnd(decoder: decoding.Decoder): void {
  if (decoding.hasContent(decoder)) throw new Error('trailing bytes after the message');
}

/** Reads a sync message body (after the message type); an update's bytes are not decoded here. */
function parseSync(decoder: decoding.Decoder): IncomingMessage {
  const subtype = decoding.readVarUint(decoder);
  const payload = decoding.readVarUint8Array(decoder);
  expectEnd(decoder);
  if (subtype === SYNC_STEP1) {
    Y.decodeStateVector(payload);
    return { type: 'sync-step1', stateVector: payload };
  }
  if (subtype !== SYNC_STEP2 && subtype !== SYNC_UPDATE) throw new Error(`unknown sync message type ${subtype}`);
  // An empty buffer used to hang the decoder (yjs #498).
  if (payload.byteLength === 0) throw new Error('empty update');
  return { type: subtype === SYNC_STEP2 ? 'sync-step2' : 'sync-update', update: payload };
}

/**
 * Reads an awareness message body: its entries' framing (client id, clock, a string of at most
 * what is left), never the states' JSON, which may be huge or nested without end.
 */
function parseAwareness(decoder: decoding.Decoder): IncomingMessage {
  const update = decoding.readVarUint8Array(decoder);
  expectEnd(decoder);
  const inner = decoding.createDecoder(update);
  const count = decoding.readVarUint(inner);
  const clientIds: number[] = [];
  for (let i = 0; i < count; i++) {
    clientIds.push(decoding.readVarUint(inner));
    decoding.readVarUint(inner);
    decoding.readVarUint8Array(inner);
  }
  expectEnd(inner);
  return { type: 'awareness', update, clientIds };
}

/**
 * Whether any presence state in an awareness update (as parseAwareness accepted it) nests
 * arrays or objects deeper than `limit`, checked on its bytes without parsing it.
 */
export function presenceNestsDeeperThan(update: Uint8Array, limit: number): boolean {
  const decoder = decoding.createDecoder(update);
  for (let count = decoding.readVarUint(decoder); count > 0; count--) {
    decoding.readVarUint(decoder);
    decoding.readVarUint(decoder);
    if (jsonBytesNestDeeperThan(decoding.readVarUint8Array(decoder), limit)) return true;
  }
  return false;
}

/**
 * Whether a frame is sync step 1 from a replica that holds nothing (an empty state vector): the
 * four bytes every stock client sends first when it opens a document it has no copy of. Its
 * answer is the document's whole state.
 */
export function isFreshReplicaStep1(frame: Uint8Array): boolean {
  // MESSAGE_SYNC, step 1, a one-byte state vector, which names 0 clients.
  return frame.byteLength === 4 && frame[0] === MESSAGE_SYNC && frame[1] === SYNC_STEP1 && frame[2] === 1 && frame[3] === 0;
}

/**
 * Reads the framing of one binary frame of the y-websocket protocol. Never throws: bad bytes, unknown
 * message types and trailing garbage come back as an error message, so that only the sender's
 * connection is closed.
 */
export function parseIncomingMessage(data: Uint8Array): ParseResult {
  try {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MESSAGE_SYNC:
        return { ok: true, value: parseSync(decoder) };
      case MESSAGE_AWARENESS:
        return { ok: true, value: parseAwareness(decoder) };
      case MESSAGE_QUERY_AWARENESS:
        return { ok: true, value: { type: 'query-awareness' } };
      case MESSAGE_AUTH:
        // Clients have nothing to say in the auth protocol; read and ignore.
        return { ok: true, value: { type: 'auth' } };
      default:
        return { ok: false, error: `unknown message type ${type}` };
    }
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
