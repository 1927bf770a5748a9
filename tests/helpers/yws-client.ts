import * as authProtocol from 'y-protocols/auth';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { WebSocket } from 'ws';
import { MESSAGE_AUTH, MESSAGE_STORED, readStoredMessage, stateVectorCovers } from '../../schema/index.ts';

/** Polls `predicate` every 10 ms until it holds; rejects with `what` after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A close the server initiated: its code and reason. */
export interface CloseInfo {
  code: number;
  reason: string;
}

/** A stock y-websocket 3 WebsocketProvider in Node, instrumented for tests. */
export interface TestClient {
  ydoc: Y.Doc;
  provider: WebsocketProvider;
  /** Reasons of permission-denied messages received. */
  deniedReasons: string[];
  /** The last MESSAGE_STORED state vector received (only with `acks`). */
  storedStateVector: Uint8Array | null;
  /** Server-initiated closes, in order. */
  closes: CloseInfo[];
  /** Resolves when the provider has synced with the server. */
  synced(timeoutMs?: number): Promise<void>;
  /** Resolves when the server says everything this client has is stored. */
  stored(timeoutMs?: number): Promise<void>;
  /** Resolves with the first server-initiated close. */
  closed(timeoutMs?: number): Promise<CloseInfo>;
  destroy(): void;
}

/** Where and how a test client connects. */
export interface ClientOptions {
  /** The server's base URL (`http://127.0.0.1:PORT`). */
  url: string;
  room: string;
  kind: 'text' | 'annotations';
  /** The roomname when it is not `<room>/<kind>` (a blind round's layer, `<room>/rounds/<id>/<user>`). */
  docPath?: string;
  /** Invite or session token; omit to connect without one. */
  token?: string;
  /** Opt in to MESSAGE_STORED acknowledgements (`acks=1`); default true. */
  acks?: boolean;
  ydoc?: Y.Doc;
}

/**
 * Connects a stock WebsocketProvider (serverUrl `ws://…/collab`, roomname `<room>/<kind>`,
 * params `{token, acks}`) with `ws` as its WebSocket. BroadcastChannel is disabled: Node has
 * one, and two providers in one process would otherwise sync without the server.
 */
export function connectClient(options: ClientOptions): TestClient {
  const ydoc = options.ydoc ?? new Y.Doc();
  const params: Record<string, string> = {};
  if (options.token !== undefined) params.token = options.token;
  if (options.acks ?? true) params.acks = '1';
  const provider = new WebsocketProvider(`${options.url.replace(/^http/, 'ws')}/collab`, options.docPath ?? `${options.room}/${options.kind}`, ydoc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params,
    disableBc: true,
    maxBackoffTime: 500,
  });
  const client: TestClient = {
    ydoc,
    provider,
    deniedReasons: [],
    storedStateVector: null,
    closes: [],
    synced: (timeoutMs = 5000) => waitFor(() => provider.synced, `${options.room}/${options.kind} to sync`, timeoutMs),
    stored: (timeoutMs = 5000) =>
      waitFor(
        () => client.storedStateVector !== null && stateVectorCovers(client.storedStateVector, Y.encodeStateVector(ydoc)),
        `${options.room}/${options.kind} to be acknowledged as stored`,
        timeoutMs,
      ),
    closed: async (timeoutMs = 5000) => {
      await waitFor(() => client.closes.length > 0, `${options.room}/${options.kind} to be closed by the server`, timeoutMs);
      return client.closes[0] as CloseInfo;
    },
    destroy: () => {
      provider.destroy();
      ydoc.destroy();
    },
  };
  provider.messageHandlers[MESSAGE_STORED] = (_encoder, decoder) => {
    client.storedStateVector = readStoredMessage(decoder);
  };
  provider.messageHandlers[MESSAGE_AUTH] = (_encoder, decoder, p) => {
    authProtocol.readAuthMessage(decoder, p.doc, (_ydoc, reason) => client.deniedReasons.push(reason));
  };
  provider.on('connection-close', (event) => {
    if (event) client.closes.push({ code: event.code, reason: event.reason });
  });
  return client;
}

/** A raw WebSocket for sending hand-made frames, recording what it receives. */
export interface RawSocket {
  ws: WebSocket;
  received: Uint8Array[];
  /** Resolves with the close code and reason. */
  closed: Promise<CloseInfo>;
}

/** Opens a raw WebSocket to a path (`/collab/<room>/<kind>?token=…`) and waits for it to open or close. */
export async function openRawSocket(url: string, pathAndQuery: string): Promise<RawSocket> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}${pathAndQuery}`);
  const received: Uint8Array[] = [];
  ws.on('message', (data: Buffer) => received.push(new Uint8Array(data)));
  ws.on('error', () => {});
  const closed = new Promise<CloseInfo>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') })));
  await new Promise<void>((resolve) => {
    ws.once('open', () => resolve());
    ws.once('close', () => resolve());
  });
  return { ws, received, closed };
}
