import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { MESSAGE_AUTH, MESSAGE_AWARENESS, MESSAGE_NOTICE, MESSAGE_QUERY_AWARENESS, MESSAGE_STORED, MESSAGE_SYNC, readNoticeMessage } from '../../schema/index.ts';

/**
 * A tiny raw y-protocols client for hostile tests: it speaks the wire protocol byte by byte, so a
 * test can send exactly what a malicious peer would (a viewer's sync step 2, a forged update, a
 * foreign awareness client id, garbage), and records everything the server answers.
 */

/** How a raw connection ended, or why its upgrade was refused. */
export interface RawOutcome {
  /** The WebSocket close code (0 when the handshake itself was refused). */
  code: number;
  reason: string;
  /** The HTTP status of a refused handshake (403, 429), else null. */
  httpStatus: number | null;
}

/** One decoded awareness entry as the server relayed it. */
export interface RelayedAwareness {
  clientId: number;
  clock: number;
  state: Record<string, unknown> | null;
}

/** Where and as whom to connect. */
export interface RawConnectOptions {
  /** The server's base URL, `http://127.0.0.1:PORT`. */
  url: string;
  /** The path and query, e.g. `/collab/chapter-5/annotations?token=…`. */
  path: string;
  /** Extra handshake headers (`origin`, `cookie`). */
  headers?: Record<string, string>;
}

/** Encodes a message: its type, then what `write` adds. */
export function message(type: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

/** A sync step 1 carrying a state vector. */
export function syncStep1Message(ydoc: Y.Doc): Uint8Array {
  return message(MESSAGE_SYNC, (e) => syncProtocol.writeSyncStep1(e, ydoc));
}

/** A sync step 2 carrying `update`. */
export function syncStep2Message(update: Uint8Array): Uint8Array {
  return message(MESSAGE_SYNC, (e) => {
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint8Array(e, update);
  });
}

/** A sync update carrying `update`. */
export function syncUpdateMessage(update: Uint8Array): Uint8Array {
  return message(MESSAGE_SYNC, (e) => syncProtocol.writeUpdate(e, update));
}

/** An awareness message with hand-made entries (any client id, any state). */
export function awarenessMessage(entries: { clientId: number; clock: number; state: unknown }[]): Uint8Array {
  return message(MESSAGE_AWARENESS, (e) => {
    const inner = encoding.createEncoder();
    encoding.writeVarUint(inner, entries.length);
    for (const entry of entries) {
      encoding.writeVarUint(inner, entry.clientId);
      encoding.writeVarUint(inner, entry.clock);
      encoding.writeVarString(inner, JSON.stringify(entry.state));
    }
    encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
  });
}

/** A raw collaboration connection: a local replica kept in sync, and a record of every answer. */
export class RawClient {
  readonly ws: WebSocket;
  /** The client's replica, updated from the server's sync messages. */
  readonly doc = new Y.Doc();
  readonly frames: Uint8Array[] = [];
  /** Reasons of permission-denied messages received. */
  readonly denied: string[] = [];
  /** Awareness entries the server relayed, in order. */
  readonly awareness: RelayedAwareness[] = [];
  /** The last MESSAGE_STORED vector (with `acks=1`). */
  stored: Uint8Array | null = null;
  /** MESSAGE_NOTICE messages received (with `acks=1`). */
  readonly notices: { level: string; message: string }[] = [];
  /** How many sync step 1 messages the server sent (greeting and resync requests). */
  serverStep1s = 0;
  /** Whether the server's answer to our step 1 (its step 2) arrived. */
  synced = false;
  outcome: RawOutcome | null = null;
  readonly ended: Promise<RawOutcome>;

  private constructor(ws: WebSocket) {
    this.ws = ws;
    this.ended = new Promise((resolve) => {
      ws.on('unexpected-response', (_request, response) => {
        this.outcome = { code: 0, reason: '', httpStatus: response.statusCode ?? null };
        response.resume();
        resolve(this.outcome);
      });
      ws.on('close', (code, reason) => {
        this.outcome ??= { code, reason: reason.toString('utf8'), httpStatus: null };
        resolve(this.outcome);
      });
    });
    ws.on('error', () => {});
    ws.on('message', (data: Buffer) => this.#receive(new Uint8Array(data)));
  }

  /** Opens a connection and waits until it is open, or refused or closed. */
  static async connect(options: RawConnectOptions): Promise<RawClient> {
    const ws = new WebSocket(`${options.url.replace(/^http/, 'ws')}${options.path}`, { headers: options.headers ?? {} });
    const client = new RawClient(ws);
    await Promise.race([new Promise((resolve) => ws.once('open', resolve)), client.ended]);
    return client;
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  #receive(frame: Uint8Array): void {
    this.frames.push(frame);
    const decoder = decoding.createDecoder(frame);
    const type = decoding.readVarUint(decoder);
    if (type === MESSAGE_SYNC) return this.#receiveSync(decoder);
    if (type === MESSAGE_AUTH) {
      decoding.readVarUint(decoder);
      this.denied.push(decoding.readVarString(decoder));
    } else if (type === MESSAGE_AWARENESS) {
      const inner = decoding.createDecoder(decoding.readVarUint8Array(decoder));
      for (let n = decoding.readVarUint(inner); n > 0; n--) {
        this.awareness.push({ clientId: decoding.readVarUint(inner), clock: decoding.readVarUint(inner), state: JSON.parse(decoding.readVarString(inner)) });
      }
    } else if (type === MESSAGE_STORED) {
      this.stored = decoding.readVarUint8Array(decoder);
    } else if (type === MESSAGE_NOTICE) {
      this.notices.push(readNoticeMessage(decoder));
    }
  }

  #receiveSync(decoder: decoding.Decoder): void {
    const subtype = decoding.readVarUint(decoder);
    const payload = decoding.readVarUint8Array(decoder);
    if (subtype === 0) this.serverStep1s++;
    else Y.applyUpdate(this.doc, payload, 'server');
    if (subtype === 1) this.synced = true;
  }

  /** Sends raw bytes as a binary frame, or as a text frame (`asText`, even if not UTF-8), or a string. */
  send(data: Uint8Array | string, { asText = false } = {}): void {
    if (!this.open) return;
    if (typeof data === 'string') this.ws.send(data);
    else this.ws.send(data, { binary: !asText });
  }

  /** Asks for the server's state (sync step 1) and waits for its step 2. */
  async sync(timeoutMs = 5000): Promise<void> {
    this.send(syncStep1Message(this.doc));
    await waitUntil(() => this.synced, 'the server’s sync step 2', timeoutMs);
  }

  /**
   * A round trip on this connection: sends a sync step 1 and waits for the step 2 that answers
   * it. The server handles a connection's messages in order and each socket delivers in order,
   * so once this resolves, whatever the server sent this client because of earlier messages (or
   * of anything it handled before them) is in `frames`. Tests that assert that something did
   * *not* happen wait for this rather than for a fixed time.
   */
  async barrier(timeoutMs = 5000): Promise<void> {
    const isStep2 = (frame: Uint8Array) => frame[0] === MESSAGE_SYNC && frame[1] === 1;
    const answered = this.frames.filter(isStep2).length;
    this.send(syncStep1Message(this.doc));
    await waitUntil(() => this.frames.filter(isStep2).length > answered, 'the answer to a round trip', timeoutMs);
  }

  /** Sends what a change to the replica produces, as a sync update (or step 2); returns the update. */
  change(fn: (doc: Y.Doc) => void, as: 'update' | 'step2' = 'update'): Uint8Array {
    const updates: Uint8Array[] = [];
    const record = (update: Uint8Array, origin: unknown) => origin !== 'server' && updates.push(update);
    this.doc.on('update', record);
    try {
      this.doc.transact(() => fn(this.doc), 'raw-client');
    } finally {
      this.doc.off('update', record);
    }
    const update = Y.mergeUpdates(updates);
    this.send(as === 'update' ? syncUpdateMessage(update) : syncStep2Message(update));
    return update;
  }

  /** Publishes an awareness state for the replica's own client id. */
  publishPresence(state: Record<string, unknown>, clock = 1): void {
    this.send(awarenessMessage([{ clientId: this.doc.clientID, clock, state }]));
  }

  /** Asks for every awareness state. */
  queryAwareness(): void {
    this.send(new Uint8Array([MESSAGE_QUERY_AWARENESS]));
  }

  /** Waits for the server to answer after `count` denials. */
  async deniedAtLeast(count: number, timeoutMs = 5000): Promise<string[]> {
    await waitUntil(() => this.denied.length >= count, `${count} permission-denied message(s)`, timeoutMs);
    return this.denied;
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close();
  }

  /** Drops the TCP connection without a closing handshake. */
  terminate(): void {
    this.ws.terminate();
  }
}

/** Polls `predicate` every 5 ms until it holds; rejects naming `what` after `timeoutMs`. */
export async function waitUntil(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** What a hand-made upgrade request got: the HTTP status, and the server's frames if it upgraded. */
export interface RawUpgradeResult {
  status: number;
  /** The close code of the server's close frame, or null if it sent none before the timeout. */
  closeCode: number | null;
  /** Opcodes and payload sizes of the frames before the close frame (data the server sent). */
  dataFrames: { opcode: number; bytes: number }[];
}

/** Splits unmasked server frames off a buffer; returns the frames and the unparsed rest. */
function parseServerFrames(buffer: Buffer): { frames: { opcode: number; payload: Buffer }[]; rest: Buffer } {
  const frames: { opcode: number; payload: Buffer }[] = [];
  let at = 0;
  while (buffer.length - at >= 2) {
    const opcode = buffer[at]! & 0x0f;
    let length = buffer[at + 1]! & 0x7f;
    let header = 2;
    if (length === 126) {
      if (buffer.length - at < 4) break;
      length = buffer.readUInt16BE(at + 2);
      header = 4;
    } else if (length === 127) {
      if (buffer.length - at < 10) break;
      length = Number(buffer.readBigUInt64BE(at + 2));
      header = 10;
    }
    if (buffer.length - at < header + length) break;
    frames.push({ opcode, payload: buffer.subarray(at + header, at + header + length) });
    at += header + length;
  }
  return { frames, rest: buffer.subarray(at) };
}

/**
 * Sends a WebSocket upgrade with a raw, unnormalised path (a WebSocket library would resolve
 * `..` and `//` before sending) and reports what came back, up to the server's close frame.
 */
export function rawUpgrade(baseUrl: string, path: string, headers: Record<string, string> = {}, timeoutMs = 3000): Promise<RawUpgradeResult> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const request = httpRequest({
      hostname,
      port,
      path,
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': randomBytes(16).toString('base64'), ...headers },
    });
    request.on('response', (response) => {
      response.resume();
      resolve({ status: response.statusCode ?? 0, closeCode: null, dataFrames: [] });
    });
    request.on('upgrade', (_response, socket, head) => {
      let pending: Buffer = Buffer.from(head);
      const dataFrames: { opcode: number; bytes: number }[] = [];
      const finish = (closeCode: number | null) => {
        clearTimeout(timer);
        socket.destroy();
        resolve({ status: 101, closeCode, dataFrames });
      };
      const timer = setTimeout(() => finish(null), timeoutMs);
      const take = (chunk: Buffer) => {
        const parsed = parseServerFrames(Buffer.concat([pending, chunk]));
        pending = parsed.rest;
        for (const frame of parsed.frames) {
          if (frame.opcode === 0x8) return finish(frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : 1005);
          dataFrames.push({ opcode: frame.opcode, bytes: frame.payload.length });
        }
      };
      socket.on('data', take);
      socket.on('error', () => {});
      take(Buffer.alloc(0));
    });
    request.on('error', reject);
    request.end();
  });
}
