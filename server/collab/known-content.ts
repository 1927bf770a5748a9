import * as Y from 'yjs';
import type { DecodedUpdate } from './message-parser.ts';

/** Whether every item of `client` in `[clock, clock + length)` exists in `ydoc` and is deleted there. */
function rangeDeletedIn(ydoc: Y.Doc, client: number, clock: number, length: number): boolean {
  const end = clock + length;
  if (end > Y.getState(ydoc.store, client)) return false;
  const structs = ydoc.store.clients.get(client);
  if (!structs) return false;
  for (let index = Y.findIndexSS(structs, clock); index < structs.length; index++) {
    const struct = structs[index]!;
    if (struct.id.clock >= end) break;
    if (!struct.deleted) return false;
  }
  return true;
}

/**
 * Whether a decoded update brings nothing `ydoc` lacks: each struct lies within the document's
 * state vector, and each range it deletes is already deleted in the document. A stock y-websocket
 * client's sync step 2 carries its replica's whole delete set, so a reader who changed nothing
 * sends such an update on every reconnect once anything in the document was ever deleted
 * (issue 13); it is no change at all and must neither be refused, stored nor relayed. Ids are
 * unique per client and clock, so covered structs are the document's own (Yjs skips them too).
 */
export function bringsNothingNew(decoded: DecodedUpdate, ydoc: Y.Doc): boolean {
  for (const struct of decoded.structs) {
    // A Skip marks a gap in a merged update: it carries no content.
    if (struct instanceof Y.Skip) continue;
    if (struct.id.clock + struct.length > Y.getState(ydoc.store, struct.id.client)) return false;
  }
  for (const [client, ranges] of decoded.ds.clients) {
    for (const { clock, len } of ranges) if (!rangeDeletedIn(ydoc, client, clock, len)) return false;
  }
  return true;
}
