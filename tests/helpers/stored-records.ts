import * as Y from 'yjs';
import { ANNOTATION_FIELDS, ANNOTATION_STATUS_FIELDS, annotationsMap } from '../../schema/index.ts';
import type { Anchor, Annotation } from '../../schema/index.ts';

/**
 * Stored annotation records as other writers leave them: a forged author in layout 2, and the
 * layout-1 records and edits of a client written before layout 2 (an old page, or an offline
 * cache made by one). The layout-1 writes are exactly what that code wrote: every field under
 * its own name with `v: 1`, and an edit setting only the changed fields and `modified`.
 */

/** Rewrites the author a layout-2 record names (`made[0]`), as a forger would. */
export function forgeAuthor(yAnnotation: Y.Map<unknown>, userId: string): void {
  const made = yAnnotation.get('made') as [string, string, number];
  yAnnotation.set('made', [userId, made[1], made[2]]);
}

/** Stores a whole annotation in layout 1, in one transaction (an old client's create). */
export function storeLayoutOne(doc: Y.Doc, annotation: Annotation): void {
  const ymap = new Y.Map<unknown>();
  for (const key of ANNOTATION_FIELDS) ymap.set(key, structuredClone(annotation[key]));
  doc.transact(() => annotationsMap(doc).set(annotation.id, ymap), 'layout-1 client');
}

/** An old client's edit of a layout-1 record it holds: the changed fields (status fields as a group) and `modified`. */
export function editLayoutOne(doc: Y.Doc, id: string, changes: Partial<Omit<Annotation, 'anchor'>> & { anchor?: Anchor }, modified: string): void {
  const ymap = annotationsMap(doc).get(id)!;
  const touchesStatus = ANNOTATION_STATUS_FIELDS.some((key) => key in changes);
  doc.transact(() => {
    for (const [key, value] of Object.entries(changes)) ymap.set(key, structuredClone(value));
    if (touchesStatus) for (const key of ANNOTATION_STATUS_FIELDS) if (!(key in changes)) ymap.set(key, ymap.get(key) ?? null);
    ymap.set('modified', modified);
  }, 'layout-1 client');
}
