import { createHash } from 'node:crypto';

/**
 * The checksum stored with every log entry (issue 14, P5): SHA-256 over the document's name, the
 * entry's sequence number in that document's log and its bytes, so that a flipped byte, an
 * entry moved to another document or another place in the log, or a renumbered one is caught
 * when the log is read. About 2 µs for a typical 300-byte update.
 */
export function entryChecksum(docName: string, seq: number, bytes: Uint8Array): Buffer {
  return createHash('sha256').update(docName, 'utf8').update('\u0000').update(String(seq)).update('\u0000').update(bytes).digest();
}

/** The digest recorded with a snapshot: SHA-256 of its bytes (~1 ms for 2 MB). */
export function snapshotDigest(snapshot: Uint8Array): Buffer {
  return createHash('sha256').update(snapshot).digest();
}
