import * as Y from 'yjs';
import { annotationsMap, dismissedMap, repliesMap, storedFieldsOf, upgradeWrites } from '../../schema/index.ts';

/**
 * Merging blind-round layers into one annotation document: the reveal (into a copy of the shared
 * layer, whose difference becomes one update) and the round's overview (into a scratch document).
 * Entries keep their ids and read the same after the merge (annotations are written in layout 2:
 * a layer an old page wrote in layout 1 is converted as it is copied, since the server's
 * conversion follows only clients' writes);
 * an entry whose id the target holds, or ever held (a revealed annotation deleted since), is left
 * out, so merging again adds nothing: a reveal interrupted by a crash can simply be run again.
 */

/** The typed origin of the transaction that merges layers. */
export const LAYER_MERGE_ORIGIN = { kind: 'round-layer-merge' } as const;

/** Whether a root map has, or had, an entry under `key` (Yjs keeps the item of a deleted key). */
function everHeld(map: Y.Map<unknown>, key: string): boolean {
  return map._map.has(key);
}

/**
 * A fresh Y.Map holding a copy of the stored fields of `source`; an annotation record in layout 1
 * (or holding a layout-1 anchor) is copied converted to layout 2, an unreadable one as stored.
 */
function copyEntry(id: string, source: Y.Map<unknown>, annotation: boolean): Y.Map<unknown> {
  const stored = storedFieldsOf(source);
  const writes = annotation ? upgradeWrites(id, stored) : null;
  if (writes) {
    for (const key of writes.remove) delete stored[key];
    Object.assign(stored, writes.set);
  }
  const copy = new Y.Map<unknown>();
  for (const [key, value] of Object.entries(stored)) copy.set(key, value);
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
      for (const [map, into, annotations] of [
        [annotationsMap(layer), annotationsMap(target), true],
        [repliesMap(layer), repliesMap(target), false],
      ] as [Y.Map<Y.Map<unknown>>, Y.Map<Y.Map<unknown>>, boolean][]) {
        for (const [id, entry] of map.entries()) {
          if (everHeld(into as Y.Map<unknown>, id) || !(entry instanceof Y.Map)) continue;
          into.set(id, copyEntry(id, entry, annotations));
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
