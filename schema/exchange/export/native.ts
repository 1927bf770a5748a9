import type { Annotation, Reply } from '../../annotations/model.ts';
import type { DismissedEntry, ExportOptions, ResolvedRange, RoomSnapshot, SnapshotAnnotation } from './snapshot.ts';
import { GENERATOR } from './w3c.ts';
import { NATIVE_FORMAT, NATIVE_SCHEMA_ID, NATIVE_VERSION } from './native-schema.ts';
import { sha256Hex } from '../sha256.ts';

/** One block of the chapter as listed in a native export. */
export interface NativeBlock {
  id: string | null;
  type: 'heading' | 'paragraph' | 'footnote';
  /** Footnote number for footnotes, heading level for headings, otherwise null. */
  n: number | null;
  /** UTF-16 offsets of the block's text in `chapter.text`. */
  start: number;
  end: number;
}

/** An annotation in a native export: the stored record, its thread and where it lies now. */
export interface NativeAnnotation extends Annotation {
  replies: Reply[];
  /** The anchor resolved against `chapter.text` at export time. */
  resolved: ResolvedRange;
}

/**
 * The native annotated JSON document (version 1): the chapter and everything every
 * annotation holds. Described by NATIVE_EXPORT_SCHEMA; re-importable without loss.
 */
export interface NativeExport {
  $schema: typeof NATIVE_SCHEMA_ID;
  format: typeof NATIVE_FORMAT;
  version: typeof NATIVE_VERSION;
  generator: { id: string; type: string; name: string };
  exported: string;
  room: { id: string; title: string };
  chapter: {
    /** The chapter as ProseMirror JSON in the schema of chapter/chapter-schema.ts. */
    doc: unknown;
    /** The plain-text projection all offsets and quotes refer to. */
    text: string;
    /** Lowercase hex SHA-256 of the UTF-8 bytes of `text`: the text version. */
    textSha256: string;
    offsetUnit: 'utf-16';
    blocks: NativeBlock[];
  };
  annotations: NativeAnnotation[];
  dismissed: DismissedEntry[];
}

/**
 * Exports a room as native annotated JSON. The result is plain data; serialise it with
 * JSON.stringify. Annotation and reply records are copied field by field, unchanged.
 */
export function exportNative(snapshot: RoomSnapshot, options: ExportOptions): NativeExport {
  const { text, blocks } = snapshot.projection;
  return {
    $schema: NATIVE_SCHEMA_ID,
    format: NATIVE_FORMAT,
    version: NATIVE_VERSION,
    generator: { ...GENERATOR },
    exported: options.exportedAt,
    room: { id: snapshot.room.id, title: snapshot.room.title },
    chapter: {
      doc: snapshot.chapter,
      text,
      textSha256: sha256Hex(text),
      offsetUnit: 'utf-16',
      blocks: blocks.map(({ id, type, n, start, end }) => ({ id, type, n, start, end })),
    },
    annotations: snapshot.annotations.map(nativeAnnotation),
    dismissed: snapshot.dismissed.map((entry) => ({ ...entry })),
  };
}

/**
 * One annotation, field by field in the layout's order (a literal, not a spread: records read
 * from Y.Maps are dictionary-mode objects, and spreading 10,000 of them dominated the export).
 */
function nativeAnnotation({ annotation: a, replies, resolved }: SnapshotAnnotation): NativeAnnotation {
  return {
    id: a.id,
    kind: a.kind,
    claimStatus: a.claimStatus,
    problemType: a.problemType,
    footnotes: a.footnotes,
    note: a.note,
    correction: a.correction,
    status: a.status,
    statusBy: a.statusBy,
    statusByName: a.statusByName,
    statusAt: a.statusAt,
    authorId: a.authorId,
    authorName: a.authorName,
    created: a.created,
    modified: a.modified,
    related: a.related,
    anchor: a.anchor,
    provenance: a.provenance,
    applied: a.applied,
    v: a.v,
    replies: replies.map((r) => ({ id: r.id, annotationId: r.annotationId, authorId: r.authorId, authorName: r.authorName, body: r.body, created: r.created, modified: r.modified })),
    resolved: { state: resolved.state, start: resolved.start, end: resolved.end },
  };
}
