import * as Y from 'yjs';
import {
  addReply,
  ANNOTATION_STATUS_FIELDS,
  annotationsMap,
  can,
  canEditAnnotation,
  canSetStatus,
  createAnnotation,
  deleteAnnotation,
  deleteReply,
  dismissedMap,
  dismissSuggestion,
  editReply,
  FIXED_ANNOTATION_FIELDS,
  fieldsOfStoredKeys,
  linkFootnote,
  readAnnotation,
  readReply,
  reanchorAnnotation,
  relateAnnotation,
  repliesMap,
  setAnnotationStatus,
  unlinkFootnote,
  unrelateAnnotation,
  updateAnnotation,
  validateDismissal,
} from '../../schema/index.ts';
import type { Actor, Annotation, AnnotationChanges, OperationContext, Role, ValidationResult } from '../../schema/index.ts';

/**
 * Replaying a user's unsaved annotation work onto a copy of the server's annotation document,
 * at the level of annotations rather than Yjs updates. Used after the server refused one of the
 * user's changes: Yjs updates from one client are sequential, so every later update depends
 * on the refused one and is refused too; re-making the work through the schema's operations
 * (on a fresh document, under a fresh client id) lets the valid part through.
 *
 * What counts as the user's unsaved work is read from the Yjs items themselves: entries and
 * fields written under one of the user's own client ids (`ownClients`) at clocks the server
 * has not stored, plus entries the local document deleted although the server still has them.
 * Everything the role table (`room/roles.ts`) or the schema's validation would refuse is skipped
 * and reported instead.
 */

/** What replaying needs: who acts, with which role, and which Yjs clients are this browser's. */
export interface ReplayOptions {
  actor: Actor;
  role: Role;
  /** Client ids of this browser's unconfirmed changes (`RoomConnection.unsavedAnnotationClients`). */
  ownClients: ReadonlySet<number>;
  /** The chapter's footnote numbers: links to any other footnote are refused, as the server does. */
  footnoteNumbers?: ReadonlySet<number>;
  /** The clock stamped on the replayed changes; the current time by default. */
  now?: () => Date;
  /** Every user id that is the actor (their account's and guest identities it took in); default: the actor's. */
  identities?: ReadonlySet<string>;
}

/** One piece of local work that was not replayed, and why. */
export interface DroppedChange {
  what: string;
  reason: string;
}

/** What a replay did: descriptions of the changes re-made, and those dropped. */
export interface ReplayReport {
  replayed: string[];
  dropped: DroppedChange[];
}

/** The transaction origin of a replay (one transaction, so the server gets one update). */
export class LocalWorkReplayOrigin {
  /** Who the replay acts for. */
  constructor(readonly userId: string) {}
}

const FIXED_FIELDS: ReadonlySet<string> = new Set(FIXED_ANNOTATION_FIELDS);
const CONTENT_FIELDS = ['note', 'correction', 'kind', 'claimStatus', 'problemType'] as const;

/** Which local items the server lacks and which of them are this browser's. */
class UnsavedWork {
  private readonly serverVector: Map<number, number>;
  private readonly localVector: Map<number, number>;

  constructor(localDoc: Y.Doc, serverDoc: Y.Doc, private readonly ownClients: ReadonlySet<number>) {
    this.serverVector = Y.decodeStateVector(Y.encodeStateVector(serverDoc));
    this.localVector = Y.decodeStateVector(Y.encodeStateVector(localDoc));
  }

  /** Whether an item was written by this browser and is not stored on the server. */
  isOwnUnsaved(item: Y.Item | null | undefined): boolean {
    if (!item) return false;
    const { client, clock } = item.id;
    return this.ownClients.has(client) && clock >= (this.serverVector.get(client) ?? 0);
  }

  /** Whether the local document has seen an item of the server's (so its absence is a local deletion). */
  seenLocally(item: Y.Item | null | undefined): boolean {
    return !!item && (this.localVector.get(item.id.client) ?? 0) > item.id.clock;
  }

  /** The fields of an entry whose current value this browser wrote and the server lacks. */
  touchedFields(entry: Y.Map<unknown>): Set<string> {
    const touched = new Set<string>();
    for (const [field, item] of entry._map) if (!item.deleted && this.isOwnUnsaved(item)) touched.add(field);
    return touched;
  }
}

/** A short, readable name of an annotation for the report. */
function describeAnnotation(annotation: Pick<Annotation, 'anchor'> | null, id: string): string {
  const quote = annotation?.anchor.quote.exact;
  if (!quote) return `annotation ${id}`;
  return `annotation on “${quote.length > 60 ? `${quote.slice(0, 57)}…` : quote}”`;
}

function errorsOf(result: ValidationResult<unknown>): string | null {
  return result.ok ? null : result.errors.join('; ');
}

/** Runs one replay over the two documents, collecting the report. */
class Replay {
  readonly report: ReplayReport = { replayed: [], dropped: [] };
  private readonly context: OperationContext;
  private readonly work: UnsavedWork;

  constructor(
    private readonly localDoc: Y.Doc,
    private readonly serverDoc: Y.Doc,
    private readonly options: ReplayOptions,
  ) {
    this.work = new UnsavedWork(localDoc, serverDoc, options.ownClients);
    const validation = options.footnoteNumbers ? { footnoteNumbers: options.footnoteNumbers } : {};
    this.context = { actor: options.actor, now: options.now ?? (() => new Date()), validation };
  }

  private get me(): string {
    return this.options.actor.userId;
  }

  /** Whether something written under `authorId` is the actor's own (under any of their ids). */
  private isMine(authorId: unknown): boolean {
    return authorId === this.me || (typeof authorId === 'string' && (this.options.identities?.has(authorId) ?? false));
  }

  /** "an annotator", "a reviewer": the role as the reasons name it. */
  private get aRole(): string {
    return `${/^[aeiou]/.test(this.options.role) ? 'an' : 'a'} ${this.options.role}`;
  }

  /** Records the outcome of one operation; returns whether it succeeded. */
  private outcome(what: string, result: ValidationResult<unknown>): boolean {
    const errors = errorsOf(result);
    if (errors) this.report.dropped.push({ what, reason: errors });
    else this.report.replayed.push(what);
    return errors === null;
  }

  private drop(what: string, reason: string): void {
    this.report.dropped.push({ what, reason });
  }

  // --- annotations ---------------------------------------------------------------------

  /** Phase 1: annotations created or changed locally; phase 3 (deletions) runs last. */
  annotations(): void {
    const local = annotationsMap(this.localDoc);
    const server = annotationsMap(this.serverDoc);
    for (const [id, yLocal] of local.entries()) {
      const createdHere = this.work.isOwnUnsaved(local._map.get(id));
      if (!server.has(id)) {
        if (createdHere) this.recreateAnnotation(id, yLocal);
        continue;
      }
      // Stored keys of either layout, as the annotation fields they hold (`made` holds the author, `span` the anchor).
      const fields = fieldsOfStoredKeys(createdHere ? yLocal.keys() : this.work.touchedFields(yLocal));
      if (fields.size > 0) this.replayAnnotationFields(id, yLocal, fields);
    }
  }

  private recreateAnnotation(id: string, yLocal: Y.Map<unknown>): void {
    const read = readAnnotation(yLocal);
    if (!read.ok) return this.drop(`annotation ${id}`, `it is not a valid annotation (${read.errors.join('; ')})`);
    const a = read.value;
    const what = describeAnnotation(a, id);
    if (a.authorId !== this.me) return this.drop(what, 'it names another user as its author');
    if (!can(this.options.role, 'annotate')) return this.drop(what, `${this.aRole} cannot annotate`);
    const { kind, claimStatus, problemType, footnotes, note, correction, related, anchor, provenance } = a;
    // Authorship and times are stamped afresh by the operation, from this session and clock.
    const input = { id, kind, claimStatus, problemType, footnotes, note, correction, related, anchor, provenance };
    if (!this.outcome(what, createAnnotation(this.serverDoc, input, this.context))) return;
    if (a.status !== 'open') this.replayStatus(a, true);
  }

  private replayAnnotationFields(id: string, yLocal: Y.Map<unknown>, fields: Set<string>): void {
    const local = readAnnotation(yLocal);
    const server = readAnnotation(annotationsMap(this.serverDoc).get(id)!);
    if (!local.ok || !server.ok) return this.drop(`annotation ${id}`, 'it is not a valid annotation');
    const what = describeAnnotation(local.value, id);
    const own = this.isMine(server.value.authorId);
    const fixed = [...fields].filter((f) => FIXED_FIELDS.has(f) && JSON.stringify(local.value[f as keyof Annotation]) !== JSON.stringify(server.value[f as keyof Annotation]));
    if (fixed.length > 0) this.drop(what, `its ${fixed.join(', ')} cannot change`);
    const edits = this.editsOf(local.value, server.value, fields);
    if (edits.length > 0 && !canEditAnnotation(this.options.role, own)) this.drop(what, `${this.aRole} may not edit another user's annotation`);
    else for (const edit of edits) this.outcome(what, edit());
    const statusTouched = ANNOTATION_STATUS_FIELDS.some((f) => fields.has(f));
    if (statusTouched && local.value.status !== server.value.status && local.value.statusBy === this.me) this.replayStatus(local.value, own);
  }

  /** The content edits that turn the server's record into the local one, as operations to run. */
  private editsOf(local: Annotation, server: Annotation, fields: Set<string>): Array<() => ValidationResult<unknown>> {
    const { serverDoc: doc, context } = this;
    const edits: Array<() => ValidationResult<unknown>> = [];
    const changes: AnnotationChanges = {};
    for (const f of CONTENT_FIELDS) if (fields.has(f) && local[f] !== server[f]) (changes as Record<string, unknown>)[f] = local[f];
    if (Object.keys(changes).length > 0) edits.push(() => updateAnnotation(doc, local.id, changes, context));
    if (fields.has('footnotes')) {
      for (const n of local.footnotes.filter((n) => !server.footnotes.includes(n))) edits.push(() => linkFootnote(doc, local.id, n, context));
      for (const n of server.footnotes.filter((n) => !local.footnotes.includes(n))) edits.push(() => unlinkFootnote(doc, local.id, n, context));
    }
    if (fields.has('related')) {
      const has = (list: Annotation['related'], l: Annotation['related'][number]) => list.some((r) => r.id === l.id && r.relation === l.relation);
      for (const link of local.related.filter((l) => !has(server.related, l))) edits.push(() => relateAnnotation(doc, local.id, link, context));
      for (const link of server.related.filter((l) => !has(local.related, l))) edits.push(() => unrelateAnnotation(doc, local.id, link, context));
    }
    if (fields.has('anchor') && JSON.stringify(local.anchor) !== JSON.stringify(server.anchor)) edits.push(() => reanchorAnnotation(doc, local.id, local.anchor, context));
    return edits;
  }

  private replayStatus(local: Annotation, own: boolean): void {
    const what = `${local.status === 'open' ? 'reopening' : 'status change'} of ${describeAnnotation(local, local.id)}`;
    if (local.status === 'applied') return this.drop(what, 'an applied correction is not replayed; apply it again');
    if (!canSetStatus(this.options.role, own)) return this.drop(what, `${this.aRole} may not change the status of another user's annotation`);
    this.outcome(what, setAnnotationStatus(this.serverDoc, local.id, local.status, this.context));
  }

  /** Phase 3: annotations deleted locally that the server still has. */
  annotationDeletions(): void {
    const local = annotationsMap(this.localDoc);
    const server = annotationsMap(this.serverDoc);
    for (const [id, yServer] of [...server.entries()]) {
      if (local.has(id) || !this.work.seenLocally(server._map.get(id))) continue;
      const read = readAnnotation(yServer);
      const what = `deletion of ${describeAnnotation(read.ok ? read.value : null, id)}`;
      if (!canEditAnnotation(this.options.role, read.ok && this.isMine(read.value.authorId))) this.drop(what, `${this.aRole} may not delete another user's annotation`);
      else this.outcome(what, deleteAnnotation(this.serverDoc, id, this.context));
    }
  }

  // --- replies and dismissals ----------------------------------------------------------

  /** Phase 2: replies written, edited or deleted locally. */
  replies(): void {
    const local = repliesMap(this.localDoc);
    const server = repliesMap(this.serverDoc);
    for (const [id, yLocal] of local.entries()) {
      const createdHere = this.work.isOwnUnsaved(local._map.get(id));
      if (!server.has(id)) {
        if (createdHere) this.recreateReply(id, yLocal);
      } else if (this.work.touchedFields(yLocal).has('body')) this.replayReplyEdit(id, yLocal);
    }
    for (const [id, yServer] of [...server.entries()]) {
      if (local.has(id) || !this.work.seenLocally(server._map.get(id))) continue;
      const own = this.isMine(yServer.get('authorId'));
      if (!canEditAnnotation(this.options.role, own)) this.drop('deletion of a reply', `${this.aRole} may not delete another user's reply`);
      else this.outcome('deletion of a reply', deleteReply(this.serverDoc, id, this.context));
    }
  }

  private recreateReply(id: string, yLocal: Y.Map<unknown>): void {
    const read = readReply(yLocal);
    if (!read.ok) return this.drop(`reply ${id}`, `it is not a valid reply (${read.errors.join('; ')})`);
    const reply = read.value;
    const what = `reply “${reply.body.length > 40 ? `${reply.body.slice(0, 37)}…` : reply.body}”`;
    if (reply.authorId !== this.me) return this.drop(what, 'it names another user as its author');
    if (!can(this.options.role, 'reply')) return this.drop(what, `${this.aRole} cannot reply`);
    if (!annotationsMap(this.serverDoc).has(reply.annotationId)) return this.drop(what, 'its annotation no longer exists');
    this.outcome(what, addReply(this.serverDoc, { id, annotationId: reply.annotationId, body: reply.body }, this.context));
  }

  private replayReplyEdit(id: string, yLocal: Y.Map<unknown>): void {
    const read = readReply(yLocal);
    if (!read.ok) return this.drop(`reply ${id}`, 'it is not a valid reply');
    const what = 'edit of a reply';
    if (!canEditAnnotation(this.options.role, this.isMine(repliesMap(this.serverDoc).get(id)!.get('authorId')))) return this.drop(what, `${this.aRole} may not edit another user's reply`);
    this.outcome(what, editReply(this.serverDoc, id, read.value.body, this.context));
  }

  /** Phase 2b: suggestions dismissed locally. */
  dismissals(): void {
    const local = dismissedMap(this.localDoc);
    const server = dismissedMap(this.serverDoc);
    for (const [id, value] of local.entries()) {
      if (server.has(id) || !this.work.isOwnUnsaved(local._map.get(id))) continue;
      const read = validateDismissal(id, value);
      const what = 'dismissal of a suggestion';
      if (!read.ok) this.drop(what, `it is not valid (${read.errors.join('; ')})`);
      else if (read.value.by !== this.me) this.drop(what, 'it names another user');
      else if (!can(this.options.role, 'annotate')) this.drop(what, `${this.aRole} cannot dismiss suggestions`);
      else this.outcome(what, dismissSuggestion(this.serverDoc, id, this.context));
    }
  }
}

/**
 * Re-makes the user's unsaved annotation work of `localDoc` in `serverDoc` (a fresh copy of
 * the server's annotation document) through the schema's operations, in one transaction:
 * annotations they created, fields they changed, statuses they set, replies they wrote or
 * edited, suggestions they dismissed, and deletions. Work the role table or validation would
 * refuse is left out and listed in the report. `localDoc` is only read.
 */
export function replayLocalWork(localDoc: Y.Doc, serverDoc: Y.Doc, options: ReplayOptions): ReplayReport {
  if (localDoc === serverDoc) throw new RangeError('replayLocalWork needs two different documents');
  const replay = new Replay(localDoc, serverDoc, options);
  serverDoc.transact(() => {
    replay.annotations();
    replay.replies();
    replay.dismissals();
    replay.annotationDeletions();
  }, new LocalWorkReplayOrigin(options.actor.userId));
  return replay.report;
}
