import { promisify } from 'node:util';
import zlib from 'node:zlib';

/**
 * How a snapshot's bytes are stored (`doc_snapshots.snapshot_encoding`): `raw`, the Yjs update
 * (V1) itself, as every snapshot written before compression was; `brotli`, that update
 * compressed. Readers never see the difference: the store decodes at its boundary.
 */
export type SnapshotEncoding = 'raw' | 'brotli';

/** A snapshot as it is stored: its bytes and how they are encoded. */
export interface EncodedSnapshot {
  bytes: Uint8Array;
  encoding: SnapshotEncoding;
}

/** A stored snapshot decoded back to its Yjs update, or why its bytes do not decode (read as damage). */
export type DecodedSnapshot = { ok: true; bytes: Uint8Array } | { ok: false; error: string };

/**
 * Brotli quality of stored snapshots. Measured on seeded annotation documents (bench/lib/room-seeding):
 * quality 5 stores 2,000 annotations in ~80 bytes each (raw V1 ~392, deflate level 6 ~113) and
 * compresses a 20 MB state (50,000 annotations) in ~260 ms off the event loop; quality 4 saves a
 * third of that time for a sixth more bytes, 6 and up cost a third more time for a few percent.
 * Decompressing 20 MB takes ~30 ms.
 */
export const SNAPSHOT_BROTLI_QUALITY = 5;

/** Brotli parameters for a snapshot of `byteLength` raw bytes (the size hint lets brotli size its window). */
export function snapshotBrotliParams(byteLength: number): Record<number, number> {
  return {
    [zlib.constants.BROTLI_PARAM_QUALITY]: SNAPSHOT_BROTLI_QUALITY,
    [zlib.constants.BROTLI_PARAM_SIZE_HINT]: byteLength,
  };
}

const brotliCompress = promisify(zlib.brotliCompress);
const brotliDecompress = promisify(zlib.brotliDecompress);

/** Compresses a snapshot for the store on libuv's thread pool, so that a large room's state does not block the event loop. */
export async function encodeSnapshot(raw: Uint8Array): Promise<EncodedSnapshot> {
  return { bytes: await brotliCompress(raw, { params: snapshotBrotliParams(raw.byteLength) }), encoding: 'brotli' };
}

/**
 * Decodes a stored snapshot (off the event loop). Bytes that do not decompress, or an encoding
 * this server does not know, come back as an error: the caller reads that as a corrupt snapshot,
 * as it reads a digest mismatch.
 */
export async function decodeSnapshot(stored: Uint8Array, encoding: string): Promise<DecodedSnapshot> {
  if (encoding === 'raw') return { ok: true, bytes: stored };
  if (encoding !== 'brotli') return { ok: false, error: `the snapshot is stored in an unknown encoding (${JSON.stringify(encoding)})` };
  try {
    return { ok: true, bytes: await brotliDecompress(stored) };
  } catch (error) {
    return { ok: false, error: `the snapshot’s stored bytes do not decompress (${error instanceof Error ? error.message : String(error)})` };
  }
}
