import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

// The y-websocket wire protocol, as the load generator speaks it without a provider.
const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_AUTH = 2;
const MESSAGE_STORED = 100;
const SYNC_STEP1 = 0;
const SYNC_STEP2 = 1;
const SYNC_UPDATE = 2;

/** An incoming frame, classified with as little decoding as possible (the rest is deferred). */
export type IncomingFrame =
  | { kind: 'step1'; stateVector: Uint8Array }
  | { kind: 'step2' | 'update'; update: Uint8Array }
  | { kind: 'awareness'; update: Uint8Array }
  | { kind: 'denied'; reason: string }
  | { kind: 'stored'; stateVector: Uint8Array }
  | { kind: 'other' };

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

/** Sync step 1: the sender's state vector. */
export function syncStep1Frame(ydoc: Y.Doc): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MESSAGE_SYNC);
    encoding.writeVarUint(e, SYNC_STEP1);
    encoding.writeVarUint8Array(e, Y.encodeStateVector(ydoc));
  });
}

/** Sync step 2: what the peer with `stateVector` lacks. */
export function syncStep2Frame(ydoc: Y.Doc, stateVector: Uint8Array): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MESSAGE_SYNC);
    encoding.writeVarUint(e, SYNC_STEP2);
    encoding.writeVarUint8Array(e, Y.encodeStateAsUpdate(ydoc, stateVector));
  });
}

/** A sync update carrying one Yjs update. */
export function updateFrame(update: Uint8Array): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MESSAGE_SYNC);
    encoding.writeVarUint(e, SYNC_UPDATE);
    encoding.writeVarUint8Array(e, update);
  });
}

/** An awareness message announcing one client's state (JSON) at `clock`. */
export function awarenessFrame(clientId: number, clock: number, state: unknown): Uint8Array {
  const inner = frame((e) => {
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, clientId);
    encoding.writeVarUint(e, clock);
    encoding.writeVarString(e, JSON.stringify(state));
  });
  return frame((e) => {
    encoding.writeVarUint(e, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(e, inner);
  });
}

/** Classifies a frame; payloads are views into `bytes` (ws hands every message its own buffer). */
export function readFrame(bytes: Uint8Array): IncomingFrame {
  const decoder = decoding.createDecoder(bytes);
  const type = decoding.readVarUint(decoder);
  if (type === MESSAGE_SYNC) {
    const subtype = decoding.readVarUint(decoder);
    const payload = decoding.readVarUint8Array(decoder);
    if (subtype === SYNC_STEP1) return { kind: 'step1', stateVector: payload };
    return { kind: subtype === SYNC_STEP2 ? 'step2' : 'update', update: payload };
  }
  if (type === MESSAGE_AWARENESS) return { kind: 'awareness', update: decoding.readVarUint8Array(decoder) };
  if (type === MESSAGE_AUTH) {
    decoding.readVarUint(decoder);
    return { kind: 'denied', reason: decoding.readVarString(decoder) };
  }
  if (type === MESSAGE_STORED) return { kind: 'stored', stateVector: decoding.readVarUint8Array(decoder) };
  return { kind: 'other' };
}
