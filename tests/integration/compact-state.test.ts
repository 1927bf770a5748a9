import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { Socket } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { annotationsMap } from '../../schema/index.ts';
import { DATABASE_FILE } from '../../server/index.ts';
import { WIRE_DEFLATE_THRESHOLD_BYTES } from '../../server/collab/wire-compression.ts';
import { anchorOf, annotateAs, inviteUserId, seedRoom } from '../helpers/access-builders.ts';
import { RawClient, syncUpdateMessage, waitUntil } from '../helpers/raw-client.ts';
import { storedBytes } from '../../bench/lib/stored-bytes.ts';
import { chapterText, startTestServer } from '../helpers/test-server.ts';
import type { TestServer } from '../helpers/test-server.ts';

// Issue 20: a room's annotations cost at most ~300 bytes each where they are stored and where a
// room's state crosses the network. The layout (layout 2) stays; snapshots are stored compressed
// (server/persistence/snapshot-encoding.ts) and the collab socket speaks permessage-deflate for
// large messages (server/collab/wire-compression.ts).

const ROOM = 'chapter-5';
const ANNOTATIONS = 2000;

/** 2,000 annotations as a seminar leaves them: 40 readers, notes of ~100 characters, quotes all over the chapter. */
function seedSeminar(annotations: Y.Doc): void {
  for (let i = 0; i < ANNOTATIONS; i++) {
    const reader = (i % 40) + 1;
    const start = (i * 7919) % (chapterText.length - 60);
    const exact = chapterText.slice(start, start + 12 + (i % 28)).replace(/\s+/g, ' ');
    annotateAs(annotations, { userId: `u-${reader.toString(16).padStart(16, '0')}`, name: `Reader ${reader}` }, {
      kind: (['claim', 'comment', 'problem'] as const)[i % 3]!,
      ...(i % 3 === 0 ? { claimStatus: 'contested' as const } : i % 3 === 2 ? { problemType: 'mistranslation' as const } : {}),
      anchor: anchorOf(exact, start),
      note: `Note ${i} by reader ${reader}: a remark of ordinary length on this passage and the source it leans on.`,
    });
  }
}

/** The status and Sec-WebSocket-Extensions header a WebSocket upgrade offering `offer` gets. */
function upgradeExtensions(baseUrl: string, path: string, offer: string | null): Promise<{ status: number; extensions: string | null }> {
  const { hostname, port } = new URL(baseUrl);
  const headers: Record<string, string> = { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': randomBytes(16).toString('base64') };
  if (offer !== null) headers['Sec-WebSocket-Extensions'] = offer;
  return new Promise((resolve, reject) => {
    const request = httpRequest({ hostname, port, path, headers });
    request.on('response', (response) => {
      response.resume();
      resolve({ status: response.statusCode ?? 0, extensions: null });
    });
    request.on('upgrade', (response, socket) => {
      socket.destroy();
      const extensions = response.headers['sec-websocket-extensions'];
      resolve({ status: response.statusCode ?? 0, extensions: typeof extensions === 'string' ? extensions : null });
    });
    request.on('error', reject);
    request.end();
  });
}

/** Bytes of a document's snapshot as stored (SQLite, the server stopped). */
function storedSnapshotBytes(dataDir: string, doc: string): number {
  const db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true });
  try {
    return (db.prepare('SELECT length(snapshot) AS n FROM doc_snapshots WHERE doc = ?').get(doc) as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('compact annotation state where it is stored and sent (issue 20)', () => {
  const servers: TestServer[] = [];
  const cleanups: Array<() => void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    for (const server of servers.splice(0)) await server.stop();
  });

  it('stores a 2,000-annotation room in under 200 bytes an annotation, and a stock client joining it reads under 200 bytes an annotation', async () => {
    const first = await startTestServer();
    await seedRoom(first, ROOM, seedSeminar);
    const raw = Y.encodeStateAsUpdate(first.collab.registry.open(ROOM, 'annotations').ydoc).byteLength;
    // Stopping folds the log into a snapshot.
    await first.stop({ keepData: true });
    const stored = storedSnapshotBytes(first.dataDir, `${ROOM}/annotations`);
    if (process.env.APPARATUS_TEST_FIGURES) console.log(`raw ${raw / ANNOTATIONS} B/annotation, stored ${stored / ANNOTATIONS} B/annotation`);
    expect(raw / ANNOTATIONS).toBeGreaterThan(300);
    expect(stored / ANNOTATIONS).toBeLessThan(200);

    const server = await startTestServer({ dataDir: first.dataDir });
    servers.push(server);
    // y-websocket over Node's `ws`, as it stands: it offers permessage-deflate itself.
    const sockets: Socket[] = [];
    class CountingWebSocket extends WebSocket {
      constructor(...args: ConstructorParameters<typeof WebSocket>) {
        super(...args);
        this.once('upgrade', (response) => sockets.push(response.socket as Socket));
      }
    }
    const ydoc = new Y.Doc();
    const provider = new WebsocketProvider(`${server.url.replace(/^http/, 'ws')}/collab`, `${ROOM}/annotations`, ydoc, {
      WebSocketPolyfill: CountingWebSocket as unknown as typeof globalThis.WebSocket,
      params: { token: server.invites.viewer },
      disableBc: true,
    });
    cleanups.push(() => (provider.destroy(), ydoc.destroy()));
    await waitUntil(() => provider.synced && annotationsMap(ydoc).size === ANNOTATIONS, 'the room to sync', 20_000);
    expect(sockets).toHaveLength(1);
    const read = sockets[0]!.bytesRead;
    if (process.env.APPARATUS_TEST_FIGURES) console.log(`fresh join read ${read / ANNOTATIONS} B/annotation`);
    expect(read / ANNOTATIONS).toBeLessThan(200);
    expect(Y.encodeStateVector(ydoc)).toEqual(Y.encodeStateVector(server.collab.registry.open(ROOM, 'annotations').ydoc));
  });

  it('stores a live seminar room of 300 annotations, made one update each, in under 300 bytes an annotation without a restart', async () => {
    // The default threshold (1,000 entries): a seminar's room rarely gets there, and its log, kept
    // uncompressed, stayed ~400 bytes an annotation for as long as the room was in use.
    const server = await startTestServer();
    servers.push(server);
    const writer = await RawClient.connect({ url: server.url, path: `/collab/${ROOM}/annotations?token=${server.invites.annotator}&acks=1` });
    cleanups.push(() => writer.close());
    await writer.sync();
    const writerId = inviteUserId(server.invites.annotator);
    const actor = { userId: writerId, name: `Annotator ${writerId.slice(-4)}` };
    const count = 300;
    for (let i = 0; i < count; i++) {
      const start = (i * 7919) % (chapterText.length - 60);
      writer.change((doc) => annotateAs(doc, actor, { anchor: anchorOf(chapterText.slice(start, start + 12 + (i % 28)).replace(/\s+/g, ' '), start), note: `Note ${i} by the annotator: a remark of ordinary length on this passage and the source it leans on.` }));
    }
    const target = Y.encodeStateVector(writer.doc);
    await waitUntil(() => writer.stored !== null && Buffer.from(writer.stored).equals(Buffer.from(target)), 'every annotation to be stored', 20_000);
    const raw = Y.encodeStateAsUpdate(writer.doc).byteLength;
    expect(raw / count).toBeGreaterThan(300);
    // Folded into the compressed snapshot while the room is still open (no restart, no unload).
    await waitUntil(() => storedBytes(server.dataDir, `${ROOM}/annotations`) / count < 300, 'the log to be folded into the compressed snapshot', 20_000);
    expect(server.collab.registry.open(ROOM, 'annotations').peers.size).toBe(1);
  });

  it('compresses messages from the threshold up and sends live updates as they are', async () => {
    const server = await startTestServer();
    servers.push(server);
    const path = `/collab/${ROOM}/annotations?token=${server.invites.annotator}`;
    const writer = await RawClient.connect({ url: server.url, path });
    const reader = await RawClient.connect({ url: server.url, path: `/collab/${ROOM}/annotations?token=${server.invites.viewer}` });
    cleanups.push(() => (writer.close(), reader.close()));
    expect(reader.ws.extensions).toBe('permessage-deflate');
    await Promise.all([writer.sync(), reader.sync()]);
    const wire = (reader.ws as unknown as { _socket: Socket })._socket;
    const writerId = inviteUserId(server.invites.annotator);
    const writerActor = { userId: writerId, name: `Annotator ${writerId.slice(-4)}` };
    /** Sends what `change` makes and returns the relayed message's length and the bytes the reader's socket read for it. */
    const relay = async (change: (doc: Y.Doc) => void) => {
      const before = { frames: reader.frames.length, read: wire.bytesRead };
      writer.change(change);
      await waitUntil(() => reader.frames.length > before.frames, 'the relay');
      expect(reader.frames.length).toBe(before.frames + 1);
      return { length: reader.frames.at(-1)!.byteLength, read: wire.bytesRead - before.read };
    };
    const live = await relay((doc) => annotateAs(doc, writerActor, { note: 'a live note of ordinary length' }));
    expect(live.length).toBeLessThan(WIRE_DEFLATE_THRESHOLD_BYTES);
    // As it is: the frame's header and the whole message.
    expect(live.read).toBeGreaterThanOrEqual(live.length + 2);
    // A long passage pasted into three notes at once: one update above the threshold.
    const paste = await relay((doc) => {
      for (let i = 0; i < 3; i++) annotateAs(doc, writerActor, { note: `pasted passage ${i}. `.repeat(400) });
    });
    expect(paste.length).toBeGreaterThan(WIRE_DEFLATE_THRESHOLD_BYTES);
    expect(paste.read).toBeLessThan(paste.length / 4);
  });

  it('agrees to permessage-deflate without context takeover, whatever window a client asks for, and serves clients that do not offer it', async () => {
    const server = await startTestServer();
    servers.push(server);
    const path = `/collab/${ROOM}/annotations?token=${server.invites.viewer}`;
    const browser = await upgradeExtensions(server.url, path, 'permessage-deflate; client_max_window_bits');
    expect(browser).toEqual({ status: 101, extensions: expect.stringMatching(/^permessage-deflate/) });
    expect(browser.extensions).toMatch(/server_no_context_takeover/);
    expect(browser.extensions).toMatch(/client_no_context_takeover/);
    const smallWindow = await upgradeExtensions(server.url, path, 'permessage-deflate; server_max_window_bits=10; client_max_window_bits=10');
    expect(smallWindow).toEqual({ status: 101, extensions: expect.stringMatching(/server_max_window_bits=10/) });
    expect(await upgradeExtensions(server.url, path, null)).toEqual({ status: 101, extensions: null });
  });

  it('closes a socket whose compressed message inflates past maxPayload, without inflating it all, and keeps serving', async () => {
    const server = await startTestServer({ maxPayloadBytes: 1024 * 1024 });
    servers.push(server);
    const bomb = await RawClient.connect({ url: server.url, path: `/collab/${ROOM}/annotations?token=${server.invites.annotator}` });
    cleanups.push(() => bomb.close());
    expect(bomb.ws.extensions).toMatch(/^permessage-deflate/);
    await bomb.sync();
    let sentBytes = 0;
    const socket = (bomb.ws as unknown as { _socket: Socket })._socket;
    const written = socket.bytesWritten;
    // 64 MiB of one byte, a sync update frame as far as the header goes: ~64 KiB deflated.
    const payload = new Uint8Array(64 * 1024 * 1024);
    payload.set(syncUpdateMessage(new Uint8Array([0, 0])).subarray(0, 2));
    bomb.send(payload);
    const outcome = await bomb.ended;
    sentBytes = socket.bytesWritten - written;
    expect(outcome.code).toBe(1009);
    expect(sentBytes).toBeLessThan(1024 * 1024);
    const next = await RawClient.connect({ url: server.url, path: `/collab/${ROOM}/annotations?token=${server.invites.viewer}` });
    cleanups.push(() => next.close());
    await next.sync();
    expect(next.synced).toBe(true);
  });
});
