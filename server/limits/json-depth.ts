/**
 * Nesting bounds on JSON a client sends (presence states, JSON inside Yjs updates, HTTP bodies),
 * checked before anything parses it. `JSON.parse` of `'['.repeat(2e6) + ']'.repeat(2e6)` is
 * under the payload limit yet holds the event loop for about a second (issue 14); counting
 * brackets stops at the first one past the limit and costs nothing for honest input.
 */

/** The deepest nesting of arrays and objects accepted in any JSON from a client. Apparatus's own
 *  records nest fewer than ten levels (a W3C selector inside a target inside an annotation). */
export const MAX_CLIENT_JSON_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/**
 * Whether the JSON text in `bytes[start, end)` (UTF-8) nests arrays and objects deeper than
 * `limit`. Only brackets outside string literals count; multi-byte UTF-8 sequences never contain
 * these ASCII bytes, so the bytes need no decoding. Says nothing about validity: the parser that
 * runs afterwards still refuses malformed text.
 */
export function jsonBytesNestDeeperThan(bytes: Uint8Array, limit: number, start = 0, end = bytes.length): boolean {
  let depth = 0;
  let inString = false;
  for (let i = start; i < end; i++) {
    const byte = bytes[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (byte === OPEN_ARRAY || byte === OPEN_OBJECT) {
      if (++depth > limit) return true;
    } else if (byte === CLOSE_ARRAY || byte === CLOSE_OBJECT) depth--;
  }
  return false;
}

/** The message naming a refused nesting depth, for HTTP errors and refusals. */
export function tooDeepMessage(what: string, limit = MAX_CLIENT_JSON_DEPTH): string {
  return `${what} nests arrays or objects deeper than ${limit} levels`;
}
