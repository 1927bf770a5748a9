import * as Y from 'yjs';
import type * as decoding from 'lib0/decoding';
import { MESSAGE_AUTH, MESSAGE_STORED, readStoredMessage } from '../../schema/index.ts';

/** y-protocols' auth message type (the server sends permission-denied with a reason). */
export const PERMISSION_MESSAGE_TYPE = MESSAGE_AUTH;

/** The server's "stored" acknowledgement (schema/room/collab-protocol.ts). */
export const STORED_MESSAGE_TYPE = MESSAGE_STORED;

/** The decoded state vector of a stored acknowledgement, or why it could not be read. */
export type StoredMessageResult = { ok: true; value: Map<number, number> } | { ok: false; error: string };

/** Reads the body of a "stored" message (after its type): the state vector the server has stored. */
export function decodeStoredMessage(decoder: decoding.Decoder): StoredMessageResult {
  try {
    return { ok: true, value: Y.decodeStateVector(readStoredMessage(decoder)) };
  } catch {
    return { ok: false, error: 'The server sent an unreadable save confirmation; changes are shown as unsaved.' };
  }
}
