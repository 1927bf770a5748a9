import type * as Y from 'yjs';
import { BlockTable } from '../../anchoring/block-table.ts';
import { createAnchorFromTextRange } from '../../anchoring/create-anchor.ts';
import { resolveAnchor } from '../../anchoring/resolve.ts';
import { annotationsMap, annotationToYMap, dismissedMap, repliesMap, replyToYMap } from '../../annotations/layout.ts';
import type { Actor, Anchor, Annotation, Reply } from '../../annotations/model.ts';
import { AnnotationOrigin } from '../../annotations/origin.ts';
import { validateAnnotation, validateReply } from '../../annotations/validation.ts';
import { anchorImport } from './anchor.ts';
import type { ImportFormat, ImportItem, ImportPlan, ImportRefusal, ImportReply } from './plan.ts';
import { importProvenance } from './provenance.ts';
import { projectYDoc, TEXT_FRAGMENT_NAME } from '../../chapter/y-text-projection.ts';

/** Who imports, when, and whether to write. */
export interface ApplyImportOptions {
  /** The importing owner: the author of record of everything imported. */
  actor: Actor;
  /** The import time (ISO 8601): `created`/`modified` of everything imported. */
  now: string;
  /** Check and report only; write nothing. */
  dryRun: boolean;
  /**
   * Write in transactions of at most this many records (annotations first, then replies, then
   * dismissals), so that a large import yields updates a server can apply a slice at a time;
   * default: everything in one transaction.
   */
  chunkSize?: number;
}

/** What an import did, or would do (dry run), or why it did nothing. */
export interface AnnotationImportReport {
  format: ImportFormat;
  dryRun: boolean;
  /** Annotations written (or, in a dry run or a refused import, that would have been). */
  imported: number;
  /** Annotations skipped because the room already has their id (imports are idempotent). */
  skipped: number;
  replies: { imported: number; skipped: number };
  /** Dismissed assistant findings added, and already dismissed here. */
  dismissed: { imported: number; skipped: number };
  /** Why items were refused; when not empty, nothing was written. */
  refused: ImportRefusal[];
}

/** The annotations and replies an import will write. */
interface ImportWrites {
  annotations: Annotation[];
  replies: Reply[];
  dismissed: string[];
  skipped: number;
  skippedReplies: number;
}

/**
 * Applies an import plan to a room, all or nothing: anchors every new annotation in the
 * room's text (quote, then position), builds its record with the importing owner as author
 * and the file's authorship as provenance, validates it with the model, and — only when no
 * item was refused and this is not a dry run — writes everything in one transaction on the
 * annotation document (origin: AnnotationOrigin 'create' for the owner). Annotations and
 * replies whose id the room already has are skipped, so importing twice equals importing once.
 */
export function applyImport(plan: ImportPlan, textDoc: Y.Doc, annotationsDoc: Y.Doc, options: ApplyImportOptions): AnnotationImportReport {
  const refused = [...plan.refused];
  const writes = planWrites(plan, textDoc, annotationsDoc, options, refused);
  refused.sort((a, b) => a.index - b.index);
  const report: AnnotationImportReport = {
    format: plan.format,
    dryRun: options.dryRun,
    imported: writes.annotations.length,
    skipped: writes.skipped,
    replies: { imported: writes.replies.length, skipped: writes.skippedReplies },
    dismissed: { imported: writes.dismissed.length, skipped: plan.dismissed.length - writes.dismissed.length },
    refused,
  };
  const changes = writes.annotations.length + writes.replies.length + writes.dismissed.length;
  if (refused.length === 0 && !options.dryRun && changes > 0) writeAll(writes, annotationsDoc, options);
  return report;
}

/** Phase 3: the writes, in one transaction or in transactions of `options.chunkSize` records. */
function writeAll(writes: ImportWrites, annotationsDoc: Y.Doc, options: ApplyImportOptions): void {
  const yAnnotations = annotationsMap(annotationsDoc);
  const yReplies = repliesMap(annotationsDoc);
  const yDismissed = dismissedMap(annotationsDoc);
  const steps: (() => void)[] = [
    ...writes.annotations.map((annotation) => () => yAnnotations.set(annotation.id, annotationToYMap(annotation))),
    ...writes.replies.map((reply) => () => yReplies.set(reply.id, replyToYMap(reply))),
    ...writes.dismissed.map((id) => () => yDismissed.set(id, { by: options.actor.userId, at: options.now })),
  ];
  const size = options.chunkSize !== undefined && options.chunkSize > 0 ? options.chunkSize : steps.length;
  for (let start = 0; start < steps.length; start += size) {
    annotationsDoc.transact(() => {
      for (const step of steps.slice(start, start + size)) step();
    }, new AnnotationOrigin('create', options.actor.userId));
  }
}

/** Phase 1: decide, item by item, what to skip, what to write and what to refuse. */
function planWrites(plan: ImportPlan, textDoc: Y.Doc, annotationsDoc: Y.Doc, options: ApplyImportOptions, refused: ImportRefusal[]): ImportWrites {
  const existing = annotationsMap(annotationsDoc);
  const alreadyDismissed = dismissedMap(annotationsDoc);
  const room = roomViewOf(textDoc, new Set([...existing.keys(), ...plan.items.map((item) => item.id)]));
  const writes: ImportWrites = { annotations: [], replies: [], dismissed: plan.dismissed.filter((id) => !alreadyDismissed.has(id)), skipped: 0, skippedReplies: 0 };
  const addReplies = (replies: ImportReply[], parentId: string, index: number) => planReplies(replies, parentId, index, repliesMap(annotationsDoc), options, writes, refused);
  for (const item of plan.items) {
    // An annotation the room already has is skipped; replies new to its thread are still added.
    const record = existing.has(item.id) ? null : buildRecord(item, plan.format, room, options);
    if (record === null) writes.skipped++;
    else if (typeof record === 'string') refused.push({ index: item.index, id: item.sourceId, reason: record });
    else writes.annotations.push(record);
    if (typeof record !== 'string') addReplies(item.replies, item.id, item.index);
  }
  for (const reply of plan.repliesToExisting) {
    if (!existing.has(reply.parentId)) refused.push({ index: reply.index, id: reply.sourceId, reason: `reply: this room has no annotation ${reply.parentId}` });
    else addReplies([reply], reply.parentId, reply.index);
  }
  return writes;
}

/** The replies of one thread: skipped when the room has their id, else built and checked. */
function planReplies(replies: ImportReply[], parentId: string, index: number, existing: { has(id: string): boolean }, options: ApplyImportOptions, writes: ImportWrites, refused: ImportRefusal[]): void {
  for (const reply of replies) {
    if (existing.has(reply.id)) {
      writes.skippedReplies++;
      continue;
    }
    const built = buildReply(reply, parentId, options);
    if (typeof built === 'string') refused.push({ index, id: reply.sourceId, reason: built });
    else writes.replies.push(built);
  }
}

function roomViewOf(textDoc: Y.Doc, known: ReadonlySet<string>): RoomView {
  const projection = projectYDoc(textDoc);
  return {
    textDoc,
    table: new BlockTable(textDoc.getXmlFragment(TEXT_FRAGMENT_NAME)),
    footnoteNumbers: new Set(projection.blocks.filter((b) => b.type === 'footnote').map((b) => b.n!)),
    known,
  };
}

/** What building a record needs to know about the room. */
interface RoomView {
  textDoc: Y.Doc;
  table: BlockTable;
  footnoteNumbers: ReadonlySet<number>;
  /** Ids of annotations that exist in the room or come with this import. */
  known: ReadonlySet<string>;
}

/** Phase 2: one annotation's record, or why it cannot be imported. */
function buildRecord(item: ImportItem, format: ImportFormat, room: RoomView, options: ApplyImportOptions): Annotation | string {
  const anchor = anchorFor(item, room);
  if (typeof anchor === 'string') return anchor;
  const missing = item.related.find((link) => !room.known.has(link.id));
  if (missing) return `related: annotation ${missing.id} is neither in this import nor in this room`;
  const { actor, now } = options;
  const open = item.status === 'open';
  const record: Annotation = {
    id: item.id,
    kind: item.kind,
    claimStatus: item.claimStatus,
    problemType: item.problemType,
    footnotes: item.footnotes,
    note: item.note,
    correction: item.correction,
    status: item.status,
    statusBy: open ? null : actor.userId,
    statusByName: open ? null : actor.name,
    statusAt: open ? null : now,
    authorId: actor.userId,
    authorName: actor.name,
    created: now,
    modified: now,
    related: item.related,
    anchor,
    provenance: importProvenance(item, format, actor, now),
    applied: item.applied && { original: item.applied.original, by: actor.userId, at: now },
    v: 1,
  };
  const checked = validateAnnotation(record, { footnoteNumbers: room.footnoteNumbers });
  return checked.ok ? checked.value : checked.errors.join('; ');
}

/**
 * The anchor of an imported annotation: found by its selectors in this room's text, keeping
 * a native record's own quote, creation position and occurrence count (so an annotation that
 * was degraded stays degraded). An orphan keeps its stored anchor, which must not point
 * into this room's text.
 */
function anchorFor(item: ImportItem, room: RoomView): Anchor | string {
  if (item.selectors === null) {
    if (item.storedAnchor === null) return 'no selectors to anchor by';
    const state = resolveAnchor(room.textDoc, item.storedAnchor, room.table).state;
    if (state === 'anchored' || state === 'degraded') return `an orphaned annotation's stored positions point into this room's text (${state})`;
    return item.storedAnchor;
  }
  const found = anchorImport(room.table.fullText(), item.selectors);
  if (!found.ok) return found.error;
  const created = createAnchorFromTextRange(room.table, found.value);
  if (!created.ok) return created.error;
  if (item.storedAnchor === null) return created.value;
  const { quote, position, occurrences } = item.storedAnchor;
  return { ...created.value, quote, position, occurrences };
}

function buildReply(reply: ImportReply, annotationId: string, options: ApplyImportOptions): Reply | string {
  const { actor, now } = options;
  const record: Reply = { id: reply.id, annotationId, authorId: actor.userId, authorName: actor.name, body: reply.body, created: now, modified: now };
  const checked = validateReply(record);
  return checked.ok ? checked.value : `reply ${reply.sourceId}: ${checked.errors.join('; ')}`;
}
