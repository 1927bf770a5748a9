import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { StoredEntry } from '../collab/commit-queue.ts';

/**
 * The messages server processes send each other through Redis (docs/several-servers.md), in
 * lib0's binary encoding: the sender's id first (a process hears its own messages and drops
 * them), then the kind and its fields. Stored entries carry their log seqs and the client ids
 * they claimed; entries too large to relay go as a notice of the last seq, read from the store.
 */
export type RelayMessage =
  | { kind: 'stored'; docName: string; entries: StoredEntry[] | null; lastSeq: number }
  | { kind: 'awareness'; docName: string; update: Uint8Array }
  | { kind: 'awareness-query'; docName: string }
  | { kind: 'access-changed' }
  | { kind: 'renamed'; userId: string; name: string }
  | { kind: 'room-deleted'; room: string };

const KINDS = ['stored', 'awareness', 'awareness-query', 'access-changed', 'renamed', 'room-deleted'] as const;

/** Entries larger than this (bytes, in all) are not relayed: the others read them from the store. */
export const MAX_RELAYED_BYTES = 256 * 1024;

/** Encodes a message from process `sender`. */
export function encodeRelayMessage(sender: string, message: RelayMessage): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, sender);
  encoding.writeVarUint(encoder, KINDS.indexOf(message.kind));
  switch (message.kind) {
    case 'stored':
      encoding.writeVarString(encoder, message.docName);
      encoding.writeVarUint(encoder, message.lastSeq);
      encoding.writeVarUint(encoder, message.entries === null ? 0 : 1);
      if (message.entries === null) break;
      encoding.writeVarUint(encoder, message.entries.length);
      for (const entry of message.entries) {
        encoding.writeVarUint(encoder, entry.seq);
        encoding.writeVarUint8Array(encoder, entry.update);
        encoding.writeVarUint(encoder, entry.claims.length);
        for (const claim of entry.claims) {
          encoding.writeVarUint(encoder, claim.client);
          encoding.writeVarString(encoder, claim.userId);
        }
      }
      break;
    case 'awareness':
      encoding.writeVarString(encoder, message.docName);
      encoding.writeVarUint8Array(encoder, message.update);
      break;
    case 'awareness-query':
      encoding.writeVarString(encoder, message.docName);
      break;
    case 'access-changed':
      break;
    case 'renamed':
      encoding.writeVarString(encoder, message.userId);
      encoding.writeVarString(encoder, message.name);
      break;
    case 'room-deleted':
      encoding.writeVarString(encoder, message.room);
      break;
  }
  return encoding.toUint8Array(encoder);
}

/** Decodes a message: its sender and content. Throws on bytes no process of this version sent. */
export function decodeRelayMessage(bytes: Uint8Array): { sender: string; message: RelayMessage } {
  const decoder = decoding.createDecoder(bytes);
  const sender = decoding.readVarString(decoder);
  const kind = KINDS[decoding.readVarUint(decoder)];
  switch (kind) {
    case 'stored': {
      const docName = decoding.readVarString(decoder);
      const lastSeq = decoding.readVarUint(decoder);
      if (decoding.readVarUint(decoder) === 0) return { sender, message: { kind, docName, entries: null, lastSeq } };
      const entries: StoredEntry[] = [];
      for (let n = decoding.readVarUint(decoder); n > 0; n--) {
        const seq = decoding.readVarUint(decoder);
        const update = decoding.readVarUint8Array(decoder);
        const claims = [];
        for (let c = decoding.readVarUint(decoder); c > 0; c--) claims.push({ client: decoding.readVarUint(decoder), userId: decoding.readVarString(decoder) });
        entries.push({ seq, update, claims });
      }
      return { sender, message: { kind, docName, entries, lastSeq } };
    }
    case 'awareness':
      return { sender, message: { kind, docName: decoding.readVarString(decoder), update: decoding.readVarUint8Array(decoder) } };
    case 'awareness-query':
      return { sender, message: { kind, docName: decoding.readVarString(decoder) } };
    case 'access-changed':
      return { sender, message: { kind } };
    case 'renamed':
      return { sender, message: { kind, userId: decoding.readVarString(decoder), name: decoding.readVarString(decoder) } };
    case 'room-deleted':
      return { sender, message: { kind, room: decoding.readVarString(decoder) } };
    default:
      throw new RangeError('unknown relay message kind');
  }
}

/** The message that tells the others what was stored: the entries, or only the last seq when they are too large to relay. */
export function storedMessage(docName: string, entries: readonly StoredEntry[]): RelayMessage {
  const lastSeq = Math.max(...entries.map((entry) => entry.seq));
  const bytes = entries.reduce((sum, entry) => sum + entry.update.byteLength, 0);
  return { kind: 'stored', docName, entries: bytes > MAX_RELAYED_BYTES ? null : [...entries], lastSeq };
}
