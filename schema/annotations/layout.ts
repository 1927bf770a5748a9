import * as Y from 'yjs';
import { REPLY_FIELDS } from './model.ts';
import type { Annotation, Dismissal, Reply, ValidationResult } from './model.ts';
import { copyJSON } from './json-copy.ts';
import { readAnnotationRecord } from './normalization.ts';
import { decodeStoredAnnotation, encodeAnnotation, isLayoutOneRecord, storedChanges, storedDefault } from './stored-layout.ts';
import { validateDismissal, validateReply } from './validation.ts';
import type { ValidationContext } from './validation.ts';

/**
 * The Yjs layout of the annotation document (`<room>/annotations`), implemented once. The
 * contract is written out in schema/README.md, "The annotation document":
 *
 * - `getMap('annotations')`: annotation id → `Y.Map` of the annotation's fields, each value
 *   plain JSON (no nested Yjs types), so concurrent edits of different fields merge and a
 *   server can validate an update field by field. Records are written in the compact layout 2
 *   and read in either layout (`stored-layout.ts`).
 * - `getMap('replies')`: reply id → `Y.Map` of the reply's fields.
 * - `getMap('dismissed')`: assistant finding id → plain `{by, at}`.
 */

/** Root map names of the annotation document. */
export const ANNOTATION_DOC_MAPS = Object.freeze({ annotations: 'annotations', replies: 'replies', dismissed: 'dismissed' });

/** One annotation's fields as stored: a Y.Map of plain JSON values. */
export type YAnnotation = Y.Map<unknown>;
/** One reply's fields as stored: a Y.Map of plain JSON values. */
export type YReply = Y.Map<unknown>;

/** The annotations map of an annotation document. */
export function annotationsMap(ydoc: Y.Doc): Y.Map<YAnnotation> {
  return ydoc.getMap<YAnnotation>(ANNOTATION_DOC_MAPS.annotations);
}

/** The replies map of an annotation document. */
export function repliesMap(ydoc: Y.Doc): Y.Map<YReply> {
  return ydoc.getMap<YReply>(ANNOTATION_DOC_MAPS.replies);
}

/** The dismissed-suggestions map of an annotation document. */
export function dismissedMap(ydoc: Y.Doc): Y.Map<Dismissal> {
  return ydoc.getMap<Dismissal>(ANNOTATION_DOC_MAPS.dismissed);
}

/**
 * The status fields of an annotation, written together whenever one of them changes. Yjs
 * orders concurrent writes to a map key that replaced the same value by client id, the same
 * way for every key; so two concurrent status changes by replicas that saw the same status
 * merge as one whole change or the other, never as one user's status under another's name.
 * And the server, which checks that a status change carries the sender's own stamp, finds the
 * stamp in every such update even when the sender's stamp was already there before.
 */
export const ANNOTATION_STATUS_FIELDS = Object.freeze(['status', 'statusBy', 'statusByName', 'statusAt'] as const);

/**
 * The keys of a root map (`annotationsMap`, `repliesMap`) whose entries a batch of deep events
 * touched: entries added, removed, or with a field changed. For `observeDeep` listeners that
 * re-read only what changed.
 */
export function touchedEntryKeys(events: readonly Y.YEvent<any>[], root: Y.Map<any>): Set<string> {
  const keys = new Set<string>();
  for (const event of events) {
    if (event.target === root) for (const key of (event as Y.YMapEvent<unknown>).keysChanged) keys.add(key);
    else {
      // A field of one entry changed: the entry's key in the root map is its item's parentSub.
      let type = event.target as Y.AbstractType<unknown>;
      while (type._item && type._item.parent !== root) type = type._item.parent as Y.AbstractType<unknown>;
      const key = type._item?.parentSub;
      if (key) keys.add(key);
    }
  }
  return keys;
}

/**
 * Writes the given fields into a Y.Map (inside the caller's transaction), skipping unchanged
 * ones, except that a group in `together` is written whole when any field of it changed.
 * `absent` is what a key that is not stored reads as (layout-2 annotation records leave
 * defaults out); by default nothing.
 */
export function writeFields(
  ymap: Y.Map<unknown>,
  fields: Readonly<Record<string, unknown>>,
  together: readonly (readonly string[])[] = [],
  absent: (key: string) => unknown = () => undefined,
): void {
  const stored = (key: string) => (ymap.has(key) ? ymap.get(key) : absent(key));
  const differs = (key: string) => JSON.stringify(stored(key)) !== JSON.stringify(fields[key]);
  const forced = new Set(together.filter((group) => group.some((key) => key in fields && differs(key))).flat());
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) throw new TypeError(`field ${key} is undefined; the layout stores null for "none"`);
    if (!forced.has(key) && !differs(key)) continue;
    ymap.set(key, copyJSON(value));
  }
}

/**
 * Writes an annotation's changed fields into its stored record (inside the caller's
 * transaction), in the record's own layout: the fields that differ from what the record reads,
 * the status fields as a group; never the fixed ones (identity, authorship, creation).
 */
export function writeAnnotationRecord(yAnnotation: YAnnotation, next: Annotation): void {
  const layoutOne = isLayoutOneRecord(yAnnotation);
  const fields = storedChanges(next, (key) => yAnnotation.get(key), layoutOne);
  writeFields(yAnnotation, fields, [ANNOTATION_STATUS_FIELDS], layoutOne ? undefined : storedDefault);
}

/** A stored record's keys and values, copied. */
export function storedFieldsOf(ymap: Y.Map<unknown>): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const key of ymap.keys()) record[key] = copyJSON(ymap.get(key));
  return record;
}

function readFields(ymap: Y.Map<unknown>, fields: readonly string[]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const key of fields) if (ymap.has(key)) record[key] = copyJSON(ymap.get(key));
  // Unknown keys are copied too, so that validation reports them instead of hiding them.
  for (const key of ymap.keys()) if (!fields.includes(key)) record[key] = copyJSON(ymap.get(key));
  return record;
}

/** Builds the Y.Map of a new annotation (to be inserted into the annotations map), in layout 2. */
export function annotationToYMap(annotation: Annotation): YAnnotation {
  const ymap = new Y.Map<unknown>();
  for (const [key, value] of Object.entries(encodeAnnotation(annotation))) ymap.set(key, copyJSON(value));
  return ymap;
}

/** Builds the Y.Map of a new reply (to be inserted into the replies map). */
export function replyToYMap(reply: Reply): YReply {
  const ymap = new Y.Map<unknown>();
  for (const key of REPLY_FIELDS) ymap.set(key, reply[key]);
  return ymap;
}

/**
 * Reads one stored annotation, in either layout: unpacked (`decodeStoredAnnotation`), each field
 * validated on its own, then read as a consistent annotation by the rules of
 * `normalizeAnnotation` (a record concurrent writes left inconsistent is read, not skipped). The
 * result is a copy, safe to keep and change. The id is the key the record is stored under.
 */
export function readAnnotation(yAnnotation: YAnnotation, context: ValidationContext = {}): ValidationResult<Annotation> {
  if (!(yAnnotation instanceof Y.Map)) return { ok: false, errors: ['annotation: the stored value is not a Y.Map'] };
  const key = yAnnotation._item?.parentSub ?? '';
  if (isLayoutOneRecord(yAnnotation)) return readStoredAnnotation(key, storedFieldsOf(yAnnotation), context);
  // Layout 2: unpacking copies every object it passes on, so the stored values are read as they are.
  const stored: Record<string, unknown> = {};
  for (const [field, value] of yAnnotation.entries()) stored[field] = value;
  return readStoredAnnotation(key, stored, context);
}

/** Reads a stored annotation record given as plain keys and values (see `readAnnotation`). */
export function readStoredAnnotation(id: string, stored: Record<string, unknown>, context: ValidationContext = {}): ValidationResult<Annotation> {
  const decoded = decodeStoredAnnotation(id, stored);
  return decoded.ok ? readAnnotationRecord(decoded.value, context) : decoded;
}

/** The author's user id a stored annotation record names, in either layout, without reading the rest. */
export function storedAuthorId(yAnnotation: unknown): string | undefined {
  if (!(yAnnotation instanceof Y.Map)) return undefined;
  const author = isLayoutOneRecord(yAnnotation) ? yAnnotation.get('authorId') : (yAnnotation.get('made') as unknown[] | undefined)?.[0];
  return typeof author === 'string' ? author : undefined;
}

/** Reads the annotation stored under `id` (as `readAnnotation` does), checking that its `id` field agrees. */
export function readAnnotationById(ydoc: Y.Doc, id: string, context: ValidationContext = {}): ValidationResult<Annotation> {
  const yAnnotation = annotationsMap(ydoc).get(id);
  if (yAnnotation === undefined) return { ok: false, errors: [`annotation ${id} does not exist`] };
  const read = readAnnotation(yAnnotation, context);
  if (read.ok && read.value.id !== id) return { ok: false, errors: [`annotation stored under ${id} has id ${read.value.id}`] };
  return read;
}

/**
 * The order of annotations and of a thread's replies everywhere (lists, sidebar, exports):
 * oldest first, ties by id, so every replica and every export lists them alike.
 */
export function byCreatedThenId<T extends string | number>(a: { created: T; id: string }, b: { created: T; id: string }): number {
  return a.created < b.created ? -1 : a.created > b.created ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Every annotation of the document, read as `readAnnotation` does, oldest first (ties by id).
 * Entries with a malformed field are skipped (the server never stores one).
 */
export function listAnnotations(ydoc: Y.Doc, context: ValidationContext = {}): Annotation[] {
  const list: Annotation[] = [];
  for (const id of annotationsMap(ydoc).keys()) {
    const read = readAnnotationById(ydoc, id, context);
    if (read.ok) list.push(read.value);
  }
  return list.sort(byCreatedThenId);
}

/** Every entry of the annotations map with a malformed field, with the problems found (for logs and repair). */
export function listInvalidAnnotations(ydoc: Y.Doc, context: ValidationContext = {}): { id: string; errors: string[] }[] {
  const invalid: { id: string; errors: string[] }[] = [];
  for (const id of annotationsMap(ydoc).keys()) {
    const read = readAnnotationById(ydoc, id, context);
    if (!read.ok) invalid.push({ id, errors: read.errors });
  }
  return invalid;
}

/** Reads and validates one stored reply. */
export function readReply(yReply: YReply): ValidationResult<Reply> {
  if (!(yReply instanceof Y.Map)) return { ok: false, errors: ['reply: the stored value is not a Y.Map'] };
  return validateReply(readFields(yReply, REPLY_FIELDS));
}

/** The valid replies to annotation `annotationId`, oldest first (ties by id). */
export function listReplies(ydoc: Y.Doc, annotationId: string): Reply[] {
  const list: Reply[] = [];
  for (const [id, yReply] of repliesMap(ydoc).entries()) {
    if (!(yReply instanceof Y.Map) || yReply.get('annotationId') !== annotationId) continue;
    const read = readReply(yReply);
    if (read.ok && read.value.id === id) list.push(read.value);
  }
  return list.sort(byCreatedThenId);
}

/** Every valid dismissal, as `{id, by, at}`, ordered by finding id. */
export function listDismissed(ydoc: Y.Doc): { id: string; by: string; at: string }[] {
  const list: { id: string; by: string; at: string }[] = [];
  for (const [id, value] of dismissedMap(ydoc).entries()) {
    const read = validateDismissal(id, value);
    if (read.ok) list.push({ id, by: read.value.by, at: read.value.at });
  }
  return list.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
