import type * as Y from 'yjs';
import { annotationsMap } from '../../schema/annotations/layout.ts';
import type { Anchor } from '../../schema/annotations/model.ts';
import { createAnnotation } from '../../schema/annotations/operations.ts';
import type { OperationContext } from '../../schema/annotations/operation-context.ts';
import { mulberry32 } from '../../tests/helpers/convergence-fuzz.ts';
import { anchorPool, benchAnnotation } from './annotation-stamps.ts';
import type { JoinedRoom } from './room-join.ts';
import type { BenchIdentity } from './room-sessions.ts';

/**
 * A client that grows a room through the server, as its readers would: annotations made with the
 * schema's operations on a synced replica (stock y-websocket providers), each transaction one
 * update. `watcher` is a second client of the same room whose replica shows what was relayed.
 */
export class RoomWriter {
  created = 0;
  readonly #anchors: Anchor[];
  readonly #context: OperationContext;

  constructor(
    readonly writer: JoinedRoom,
    readonly watcher: JoinedRoom,
    identity: BenchIdentity,
    seed = 5,
  ) {
    this.#anchors = anchorPool(writer.text, 2000, mulberry32(seed));
    this.#context = { actor: { userId: identity.userId, name: identity.name }, now: () => new Date() };
    this.created = annotationsMap(writer.annotations).size;
  }

  /** How many annotations the watcher's replica holds. */
  seen(): number {
    return annotationsMap(this.watcher.annotations).size;
  }

  /** Creates one annotation (stamped `stampMs` in its note; NaN for none) in the current transaction or its own. */
  createOne(stampMs: number): void {
    const anchor = this.#anchors[this.created % this.#anchors.length]!;
    const made = createAnnotation(this.writer.annotations, benchAnnotation(anchor, stampMs, this.created), this.#context);
    if (!made.ok) throw new Error(`writing annotation ${this.created}: ${made.errors.join('; ')}`);
    this.created++;
  }

  /**
   * Adds annotations until the room holds `target`: `batch` per update, at most `inFlight` updates
   * ahead of what the watcher has seen. Resolves when the watcher has them all; returns the ms taken.
   */
  async growTo(target: number, { batch = 50, inFlight = 4 }: { batch?: number; inFlight?: number } = {}): Promise<number> {
    const started = performance.now();
    const doc: Y.Doc = this.writer.annotations;
    while (this.created < target) {
      await until(() => this.created - this.seen() <= inFlight * batch, 120_000, 'the server relaying the growth');
      doc.transact(() => {
        for (let i = 0; i < batch && this.created < target; i++) this.createOne(Number.NaN);
      });
    }
    await until(() => this.seen() >= target, 300_000, 'the server relaying the last growth batch');
    return performance.now() - started;
  }
}

/** Resolves once `condition` holds (polled every 20 ms); rejects after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const started = performance.now();
  while (!condition()) {
    if (performance.now() - started > timeoutMs) throw new Error(`${what} did not happen in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
