import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

/**
 * Hand-made Yjs updates no honest client sends, for the hardening tests (issue 14): JSON nested
 * millions of levels deep, and stored updates re-sent with a reference pointing forward. Each is
 * written in the v1 encoding byte by byte or from decoded structs, so the server sees exactly
 * what an attacker would send.
 */

/** `depth` opening brackets then as many closing ones: valid JSON, nested `depth` levels. */
export function deeplyNestedJson(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

/**
 * An update that sets `root[key]` to one ContentJSON value whose JSON text is `json` (as an
 * old Yjs client writes JSON), under `client` at `clock`.
 */
export function contentJsonUpdate(client: number, clock: number, root: string, key: string, json: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1); // one client section
  encoding.writeVarUint(encoder, 1); // one struct
  encoding.writeVarUint(encoder, client);
  encoding.writeVarUint(encoder, clock);
  encoding.writeUint8(encoder, 2 | 0x20); // ContentJSON, with a parentSub, no origins
  encoding.writeVarUint(encoder, 1); // the parent is a root type, named next
  encoding.writeVarString(encoder, root);
  encoding.writeVarString(encoder, key);
  encoding.writeVarUint(encoder, 1); // one JSON value
  encoding.writeVarString(encoder, json);
  encoding.writeVarUint(encoder, 0); // empty delete set
  return encoding.toUint8Array(encoder);
}

/** Encodes decoded structs (sorted by client, then clock, contiguous per client) and a delete set as a v1 update. */
export function encodeStructs(structs: readonly (Y.Item | Y.GC)[], deletes: { client: number; clock: number; len: number }[] = []): Uint8Array {
  const encoder = new Y.UpdateEncoderV1();
  const byClient = new Map<number, (Y.Item | Y.GC)[]>();
  for (const struct of structs) byClient.set(struct.id.client, [...(byClient.get(struct.id.client) ?? []), struct]);
  encoding.writeVarUint(encoder.restEncoder, byClient.size);
  for (const [client, list] of byClient) {
    encoding.writeVarUint(encoder.restEncoder, list.length);
    encoder.writeClient(client);
    encoding.writeVarUint(encoder.restEncoder, list[0]!.id.clock);
    for (const struct of list) struct.write(encoder, 0);
  }
  const deleteClients = new Map<number, { clock: number; len: number }[]>();
  for (const { client, clock, len } of deletes) deleteClients.set(client, [...(deleteClients.get(client) ?? []), { clock, len }]);
  encoding.writeVarUint(encoder.restEncoder, deleteClients.size);
  for (const [client, ranges] of deleteClients) {
    encoding.writeVarUint(encoder.restEncoder, client);
    encoding.writeVarUint(encoder.restEncoder, ranges.length);
    for (const range of ranges) {
      encoding.writeVarUint(encoder.restEncoder, range.clock);
      encoding.writeVarUint(encoder.restEncoder, range.len);
    }
  }
  return encoder.toUint8Array();
}

/**
 * Issue 14's first attack: the same update again, with the origin of its last struct (or, with
 * `field: 'parent'`, the parent of its last struct placed inside another) moved forward into its
 * own client's clocks, to `clock`. Every struct in it is one the server already has; `plus`, an
 * update of new structs of the same client, is appended to it, so that it brings something new.
 */
export function forwardReferenceUpdate(update: Uint8Array, options: { clock?: number; field?: 'origin' | 'parent'; plus?: Uint8Array } = {}): Uint8Array {
  const { clock = 100_000, field = 'origin', plus } = options;
  const structs = Y.decodeUpdate(update).structs.filter((s): s is Y.Item | Y.GC => !(s instanceof Y.Skip));
  const items = structs.filter((s): s is Y.Item => s instanceof Y.Item);
  const target = field === 'origin' ? items.at(-1) : [...items].reverse().find((item) => item.parent instanceof Y.ID);
  if (!target) throw new RangeError(`the update has no struct whose ${field} can be moved`);
  if (field === 'origin') target.origin = Y.createID(target.id.client, clock);
  else target.parent = Y.createID(target.id.client, clock) as unknown as Y.AbstractType<unknown>;
  const extra = plus ? Y.decodeUpdate(plus).structs.filter((s): s is Y.Item | Y.GC => !(s instanceof Y.Skip)) : [];
  return encodeStructs([...structs, ...extra]);
}
