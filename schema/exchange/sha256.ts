import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/**
 * SHA-256 of a string's UTF-8 bytes, as lowercase hex: the text version of a chapter, and the
 * stable local id of an imported IRI. Synchronous and free of `node:crypto`, so it runs in the
 * browser and the server alike (`crypto.subtle` is asynchronous, and exports are synchronous).
 */
export function sha256Hex(text: string): string {
  if (typeof text !== 'string') throw new TypeError(`sha256Hex expects a string, got ${typeof text}`);
  return bytesToHex(sha256(utf8ToBytes(text)));
}
