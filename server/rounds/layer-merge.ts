import * as Y from 'yjs';
import { annotationsMap, dismissedMap, repliesMap } from '../../schema/index.ts';

/**
 * Merging blind-round layers into one annotation document: the reveal (into a copy of the shared
 * layer, whose difference becomes one update) and the round's overview (into a scratch document).
 * Entries keep their ids and every field as stored, so a record reads the same after the merge;
 * an entry whose id the target holds, or ever held (a revealed annotation deleted since), is left
 * out, so merging again adds nothing: a reveal interrupted by a crash can simply be run again.
 */

/** The typed origin of the transaction that merges layers. */
export const LAYER_MERGE_ORIGIN = { kind: 'round-layer-merge' } as const;

/** Whether a root map has, or had, an entry under `key` (Yjs keeps the item of a deleted key). */
function everHeld(map: Y.Map<unknown>, key: string): boolean {
  return map._map.has(key);
}

/** A fresh Y.Map holding a copy of every field of `source` (plain JSON values, as the layout stores them). */
function copyEntry(source: Y.Map<unknown>): Y.Map<unknown> {
  const copy = new Y.Map<unknown>();
  for (const [key, value] of Object.entries(source.toJSON() as Record<string, unknown>)) copy.set(key, value);
  return copy;
}

/**
 * Copies into `target` every annotation, reply and dismissal of `layers` that `target` never
 * held, in one transaction. Returns how many entries it copied.
 */
export function mergeLayers(target: Y.Doc, layers: Iterable<Y.Doc>): number {
  let copied = 0;
  target.transact(() => {
    for (const layer of layers) {
      for (const [map, into] of [
        [annotationsMap(layer), annotationsMap(target)],
        [repliesMap(layer), repliesMap(target)],
      ] as [Y.Map<Y.Map<unknown>>, Y.Map<Y.Map<unknown>>][]) {
        for (const [id, entry] of map.entries()) {
          if (everHeld(into as Y.Map<unknown>, id) || !(entry instanceof Y.Map)) continue;
          into.set(id, copyEntry(entry));
          copied++;
        }
      }
      const dismissed = dismissedMap(target);
      for (const [id, value] of dismissedMap(layer).entries()) {
        if (everHeld(dismissed as Y.Map<unknown>, id)) continue;
        dismissed.set(id, { ...value });
        copied++;
      }
    }
  }, LAYER_MERGE_ORIGIN);
  return copied;
}
