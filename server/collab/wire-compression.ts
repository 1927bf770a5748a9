import type { PerMessageDeflateOptions } from 'ws';

/**
 * Messages from this size up are sent compressed (permessage-deflate, RFC 7692) to peers that
 * negotiated it; smaller ones go as they are. A room's state for a fresh replica (sent in pieces
 * of up to 1 MiB, state-chunks.ts) is far above it and shrinks about threefold (2,000 annotations:
 * ~392 bytes each raw, ~130 deflated). Live updates (a typical annotation ~400 bytes, relayed to
 * every peer of the room, up to 200) stay below: ws deflates each message once per socket, so
 * compressing relays would cost a deflate per peer per update for a few hundred bytes saved.
 */
export const WIRE_DEFLATE_THRESHOLD_BYTES = 16 * 1024;

/**
 * permessage-deflate as the collab endpoint offers it. Level 1: the server deflates a joiner's
 * state on the core it serves from, one piece after another (each piece is made once the last
 * has left), and on one core level 6 made the first join of a 20,000-annotation room ~350 ms
 * slower than no compression (8 MB in 1 MiB pieces: 1.1–1.4 s against 0.75–0.9 s), level 1 only
 * ~80 ms (0.84–0.95 s), for pieces ~10% larger (a 1 MiB piece of annotations: 248 KB against
 * 227 KB). No context takeover either way: nothing is carried from one message to the next. ws keeps each socket's deflate stream once it was used
 * (every fresh joiner gets a state above the threshold), so its memory level is 6 rather than
 * zlib's 8: ~160 KiB a socket instead of ~256 KiB, for a state <1% larger (a 1 MiB piece of
 * annotations: 228 KB against 226 KB). The window is left to the client (15 bits unless it asks
 * for less): ws refuses the handshake of a client that asks the server for a smaller window than
 * a fixed one, and a fixed 13 bits would have saved 64 KiB a socket for a state ~13% larger.
 * Browsers and Node's `ws` offer the extension themselves; clients that do not are served
 * uncompressed. An inflated message is still bounded by maxPayload (ws closes with 1009 past it).
 */
export const WIRE_DEFLATE: PerMessageDeflateOptions = {
  threshold: WIRE_DEFLATE_THRESHOLD_BYTES,
  serverNoContextTakeover: true,
  clientNoContextTakeover: true,
  zlibDeflateOptions: { level: 1, memLevel: 6 },
};
