import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import { WebsocketProvider } from 'y-websocket';
import { WebSocket } from 'ws';
import type { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { applyServerStateQuietly } from '../../client/collab/quiet-state-sync.ts';

// The client applies the server's sync step 2 with the provider's and the cache's `update`
// listeners detached (so Yjs does not encode megabytes again for them), and gives the cache the
// received bytes instead. Nothing may be lost from the cache, and nothing else may change.

/** A local cache standing in for IndexeddbPersistence: records what it is asked to store, like its listener does. */
function fakeCache(doc: Y.Doc) {
  const stored: Uint8Array[] = [];
  const cache = {
    doc,
    _destroyed: false,
    _storeUpdate: (update: Uint8Array, origin: unknown) => {
      if (origin !== cache) stored.push(update);
    },
  };
  doc.on('update', cache._storeUpdate);
  return { cache: cache as unknown as IndexeddbPersistence, stored };
}

function setup() {
  const server = new Y.Doc();
  server.transact(() => {
    for (let i = 0; i < 3; i++) server.getMap('annotations').set(`a-${i}`, `note ${i}`);
  }, 'test');
  const ydoc = new Y.Doc();
  const provider = new WebsocketProvider('ws://127.0.0.1:9', 'room/annotations', ydoc, { connect: false, disableBc: true, WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket });
  const { cache, stored } = fakeCache(ydoc);
  applyServerStateQuietly(provider, cache);
  /** Hands the provider a sync message from the server (sub-type and payload), as its socket would. */
  const receive = (subtype: number, payload: Uint8Array) => {
    const body = encoding.createEncoder();
    encoding.writeVarUint(body, subtype);
    encoding.writeVarUint8Array(body, payload);
    const reply = encoding.createEncoder();
    provider.messageHandlers[0]!(reply, decoding.createDecoder(encoding.toUint8Array(body)), provider, true, 0);
    return encoding.toUint8Array(reply);
  };
  const updateListeners = () => (ydoc as unknown as { _observers: Map<string, Set<unknown>> })._observers.get('update')?.size ?? 0;
  return { server, ydoc, provider, stored, receive, updateListeners };
}

describe('applying the server state quietly', () => {
  // A large state comes as sync updates (sub-type 2) of at most 1 MiB ahead of the step 2 (sub-type 1).
  it.each([
    ['a step 2', 1, true],
    ['a piece of a large state (a sync update ahead of the step 2)', 2, false],
  ])('applies %s with no update listener attached and stores the received bytes', (_what, subtype, synced) => {
    const s = setup();
    let listenersDuringApply = -1;
    s.ydoc.getMap('annotations').observe(() => (listenersDuringApply = s.updateListeners()));
    const state = Y.encodeStateAsUpdate(s.server);
    s.receive(subtype, state);
    expect(listenersDuringApply).toBe(0);
    expect(s.updateListeners()).toBe(2);
    expect(s.ydoc.getMap('annotations').toJSON()).toEqual(s.server.getMap('annotations').toJSON());
    expect(s.stored).toEqual([state]);
    expect(s.provider.synced).toBe(synced);
    s.provider.destroy();
  });

  it('keeps both listeners for what follows: local changes are stored, a step 1 is answered as before', () => {
    const s = setup();
    s.receive(1, Y.encodeStateAsUpdate(s.server));
    expect(s.updateListeners()).toBe(2);
    s.ydoc.transact(() => s.ydoc.getMap('annotations').set('mine', 'local'), 'local');
    expect(s.stored).toHaveLength(2);
    const answer = s.receive(0, Y.encodeStateVector(new Y.Doc()));
    const decoder = decoding.createDecoder(answer);
    expect([decoding.readVarUint(decoder), decoding.readVarUint(decoder)]).toEqual([0, 1]);
    s.provider.destroy();
  });

  it('also stores what an observer writes locally while the step 2 is applied', () => {
    const s = setup();
    s.ydoc.getMap('annotations').observe((event) => {
      if (!event.transaction.local) s.ydoc.getMap('seen').set('count', s.ydoc.getMap('annotations').size);
    });
    s.receive(1, Y.encodeStateAsUpdate(s.server));
    const restored = new Y.Doc();
    for (const update of s.stored) Y.applyUpdate(restored, update);
    expect(restored.getMap('seen').get('count')).toBe(3);
    expect(restored.getMap('annotations').size).toBe(3);
    s.provider.destroy();
  });
});
