import * as decoding from 'lib0/decoding';
import { WebsocketProvider } from 'y-websocket';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { annotationsMap } from '../../schema/annotations/layout.ts';
import type { Anchor } from '../../schema/annotations/model.ts';
import { MESSAGE_AUTH, MESSAGE_STORED } from '../../schema/room/collab-protocol.ts';
import { stampOf } from './annotation-stamps.ts';
import { createStampedAnnotation, storedCoversReplica } from './peer-writes.ts';
import type { LatencyHistogram } from './latency-histogram.ts';
import type { BenchIdentity } from './room-sessions.ts';
import { sharedClockMs } from './shared-clock.ts';

/**
 * A stock y-websocket 3 `WebsocketProvider` on `<room>/annotations`, as a real client: it applies
 * every update as it arrives and records creation → visible in its own document (after the
 * apply, which is what a reader would see).
 */
export class StockAnnotationPeer {
  readonly ydoc = new Y.Doc();
  readonly provider: WebsocketProvider;
  readonly identity: BenchIdentity;
  readonly deniedReasons: string[] = [];
  storedStateVector: Uint8Array | null = null;

  constructor(wsBase: string, room: string, identity: BenchIdentity, acks: boolean, latencies: LatencyHistogram[]) {
    this.identity = identity;
    const params: Record<string, string> = {};
    if (identity.token) params.token = identity.token;
    if (acks) params.acks = '1';
    this.provider = new WebsocketProvider(wsBase, `${room}/annotations`, this.ydoc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      params,
      disableBc: true,
      connect: false,
    });
    // The browser client announces no presence on the annotation document either.
    this.provider.awareness.setLocalState(null);
    this.provider.messageHandlers[MESSAGE_STORED] = (_encoder, decoder) => {
      this.storedStateVector = decoding.readVarUint8Array(decoder);
    };
    this.provider.messageHandlers[MESSAGE_AUTH] = (_encoder, decoder) => {
      decoding.readVarUint(decoder);
      this.deniedReasons.push(decoding.readVarString(decoder));
    };
    this.#observe(latencies);
    this.provider.connect();
  }

  #observe(latencies: LatencyHistogram[]): void {
    annotationsMap(this.ydoc).observe((event) => {
      if (event.transaction.origin !== this.provider) return;
      const now = sharedClockMs();
      for (const [id, change] of event.changes.keys) {
        if (change.action !== 'add') continue;
        const stamp = stampOf(annotationsMap(this.ydoc).get(id)?.get('note'));
        if (stamp !== null) for (const histogram of latencies) histogram.record(now - stamp);
      }
    });
  }

  /** Resolves once the provider has synced with the server (rejects after `timeoutMs`). */
  async synced(timeoutMs = 30_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!this.provider.synced) {
      if (Date.now() > until) throw new Error(`stock client ${this.identity.name} did not sync in ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Creates one stamped annotation as this client's user; returns its id, or null if invalid. */
  create(anchor: Anchor, sequence: number): string | null {
    return createStampedAnnotation(this.ydoc, this.identity, anchor, sequence);
  }

  /** Whether the server acknowledged everything this client wrote as stored. */
  acknowledged(): boolean {
    return storedCoversReplica(this.storedStateVector, this.ydoc);
  }

  /** The ids of the annotations this client holds. */
  ids(): Set<string> {
    return new Set(annotationsMap(this.ydoc).keys());
  }

  destroy(): void {
    this.provider.destroy();
    this.ydoc.destroy();
  }
}
