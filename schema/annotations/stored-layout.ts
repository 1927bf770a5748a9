import type { Anchor, Annotation, RelativePositionJSON, ValidationResult } from './model.ts';
import { ANNOTATION_LAYOUT_VERSION } from './model.ts';
import { copyJSON } from './json-copy.ts';
import { validateAnnotationFields } from './validation.ts';

/**
 * How one annotation is stored in its `Y.Map`: layout 1 (every field under its own name,
 * `v: 1`) and the compact layout 2 that this code writes (schema/README.md documents both).
 *
 * Layout 2 differs from layout 1 only where that saves bytes without changing how fields merge:
 *
 * - `id` and `v` are not stored (the map key is the id; a record without `v` is layout 2);
 * - `authorId`, `authorName` and `created`, which never change, are one entry
 *   `made: [authorId, authorName, created as milliseconds since 1970]`;
 * - a field at its default is not stored: `claimStatus`, `problemType`, `correction`,
 *   `provenance`, `applied` and the status stamps `null`, `footnotes` and `related` `[]`,
 *   `note` `""`, `status` `"open"`, `modified` equal to `created`;
 * - the anchor is one array `span` (`encodeSpan`) instead of the nested `anchor` object.
 *
 * Every other field keeps its layout-1 name and value, so a writer still sets exactly the fields
 * it changes, and a layout-1 write to one of them (an old client, a stale offline cache) merges
 * into a layout-2 record as it always did. The one exception is the anchor: a layout-1 `anchor`
 * present in a layout-2 record was written after the record was converted (conversion deletes it),
 * so it counts instead of `span` until the server folds it into `span` (`upgradeWrites`).
 */

/** The storage layout written by this code. */
export const ANNOTATION_STORE_LAYOUT = 2;

/** Keys of a layout-2 record (`anchor` may appear too: a layout-1 write of the anchor, see above). */
export const STORED_V2_KEYS = Object.freeze([
  'made', 'kind', 'claimStatus', 'problemType', 'footnotes', 'note', 'correction', 'status', 'statusBy',
  'statusByName', 'statusAt', 'modified', 'related', 'span', 'provenance', 'applied',
] as const);

const V2_KEYS: ReadonlySet<string> = new Set(STORED_V2_KEYS);

/** Fields stored under their own name in both layouts, and their layout-2 defaults (absent = default). */
const DEFAULTS: Readonly<Record<string, unknown>> = Object.freeze({
  claimStatus: null,
  problemType: null,
  footnotes: [],
  note: '',
  correction: null,
  status: 'open',
  statusBy: null,
  statusByName: null,
  statusAt: null,
  related: [],
  provenance: null,
  applied: null,
});

/** Which logical fields each layout-2 key holds (keys not listed hold the field of the same name). */
const FIELDS_OF_KEY: Readonly<Record<string, readonly string[]>> = Object.freeze({
  made: ['authorId', 'authorName', 'created'],
  span: ['anchor'],
});

/** Whether a stored record (its keys and values) is in layout 1: it carries `v`. */
export function isLayoutOneRecord(stored: { has(key: string): boolean } | Record<string, unknown>): boolean {
  return typeof stored.has === 'function' ? (stored as { has(key: string): boolean }).has('v') : Object.hasOwn(stored, 'v');
}

/** The logical fields (names of `Annotation`) that writes to these stored keys change. */
export function fieldsOfStoredKeys(keys: Iterable<string>): Set<string> {
  const fields = new Set<string>();
  for (const key of keys) for (const field of FIELDS_OF_KEY[key] ?? [key]) fields.add(field);
  return fields;
}

/* --- the anchor as `span` --- */

/** A relative position's compact form: `[client, clock]` of its item when it has the side's usual assoc. */
function compactPosition(position: RelativePositionJSON, assoc: number): RelativePositionJSON | [number, number] {
  if (position.item && position.tname === undefined && (position.assoc ?? 0) === assoc) return [position.item.client, position.item.clock];
  return position;
}

function expandPosition(value: unknown, assoc: number): unknown {
  if (Array.isArray(value) && value.length === 2) return { item: { client: value[0], clock: value[1] }, assoc };
  return copyJSON(value);
}

/**
 * The anchor as layout 2 stores it: `[start, end, exact, prefix, suffix, positionStart,
 * positionEnd, blockId, occurrences]`, where `start` and `end` are `[client, clock]` of the item
 * a position sticks to (assoc 0 for the start, -1 for the end) or, for any other position, its
 * `Y.relativePositionToJSON` object. The `type` of an item position is left out: Yjs resolves
 * an item position by its item alone.
 */
export function encodeSpan(anchor: Anchor): unknown[] {
  return [
    compactPosition(anchor.start, 0), compactPosition(anchor.end, -1),
    anchor.quote.exact, anchor.quote.prefix, anchor.quote.suffix,
    anchor.position.start, anchor.position.end, anchor.blockId, anchor.occurrences,
  ];
}

/** The anchor object of a `span` (not validated: `anchorErrors` checks the result). */
export function decodeSpan(span: unknown): unknown {
  if (!Array.isArray(span) || span.length !== 9) return span;
  const [start, end, exact, prefix, suffix, positionStart, positionEnd, blockId, occurrences] = span as unknown[];
  return {
    start: expandPosition(start, 0),
    end: expandPosition(end, -1),
    quote: { exact, prefix, suffix },
    position: { start: positionStart, end: positionEnd },
    blockId,
    occurrences,
  };
}

/* --- reading a stored record --- */

const MAX_TIME_MS = 8.64e15;

function isTimeMs(value: unknown): value is number {
  return Number.isSafeInteger(value) && Math.abs(value as number) <= MAX_TIME_MS;
}

/**
 * The annotation record (the fields of `Annotation`, as layout 1 stores them) that a stored
 * record of either layout holds; `id` is the map key the record is stored under. Each field is
 * only unpacked, not validated (`validateAnnotationFields` does that next); object values of a
 * layout-2 record are copied, so the result is safe to keep and change. Fails when a
 * layout-2 record holds a key layout 2 does not have, or `made` or `span` is not the array the
 * layout describes.
 */
export function decodeStoredAnnotation(id: string, stored: Readonly<Record<string, unknown>>): ValidationResult<Record<string, unknown>> {
  if (isLayoutOneRecord(stored)) return { ok: true, value: { ...stored } };
  let errors: string[] | null = null;
  const record: Record<string, unknown> = { id, ...DEFAULTS, footnotes: [], related: [] };
  for (const key of Object.keys(stored)) {
    if (key === 'made' || key === 'span') continue;
    const value = stored[key];
    // Layout-1 names of packed fields (`authorId`, `created`, …) are as unknown here as any other key.
    if (V2_KEYS.has(key) || key === 'anchor') record[key] = typeof value === 'object' && value !== null ? copyJSON(value) : value;
    else (errors ??= []).push(`annotation: unknown field ${JSON.stringify(key)}`);
  }
  const made = stored.made;
  if (!Array.isArray(made) || made.length !== 3 || !isTimeMs(made[2])) {
    (errors ??= []).push('made: expected [authorId, authorName, created (milliseconds since 1970)]');
  } else {
    record.authorId = made[0];
    record.authorName = made[1];
    record.created = new Date(made[2]).toISOString();
    if (!Object.hasOwn(stored, 'modified')) record.modified = record.created;
  }
  // A layout-1 anchor written after the record was converted counts until it is folded into span.
  if (!Object.hasOwn(stored, 'anchor')) {
    if (stored.span === undefined) (errors ??= []).push('span: missing (the anchor)');
    else if (!Array.isArray(stored.span) || stored.span.length !== 9) (errors ??= []).push('span: expected [start, end, exact, prefix, suffix, positionStart, positionEnd, blockId, occurrences]');
    else record.anchor = decodeSpan(stored.span);
  }
  record.v = ANNOTATION_LAYOUT_VERSION;
  return errors === null ? { ok: true, value: record } : { ok: false, errors };
}

/* --- writing --- */

/** The layout-2 record of a whole annotation: what a new annotation's `Y.Map` holds. */
export function encodeAnnotation(annotation: Annotation): Record<string, unknown> {
  const stored: Record<string, unknown> = { made: [annotation.authorId, annotation.authorName, Date.parse(annotation.created)], kind: annotation.kind };
  for (const [field, fallback] of Object.entries(DEFAULTS)) {
    const value = (annotation as unknown as Record<string, unknown>)[field];
    if (JSON.stringify(value) !== JSON.stringify(fallback)) stored[field] = value;
  }
  if (annotation.modified !== annotation.created) stored.modified = annotation.modified;
  stored.span = encodeSpan(annotation.anchor);
  return stored;
}

/**
 * The stored form of the fields an operation writes into an existing record, under the keys the
 * record's layout uses for them: every field of `next` except the fixed ones (identity,
 * authorship, creation, version), with the anchor as `anchor` (layout 1, or a layout-2 record
 * whose `anchor` counts) or `span`. `current` reads a stored key (undefined when absent).
 */
export function storedChanges(next: Annotation, current: (key: string) => unknown, layoutOne: boolean): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const field of [...Object.keys(DEFAULTS), 'kind', 'modified']) fields[field] = (next as unknown as Record<string, unknown>)[field];
  if (layoutOne || current('anchor') !== undefined) fields.anchor = next.anchor;
  else fields.span = encodeSpan(next.anchor);
  return fields;
}

/** The default a layout-2 record reads for an absent key (`undefined` for keys without one). */
export function storedDefault(key: string): unknown {
  return Object.hasOwn(DEFAULTS, key) ? DEFAULTS[key] : undefined;
}

/**
 * What turns a stored record into pure layout 2 without changing how it reads: the keys to set
 * and the keys to delete. Layout 1 becomes layout 2 (`made`, `span`, defaults dropped); a layout-2
 * record with a layout-1 `anchor` gets it folded into `span`. Keys whose stored value stays the
 * same are not written, so that a concurrent layout-1 write to them (an old client) still merges
 * as it would have. Returns null when the record is already pure layout 2, or cannot be read.
 */
export function upgradeWrites(id: string, stored: Readonly<Record<string, unknown>>): { set: Record<string, unknown>; remove: string[] } | null {
  const layoutOne = isLayoutOneRecord(stored);
  if (!layoutOne && stored.anchor === undefined) return null;
  const decoded = decodeStoredAnnotation(id, stored);
  const fields = decoded.ok ? validateAnnotationFields(decoded.value) : decoded;
  if (!fields.ok) return null;
  const record = fields.value;
  const target = encodeAnnotation(record);
  const set: Record<string, unknown> = {};
  const remove: string[] = [];
  for (const [key, value] of Object.entries(target)) if (JSON.stringify(stored[key]) !== JSON.stringify(value)) set[key] = value;
  for (const key of Object.keys(stored)) if (!Object.hasOwn(target, key)) remove.push(key);
  return { set, remove };
}
