import 'fake-indexeddb/auto';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import packageJson from '../../package.json' with { type: 'json' };

// The browser client reaches past the public API of three libraries (client/collab/
// quiet-state-sync.ts, room-connection.ts, refusal-recovery.ts, local-work-replay.ts). package.json
// pins them exactly; this test states each assumption, so that an upgrade that breaks one fails
// here, by name, rather than in a browser.

type Listeners = { _observers: Map<string, Set<unknown>> };
const updateListeners = (ydoc: Y.Doc) => (ydoc as unknown as Listeners)._observers.get('update') ?? new Set();

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function provider(url = 'ws://127.0.0.1:9', connect = false) {
  const ydoc = new Y.Doc();
  const made = new WebsocketProvider(url, 'room/annotations', ydoc, { connect, disableBc: true, WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket });
  cleanups.push(() => made.destroy());
  return { ydoc, provider: made };
}

describe('the library versions the client was written against', () => {
  it('pins y-websocket, y-indexeddb and yjs exactly', () => {
    expect(packageJson.dependencies).toMatchObject({ 'y-websocket': '3.1.0', 'y-indexeddb': '9.0.12', yjs: '13.6.33' });
  });
});

describe('y-websocket internals the client relies on', () => {
  it('listens to document updates through provider._updateHandler, and stops when destroyed', () => {
    const { ydoc, provider: p } = provider();
    expect(typeof p._updateHandler).toBe('function');
    expect(updateListeners(ydoc).has(p._updateHandler)).toBe(true);
    p.destroy();
    expect(updateListeners(ydoc).has(p._updateHandler)).toBe(false);
  });

  it('answers a sync step 1 through messageHandlers[0](encoder, decoder, provider, emitSynced, messageType)', () => {
    const { ydoc, provider: p } = provider();
    ydoc.getMap('annotations').set('a', 1);
    const step1 = encoding.createEncoder();
    encoding.writeVarUint(step1, 0);
    encoding.writeVarUint8Array(step1, Y.encodeStateVector(new Y.Doc()));
    const reply = encoding.createEncoder();
    p.messageHandlers[0]!(reply, decoding.createDecoder(encoding.toUint8Array(step1)), p, true, 0);
    const answer = decoding.createDecoder(encoding.toUint8Array(reply));
    expect(decoding.readVarUint(answer)).toBe(0);
    expect(decoding.readVarUint(answer)).toBe(1);
    const peer = new Y.Doc();
    Y.applyUpdate(peer, decoding.readVarUint8Array(answer));
    expect(peer.getMap('annotations').toJSON()).toEqual({ a: 1 });
  });

  it('hands an added message type (100, stored acknowledgements) to messageHandlers[100], and exposes the open socket as provider.ws', async () => {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    // The server greets with a type-100 message, then waits for a lone query-awareness byte (3).
    const queried = new Promise<void>((resolve) =>
      server.on('connection', (socket) => {
        socket.send(Uint8Array.of(100, 2, 7, 9));
        socket.on('message', (data: Buffer) => data.length === 1 && data[0] === 3 && resolve());
      }),
    );
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as { port: number };
    const { provider: p } = provider(`ws://127.0.0.1:${port}`);
    const handled = new Promise<number[]>((resolve) => {
      p.messageHandlers[100] = (_encoder, decoder) => resolve([...decoding.readVarUint8Array(decoder)]);
    });
    p.connect();
    expect(await handled).toEqual([7, 9]);
    expect(p.ws).toBeInstanceOf(WebSocket);
    p.ws!.send(Uint8Array.of(3));
    await queried;
  });
});

describe('y-indexeddb internals the client relies on', () => {
  it('stores updates through cache._storeUpdate (its update listener), tracks _destroyed, and restores on whenSynced', async () => {
    const name = "internals-store";
    const ydoc = new Y.Doc();
    const cache = new IndexeddbPersistence(name, ydoc);
    await cache.whenSynced;
    expect(typeof cache._storeUpdate).toBe('function');
    expect(updateListeners(ydoc).has(cache._storeUpdate)).toBe(true);
    expect(cache._destroyed).toBe(false);
    // Bytes handed over directly (as applyServerStateQuietly does) are stored like a listened update.
    const source = new Y.Doc();
    source.getMap('annotations').set('a', 'kept');
    cache._storeUpdate(Y.encodeStateAsUpdate(source), null);
    await cache.destroy();
    expect(cache._destroyed).toBe(true);
    const again = new Y.Doc();
    const reopened = new IndexeddbPersistence(name, again);
    await reopened.whenSynced;
    expect(again.getMap('annotations').toJSON()).toEqual({ a: 'kept' });
    await reopened.clearData();
  });
});

describe('yjs internals the client relies on', () => {
  it('keeps a Y.Map entry per key in _map, as an Item with its id and deleted flag', () => {
    const ydoc = new Y.Doc();
    const map = ydoc.getMap<string>('annotations');
    map.set('a', 'one');
    map.set('b', 'two');
    map.delete('b');
    const item = map._map.get('a')!;
    expect(item).toBeInstanceOf(Y.Item);
    expect(item.id).toEqual({ client: ydoc.clientID, clock: 0 });
    expect(item.deleted).toBe(false);
    expect(map._map.get('b')!.deleted).toBe(true);
  });
});
