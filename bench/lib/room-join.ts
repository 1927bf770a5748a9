import * as decoding from 'lib0/decoding';
import type { Socket } from 'node:net';
import { WebsocketProvider } from 'y-websocket';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { MESSAGE_STORED } from '../../schema/room/collab-protocol.ts';

/** A reader who has joined a room: both documents synced, and how long that took. */
export interface JoinedRoom {
  /** From creating the two providers (connections start) to both synced, ms. */
  ms: number;
  text: Y.Doc;
  annotations: Y.Doc;
  /**
   * Bytes each document's socket had read when it synced (the upgrade response and every frame as
   * it crossed the network: compressed where permessage-deflate was used).
   */
  wireBytes: { text: number; annotations: number };
  leave(): void;
}

/** Node's `ws`, as the stock provider uses it, keeping the TCP socket so that its bytes read can be counted. */
class CountedWebSocket extends WebSocket {
  socket: Socket | null = null;

  constructor(...args: ConstructorParameters<typeof WebSocket>) {
    super(...args);
    this.once('upgrade', (response) => (this.socket = response.socket as Socket));
  }
}

/** Bytes a provider's socket has read so far. */
function bytesRead(created: WebsocketProvider): number {
  return (created.ws as unknown as CountedWebSocket | null)?.socket?.bytesRead ?? 0;
}

function provider(wsBase: string, room: string, kind: 'text' | 'annotations', ydoc: Y.Doc, token: string | null): WebsocketProvider {
  const params: Record<string, string> = token ? { token, acks: '1' } : {};
  const created = new WebsocketProvider(wsBase, `${room}/${kind}`, ydoc, {
    WebSocketPolyfill: CountedWebSocket as unknown as typeof globalThis.WebSocket,
    params,
    disableBc: true,
  });
  // MESSAGE_STORED, sent with acks=1 as to the browser client: read and ignored here.
  created.messageHandlers[MESSAGE_STORED] = (_encoder, decoder) => void decoding.readVarUint8Array(decoder);
  return created;
}

/** Resolves, once the provider synced, with the bytes its socket had read then. */
function whenSynced(created: WebsocketProvider, timeoutMs: number): Promise<number> {
  if (created.synced) return Promise.resolve(bytesRead(created));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${created.roomname} did not sync in ${timeoutMs} ms`)), timeoutMs);
    created.on('sync', (synced: boolean) => {
      if (!synced) return;
      clearTimeout(timer);
      resolve(bytesRead(created));
    });
  });
}

/**
 * Joins a room as the browser client does, with two stock y-websocket providers (the chapter
 * and the annotation layer), and resolves once both have synced.
 */
export async function joinRoom(wsBase: string, room: string, token: string | null, timeoutMs = 30_000): Promise<JoinedRoom> {
  const text = new Y.Doc();
  const annotations = new Y.Doc();
  const started = performance.now();
  const providers = [provider(wsBase, room, 'text', text, token), provider(wsBase, room, 'annotations', annotations, token)];
  const [textBytes, annotationBytes] = await Promise.all(providers.map((p) => whenSynced(p, timeoutMs)));
  const ms = performance.now() - started;
  return {
    ms,
    text,
    annotations,
    wireBytes: { text: textBytes!, annotations: annotationBytes! },
    leave: () => {
      for (const p of providers) p.destroy();
      text.destroy();
      annotations.destroy();
    },
  };
}
