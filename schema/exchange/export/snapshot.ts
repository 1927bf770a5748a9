import type * as Y from 'yjs';
import type { Annotation, Reply, ValidationResult } from '../../annotations/model.ts';
import { annotationsMap, byCreatedThenId, listDismissed, repliesMap } from '../../annotations/layout.ts';
import { normalizeAnnotation } from '../../annotations/normalization.ts';
import { decodeStoredAnnotation } from '../../annotations/stored-layout.ts';
import { resolveAnchors } from '../../anchoring/resolve.ts';
import type { AnchorState } from '../../anchoring/resolve.ts';
import { projectYDoc } from '../../chapter/y-text-projection.ts';
import type { TextProjection } from '../../chapter/text-projection.ts';

/** Where an annotation's range lies in the current text, as anchor resolution found it. */
export interface ResolvedRange {
  state: AnchorState;
  /** UTF-16 offsets in the projection; null when the annotation is orphaned. */
  start: number | null;
  end: number | null;
}

/** One annotation as the exporters see it: the stored record, its replies and its current range. */
export interface SnapshotAnnotation {
  annotation: Annotation;
  replies: Reply[];
  resolved: ResolvedRange;
}

/** A suggestion of the analysis assistants that the room dismissed. */
export interface DismissedEntry {
  id: string;
  by: string;
  at: string;
}

/**
 * Everything an export needs, read from a room once: the exporters are pure functions of
 * this plain data, so the server, the CLI and tests produce byte-identical files.
 */
export interface RoomSnapshot {
  room: { id: string; title: string };
  /** The chapter as ProseMirror JSON (structure, block ids, footnote numbers). */
  chapter: unknown;
  projection: TextProjection;
  annotations: SnapshotAnnotation[];
  dismissed: DismissedEntry[];
  /** Stored entries left out because they do not have the shape of an annotation or reply. */
  skipped: number;
}

/** Options every exporter takes: where IRIs point and when the export was made. */
export interface ExportOptions {
  /** Origin the server is published at, e.g. `https://apparatus.example`; IRIs are built on it. */
  baseUrl: string;
  /** ISO 8601 time of the export, passed in so exports are reproducible. */
  exportedAt: string;
}

/** What a room snapshot is read from. */
export interface RoomSnapshotSource {
  room: { id: string; title: string };
  /** The chapter as ProseMirror JSON, as y-prosemirror reads it from the text document. */
  chapter: unknown;
  textDoc: Y.Doc;
  annotationsDoc: Y.Doc;
}

/**
 * Reads a room for export: the projection of the text document, every annotation with its
 * replies (oldest first) and its anchor resolved against the current text, and the dismissed
 * suggestions. Annotations come in reading order (orphans last), ties broken by creation
 * time and id, so that two exports of the same state are identical.
 *
 * Records are read with `Y.Map#toJSON` and checked only for the shape the exporters rely on:
 * the server validates every update before storing it, and revalidating 10,000 annotations
 * field by field would take most of the export's time budget. Entries of the wrong shape are
 * left out and counted in `skipped`. Annotations are then read through `normalizeAnnotation`
 * (cheap: a few comparisons), so an export shows a record that concurrent writes left
 * inconsistent exactly as `readAnnotation` and the editor show it.
 */
export function readRoomSnapshot(source: RoomSnapshotSource): RoomSnapshot {
  const { textDoc, annotationsDoc } = source;
  const projection = projectYDoc(textDoc);
  const annotations = readRecords<Annotation>(annotationsMap(annotationsDoc), isAnnotationShaped, normalizeAnnotation, decodeStoredAnnotation);
  const replies = readRecords<Reply>(repliesMap(annotationsDoc), isReplyShaped, (reply) => reply, (_id, record) => ({ ok: true, value: record }));
  const repliesByParent = new Map<string, Reply[]>();
  for (const reply of replies.records) {
    const thread = repliesByParent.get(reply.annotationId) ?? [];
    thread.push(reply);
    repliesByParent.set(reply.annotationId, thread);
  }
  const resolutions = resolveAnchors(textDoc, annotations.records);
  const entries = annotations.records.map((annotation): SnapshotAnnotation => {
    const { state, start, end } = resolutions.get(annotation.id)!;
    const thread = (repliesByParent.get(annotation.id) ?? []).sort(byCreatedThenId);
    return { annotation, replies: thread, resolved: { state, start, end } };
  });
  entries.sort(compareReadingOrder);
  return {
    room: { ...source.room },
    chapter: source.chapter,
    projection,
    annotations: entries,
    dismissed: listDismissed(annotationsDoc),
    skipped: annotations.skipped + replies.skipped,
  };
}

/**
 * The records of a map of Y.Maps whose shape passes `check`, each unpacked by `decode` (the
 * stored layout) and read by `read`, and how many did not pass.
 */
function readRecords<T extends { id: string }>(
  map: Y.Map<Y.Map<unknown>>,
  check: (value: Record<string, unknown>) => boolean,
  read: (record: T) => T,
  decode: (id: string, stored: Record<string, unknown>) => ValidationResult<Record<string, unknown>>,
): { records: T[]; skipped: number } {
  const records: T[] = [];
  let skipped = 0;
  for (const [id, yRecord] of map.entries()) {
    const decoded = typeof yRecord?.toJSON === 'function' ? decode(id, yRecord.toJSON() as Record<string, unknown>) : null;
    const record = decoded?.ok ? decoded.value : null;
    if (record && record.id === id && check(record)) records.push(read(record as unknown as T));
    else skipped++;
  }
  return { records, skipped };
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The fields the exporters and anchor resolution read, with the types they assume. */
function isAnnotationShaped(a: Record<string, unknown>): boolean {
  const anchor = a.anchor;
  if (!isObject(anchor) || !isObject(anchor.start) || !isObject(anchor.end) || !isObject(anchor.quote) || !isObject(anchor.position)) return false;
  const quote = anchor.quote;
  return (
    [a.kind, a.status, a.note, a.authorId, a.authorName, a.created, a.modified, quote.exact, quote.prefix, quote.suffix].every(isString) &&
    Array.isArray(a.footnotes) && a.footnotes.every(Number.isSafeInteger) &&
    Array.isArray(a.related) && a.related.every((link) => isObject(link) && isString(link.id) && isString(link.relation)) &&
    [a.claimStatus, a.problemType, a.correction].every((v) => v === null || isString(v)) &&
    (a.applied === null || (isObject(a.applied) && isString(a.applied.original)))
  );
}

function isReplyShaped(r: Record<string, unknown>): boolean {
  return [r.annotationId, r.authorId, r.authorName, r.body, r.created, r.modified].every(isString);
}

function compareReadingOrder(a: SnapshotAnnotation, b: SnapshotAnnotation): number {
  const startA = a.resolved.start ?? Number.POSITIVE_INFINITY;
  const startB = b.resolved.start ?? Number.POSITIVE_INFINITY;
  if (startA !== startB) return startA < startB ? -1 : 1;
  return byCreatedThenId(a.annotation, b.annotation);
}
