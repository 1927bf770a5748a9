import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

/**
 * A document's state for a replica, as several Yjs updates of bounded size instead of one: a
 * room of 50,000 annotations is ~20 MB, more than a peer's send buffer may hold
 * (SEND_BUFFER_LIMIT_BYTES), and encoding it in one piece holds the event loop for hundreds of
 * milliseconds. Applied in order, the chunks give the replica at least what
 * `Y.encodeStateAsUpdate(doc, targetStateVector)` gave when the first was made: every struct it
 * lacks, the delete set and any pending structs. Any order works too (Yjs keeps structs whose
 * dependencies have not arrived pending), but in order nothing waits.
 *
 * The chunks are made lazily, one per `next()`, so that a sender can make each when the previous
 * has left the socket, in its own turn of the event loop. What is sent is tracked by clocks, not
 * positions: the document may change between chunks (structs added or split), and each chunk
 * continues from the clock the last one reached. Every chunk but the last holds structs only (an
 * empty delete set), cut at struct boundaries, in the order Yjs writes them (higher client ids
 * first); it exceeds `maxBytes` only when one struct alone does. The last chunk is
 * `encodeStateAsUpdate` of everything not yet sent, so it carries the delete set and pending
 * updates exactly as Yjs writes them, and whatever changed meanwhile.
 */
export function* stateAsUpdateChunks(doc: Y.Doc, targetStateVector: Uint8Array, maxBytes: number): Generator<Uint8Array, void, void> {
  /** What the replica holds with the chunks sent so far. */
  const covered = Y.decodeStateVector(targetStateVector);
  for (;;) {
    const chunk = nextChunk(doc, covered, maxBytes);
    if (chunk === null) break;
    yield chunk;
  }
  yield Y.encodeStateAsUpdate(doc, encodeStateVector(covered));
}

/** Room for a group's header (struct count, client id, first clock) when sizing a chunk. */
const GROUP_HEADER_BYTES = 16;

/**
 * The next full chunk of structs beyond `covered` (which it advances), or null when what is left
 * fits in one chunk: the last one, made by the caller with the delete set.
 */
function nextChunk(doc: Y.Doc, covered: Map<number, number>, maxBytes: number): Uint8Array | null {
  const groups: Uint8Array[] = [];
  const advanced = new Map<number, number>();
  let size = 0;
  for (const client of [...doc.store.clients.keys()].sort((a, b) => b - a)) {
    const structs = doc.store.clients.get(client)!;
    const from = Math.max(covered.get(client) ?? 0, structs[0]!.id.clock);
    if (from >= Y.getState(doc.store, client)) continue;
    // Encode the client's missing structs one by one until the chunk would overflow.
    const run = new Y.UpdateEncoderV1();
    const first = Y.findIndexSS(structs, from);
    let end = 0;
    let count = 0;
    let clock = from;
    for (let i = first; i < structs.length; i++) {
      const struct = structs[i]!;
      struct.write(run, i === first ? from - struct.id.clock : 0);
      const length = encoding.length(run.restEncoder);
      // The first struct of an empty chunk goes in whatever its size.
      if (size + length + GROUP_HEADER_BYTES > maxBytes && (count > 0 || size > 0)) break;
      end = length;
      count++;
      clock = struct.id.clock + struct.length;
    }
    if (count > 0) {
      const group = encoding.createEncoder();
      encoding.writeVarUint(group, count);
      encoding.writeVarUint(group, client);
      encoding.writeVarUint(group, from);
      encoding.writeUint8Array(group, run.toUint8Array().subarray(0, end));
      const bytes = encoding.toUint8Array(group);
      groups.push(bytes);
      size += bytes.length;
      advanced.set(client, clock);
    }
    // The chunk is full: a struct of this client (or of the next) did not fit.
    if (clock < Y.getState(doc.store, client)) {
      for (const [c, k] of advanced) covered.set(c, k);
      return chunkOf(groups);
    }
  }
  // Everything left fits in one chunk: the caller sends it as the last, with the delete set.
  return null;
}

function chunkOf(groups: readonly Uint8Array[]): Uint8Array {
  const chunk = encoding.createEncoder();
  encoding.writeVarUint(chunk, groups.length);
  for (const group of groups) encoding.writeUint8Array(chunk, group);
  // An empty delete set: the last chunk carries the whole one.
  encoding.writeVarUint(chunk, 0);
  return encoding.toUint8Array(chunk);
}

/** Encodes a state vector map as Yjs does (`Y.encodeStateVector` takes a document). */
function encodeStateVector(vector: Map<number, number>): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, vector.size);
  for (const [client, clock] of [...vector.entries()].sort((a, b) => b[0] - a[0])) {
    encoding.writeVarUint(encoder, client);
    encoding.writeVarUint(encoder, clock);
  }
  return encoding.toUint8Array(encoder);
}
