import * as Y from 'yjs';
import type { Anchor } from '../../schema/annotations/model.ts';
import { createAnnotation } from '../../schema/annotations/operations.ts';
import { stateVectorCovers } from '../../schema/room/collab-protocol.ts';
import { benchAnnotation } from './annotation-stamps.ts';
import type { BenchIdentity } from './room-sessions.ts';
import { sharedClockMs } from './shared-clock.ts';

// What every benchmark client does with its replica, whichever protocol code (raw frames or a
// stock provider) carries it.

/** Creates one stamped annotation as `identity`'s user in `ydoc`; returns its id, or null if invalid. */
export function createStampedAnnotation(ydoc: Y.Doc, identity: BenchIdentity, anchor: Anchor, sequence: number): string | null {
  const actor = { userId: identity.userId, name: identity.name };
  const created = createAnnotation(ydoc, benchAnnotation(anchor, sharedClockMs(), sequence), { actor, now: () => new Date() });
  return created.ok ? created.value.id : null;
}

/** Whether a stored state vector the server sent covers everything in `ydoc`. */
export function storedCoversReplica(storedStateVector: Uint8Array | null, ydoc: Y.Doc): boolean {
  return storedStateVector !== null && stateVectorCovers(storedStateVector, Y.encodeStateVector(ydoc));
}
