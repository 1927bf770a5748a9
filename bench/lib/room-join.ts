import * as decoding from 'lib0/decoding';
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
  leave(): void;
}

function provider(wsBase: string, room: string, kind: 'text' | 'annotations', ydoc: Y.Doc, token: string | null): WebsocketProvider {
  const params: Record<string, string> = token ? { token, acks: '1' } : {};
  const created = new WebsocketProvider(wsBase, `${room}/${kind}`, ydoc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params,
    disableBc: true,
  });
  // MESSAGE_STORED, sent with acks=1 as to the browser client: read and ignored here.
  created.messageHandlers[MESSAGE_STORED] = (_encoder, decoder) => void decoding.readVarUint8Array(decoder);
  return created;
}

function whenSynced(created: WebsocketProvider, timeoutMs: number): Promise<void> {
  if (created.synced) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${created.roomname} did not sync in ${timeoutMs} ms`)), timeoutMs);
    created.on('sync', (synced: boolean) => {
      if (!synced) return;
      clearTimeout(timer);
      resolve();
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
  await Promise.all(providers.map((p) => whenSynced(p, timeoutMs)));
  const ms = performance.now() - started;
  return {
    ms,
    text,
    annotations,
    leave: () => {
      for (const p of providers) p.destroy();
      text.destroy();
      annotations.destroy();
    },
  };
}
