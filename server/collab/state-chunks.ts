import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

/**
 * A document's state for a replica, as several Yjs updates of bounded size instead of one: a
 * room of 50,000 annotations is ~20 MB, more than a peer's send buffer may hold
 * (SEND_BUFFER_LIMIT_BYTES), and one message that large also holds the event loop while it is
 * encoded and sent. Applied in order, the chunks give the replica exactly what
 * `Y.encodeStateAsUpdate(doc, targetStateVector)` would: every struct it lacks, the delete set and
 * any pending structs. Any order works too (Yjs keeps structs whose dependencies have not arrived
 * pending), but in order nothing waits.
 *
 * Every chunk but the last holds structs only (an empty delete set), cut at struct boundaries, in
 * the order Yjs writes them (higher client ids first); a chunk exceeds `maxBytes` only when one
 * struct alone does. The last chunk is `encodeStateAsUpdate` of what the others left, so it
 * carries the delete set and pending updates exactly as Yjs writes them.
 */
export function stateAsUpdateChunks(doc: Y.Doc, targetStateVector: Uint8Array, maxBytes: number): Uint8Array[] {
  /** What the replica holds with the chunks made so far (its state vector, then ours as they grow). */
  const covered = Y.decodeStateVector(targetStateVector);
  let coveredByFlushed = new Map(covered);
  const chunks: Uint8Array[] = [];
  let groups: Uint8Array[] = [];
  let size = 0;
  const flush = () => {
    const chunk = encoding.createEncoder();
    encoding.writeVarUint(chunk, groups.length);
    for (const group of groups) encoding.writeUint8Array(chunk, group);
    // An empty delete set: the last chunk carries the whole one.
    encoding.writeVarUint(chunk, 0);
    chunks.push(encoding.toUint8Array(chunk));
    groups = [];
    size = 0;
    coveredByFlushed = new Map(covered);
  };
  for (const client of [...doc.store.clients.keys()].sort((a, b) => b - a)) {
    const structs = doc.store.clients.get(client)!;
    const from = Math.max(covered.get(client) ?? 0, structs[0]!.id.clock);
    if (from >= Y.getState(doc.store, client)) continue;
    // The client's missing structs, encoded once, with the byte offset after each.
    const first = Y.findIndexSS(structs, from);
    const run = new Y.UpdateEncoderV1();
    const ends: number[] = [];
    for (let i = first; i < structs.length; i++) {
      structs[i]!.write(run, i === first ? from - structs[i]!.id.clock : 0);
      ends.push(encoding.length(run.restEncoder));
    }
    const bytes = run.toUint8Array();
    for (let i = 0; i < ends.length; ) {
      const startByte = i === 0 ? 0 : ends[i - 1]!;
      // The last struct that still fits beside what the chunk holds.
      let j = i - 1;
      while (j + 1 < ends.length && size + ends[j + 1]! - startByte + GROUP_HEADER_BYTES <= maxBytes) j++;
      if (j < i) {
        if (size > 0) {
          flush();
          continue;
        }
        j = i; // One struct larger than a chunk: it goes alone.
      }
      const clock = i === 0 ? from : structs[first + i]!.id.clock;
      const group = encoding.createEncoder();
      encoding.writeVarUint(group, j - i + 1);
      encoding.writeVarUint(group, client);
      encoding.writeVarUint(group, clock);
      encoding.writeUint8Array(group, bytes.subarray(startByte, ends[j]!));
      const groupBytes = encoding.toUint8Array(group);
      groups.push(groupBytes);
      size += groupBytes.length;
      const after = structs[first + j]!;
      covered.set(client, after.id.clock + after.length);
      i = j + 1;
      // The next struct did not fit: this chunk is full.
      if (i < ends.length) flush();
    }
  }
  // The last chunk: whatever the flushed chunks left (the open groups' structs), the delete set
  // and pending structs, as Yjs writes them.
  chunks.push(Y.encodeStateAsUpdate(doc, encodeStateVector(coveredByFlushed)));
  return chunks;
}

/** Room for a group's header (struct count, client id, first clock) when sizing a chunk. */
const GROUP_HEADER_BYTES = 16;

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
