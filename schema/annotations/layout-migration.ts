import * as Y from 'yjs';
import { annotationsMap, storedFieldsOf } from './layout.ts';
import { isLayoutOneRecord, upgradeWrites } from './stored-layout.ts';

/**
 * Converting stored annotation records to layout 2 (schema/README.md, "Layout 2 and converting
 * a room"). Only the server converts: once for every record when it loads a room that still has
 * layout-1 records, and afterwards for each record an accepted update left in layout 1 (a record
 * created or re-anchored by a client that still writes layout 1: an old page, or a page replaying
 * work from its offline cache). Clients never convert, so there is one writer of conversions.
 *
 * A conversion changes no reading: the record reads the same before and after. It deletes the
 * layout-1 keys it replaces and writes only keys whose stored value changes, so a concurrent
 * layout-1 write (made offline against the old record) still lands: a field kept under its own
 * name merges as it always did, and an `anchor` written after the conversion counts over `span`
 * until the next conversion folds it in.
 */

/** The origin of a conversion transaction (not an `AnnotationOrigin`: no undo manager tracks it). */
export class LayoutUpgradeOrigin {
  readonly kind = 'layout-upgrade';
}

/** Whether a stored record needs converting: layout 1, or layout 2 holding a layout-1 `anchor`. */
export function needsLayoutUpgrade(yAnnotation: unknown): boolean {
  return yAnnotation instanceof Y.Map && (isLayoutOneRecord(yAnnotation) || yAnnotation.has('anchor'));
}

/** The ids of records that need converting, among `ids` (every record when absent). */
export function recordsToUpgrade(ydoc: Y.Doc, ids?: Iterable<string>): string[] {
  const map = annotationsMap(ydoc);
  const found: string[] = [];
  for (const id of ids ?? map.keys()) if (needsLayoutUpgrade(map.get(id))) found.push(id);
  return found;
}

/**
 * Converts the records `ids` (every record when absent) to layout 2, in one transaction with
 * `origin`. Records that are already layout 2, deleted, or unreadable are left as they are.
 * Returns how many records were rewritten.
 */
export function upgradeAnnotationRecords(ydoc: Y.Doc, origin: unknown = new LayoutUpgradeOrigin(), ids?: Iterable<string>): number {
  const map = annotationsMap(ydoc);
  const pending = recordsToUpgrade(ydoc, ids);
  if (pending.length === 0) return 0;
  let rewritten = 0;
  ydoc.transact(() => {
    for (const id of pending) {
      const yAnnotation = map.get(id)!;
      const writes = upgradeWrites(id, storedFieldsOf(yAnnotation));
      if (writes === null) continue;
      for (const key of writes.remove) yAnnotation.delete(key);
      for (const [key, value] of Object.entries(writes.set)) yAnnotation.set(key, value);
      rewritten++;
    }
  }, origin);
  return rewritten;
}
