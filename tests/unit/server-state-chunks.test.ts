import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { stateAsUpdateChunks } from '../../server/collab/state-chunks.ts';
import { mulberry32 } from '../helpers/convergence-fuzz.ts';

// A large room's state goes to a fresh replica in chunks (server/collab/state-chunks.ts): applied
// in order, or in any order, they must give exactly the state one update would.

/** A document written by several clients: map entries, overwritten fields, deletions, a text. */
function busyDoc(seed: number, clients = 5, entries = 400): Y.Doc {
  const random = mulberry32(seed);
  const replicas = Array.from({ length: clients }, (_, i) => {
    const doc = new Y.Doc();
    doc.clientID = 1000 + i * 7919;
    return doc;
  });
  const sync = () => {
    for (const a of replicas) for (const b of replicas) if (a !== b) Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  };
  for (let n = 0; n < entries; n++) {
    const doc = replicas[Math.floor(random() * clients)]!;
    doc.transact(() => {
      const map = new Y.Map<unknown>();
      map.set('note', `note ${n} `.repeat(1 + Math.floor(random() * 20)));
      map.set('span', [n, n + 3, 'quote']);
      doc.getMap('annotations').set(`a-${n}`, map);
      if (n % 7 === 0) doc.getText('log').insert(0, `entry ${n}; `);
    });
    if (n % 25 === 0) {
      sync();
      const keys = [...replicas[0]!.getMap('annotations').keys()];
      const victim = keys[Math.floor(random() * keys.length)];
      if (victim) replicas[0]!.getMap('annotations').delete(victim);
      const other = keys[Math.floor(random() * keys.length)];
      const entry = other ? (replicas[1]!.getMap('annotations').get(other) as Y.Map<unknown> | undefined) : undefined;
      entry?.set('note', 'edited');
    }
  }
  sync();
  return replicas[0]!;
}

function applied(chunks: Uint8Array[], base?: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  if (base) Y.applyUpdate(doc, base);
  for (const chunk of chunks) Y.applyUpdate(doc, chunk);
  return doc;
}

function sameState(a: Y.Doc, b: Y.Doc): void {
  expect(Y.encodeStateVector(a)).toEqual(Y.encodeStateVector(b));
  expect(a.getMap('annotations').toJSON()).toEqual(b.getMap('annotations').toJSON());
  expect(a.getText('log').toString()).toBe(b.getText('log').toString());
  expect(Y.equalDeleteSets(Y.createDeleteSetFromStructStore(a.store), Y.createDeleteSetFromStructStore(b.store))).toBe(true);
}

describe('a document state in chunks', () => {
  it('gives a fresh replica the whole state, in chunks within the bound unless one struct is larger', () => {
    const doc = busyDoc(1);
    const whole = Y.encodeStateAsUpdate(doc);
    const max = 4096;
    const chunks = [...stateAsUpdateChunks(doc, new Uint8Array([0]), max)];
    expect(chunks.length).toBeGreaterThan(whole.length / max);
    for (const chunk of chunks.slice(0, -1)) expect(chunk.length).toBeLessThanOrEqual(max);
    // The last carries the rest and the delete set.
    expect(chunks[chunks.length - 1]!.length).toBeLessThanOrEqual(max + Y.encodeStateAsUpdate(new Y.Doc()).length + 4096);
    sameState(applied(chunks), doc);
    const reference = new Y.Doc();
    Y.applyUpdate(reference, whole);
    sameState(applied(chunks), reference);
  });

  it('converges when the chunks arrive in another order', () => {
    const doc = busyDoc(2);
    const chunks = [...stateAsUpdateChunks(doc, new Uint8Array([0]), 2048)];
    expect(chunks.length).toBeGreaterThan(3);
    const reversed = applied([...chunks].reverse());
    expect(reversed.store.pendingStructs).toBeNull();
    sameState(reversed, doc);
  });

  it('sends a replica only what it lacks', () => {
    const doc = busyDoc(3);
    const partial = new Y.Doc();
    Y.applyUpdate(partial, Y.encodeStateAsUpdate(busyDoc(3, 5, 200)));
    // The partial replica's history is a prefix of the full one's only per client; what it holds is taken from its vector.
    const vector = Y.encodeStateVector(partial);
    const chunks = [...stateAsUpdateChunks(doc, vector, 1024)];
    const diff = Y.encodeStateAsUpdate(doc, vector);
    const viaChunks = applied(chunks, Y.encodeStateAsUpdate(partial));
    const viaDiff = applied([diff], Y.encodeStateAsUpdate(partial));
    sameState(viaChunks, viaDiff);
  });

  it('puts a struct larger than the bound in a chunk of its own, and returns one update for a small state', () => {
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'x'.repeat(10_000));
    doc.getMap('m').set('k', 'v');
    const chunks = [...stateAsUpdateChunks(doc, new Uint8Array([0]), 1000)];
    sameState(applied(chunks), doc);
    expect(applied(chunks).getText('t').toString()).toHaveLength(10_000);
    expect([...stateAsUpdateChunks(doc, new Uint8Array([0]), 1 << 20)]).toHaveLength(1);
  });

  it('includes what changed between chunks, made one at a time', () => {
    const doc = busyDoc(4);
    const replica = new Y.Doc();
    const chunks = stateAsUpdateChunks(doc, new Uint8Array([0]), 2048);
    let step = 0;
    for (const chunk of chunks) {
      Y.applyUpdate(replica, chunk);
      // The document keeps changing while its state is being sent.
      doc.transact(() => {
        doc.getMap('annotations').set(`late-${step}`, new Y.Map());
        const first = [...doc.getMap('annotations').keys()][0];
        if (first && step % 3 === 0) doc.getMap('annotations').delete(first);
        doc.getText('log').insert(0, `late ${step}; `);
      });
      step++;
    }
    expect(step).toBeGreaterThan(3);
    // Changes after the last chunk was made still need their own update; until then the replica has all but those.
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(replica)));
    sameState(replica, doc);
  });
});
