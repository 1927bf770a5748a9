import * as Y from 'yjs';
import { annotationsMap } from '../../schema/annotations/layout.ts';
import type { Anchor } from '../../schema/annotations/model.ts';
import { createAnnotation, resolveAnnotation } from '../../schema/annotations/operations.ts';
import type { OperationContext } from '../../schema/annotations/operation-context.ts';
import { mulberry32 } from '../../tests/helpers/convergence-fuzz.ts';
import { anchorPool, stampedNote } from './annotation-stamps.ts';
import { sameBytes } from './convergence.ts';
import { joinRoom } from './room-join.ts';
import type { JoinedRoom } from './room-join.ts';
import type { BenchIdentity } from './room-sessions.ts';
import { sharedClockMs } from './shared-clock.ts';

/** Another reader of a room, in Node (stock y-websocket providers), whose changes a browser watches arrive. */
export class RemoteAnnotator {
  readonly #joined: JoinedRoom;
  readonly #anchors: Anchor[];
  readonly #context: OperationContext;
  readonly #wsBase: string;
  readonly #room: string;
  readonly #identity: BenchIdentity;

  private constructor(joined: JoinedRoom, wsBase: string, room: string, identity: BenchIdentity) {
    this.#joined = joined;
    // At the chapter's start, where the watching page is: a large room draws only what is near the viewport.
    this.#anchors = anchorPool(joined.text, 200, mulberry32(7), 1500);
    this.#context = { actor: { userId: identity.userId, name: identity.name }, now: () => new Date() };
    this.#wsBase = wsBase;
    this.#room = room;
    this.#identity = identity;
  }

  /** Joins the room (both documents synced). */
  static async join(wsBase: string, room: string, identity: BenchIdentity): Promise<RemoteAnnotator> {
    return new RemoteAnnotator(await joinRoom(wsBase, room, identity.token), wsBase, room, identity);
  }

  /** Creates a comment with the given id on one of the chosen ranges. */
  create(id: string): void {
    const anchor = this.#anchors[annotationsMap(this.#joined.annotations).size % this.#anchors.length]!;
    const created = createAnnotation(this.#joined.annotations, { id, kind: 'comment', note: stampedNote(sharedClockMs()), anchor }, this.#context);
    if (!created.ok) throw new Error(`creating ${id}: ${created.errors.join('; ')}`);
  }

  /** Resolves one of its own annotations. */
  resolve(id: string): void {
    const resolved = resolveAnnotation(this.#joined.annotations, id, this.#context);
    if (!resolved.ok) throw new Error(`resolving ${id}: ${resolved.errors.join('; ')}`);
  }

  /** Whether a fresh replica from the server equals this reader's (state vector), after a moment for the last writes. */
  async serverAgrees(): Promise<boolean> {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const fresh = await joinRoom(this.#wsBase, this.#room, this.#identity.token);
    const agrees = sameBytes(Y.encodeStateVector(fresh.annotations), Y.encodeStateVector(this.#joined.annotations));
    fresh.leave();
    return agrees;
  }

  leave(): void {
    this.#joined.leave();
  }
}
