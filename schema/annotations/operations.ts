import type * as Y from 'yjs';
import { ANNOTATION_ID_PATTERN, ANNOTATION_LAYOUT_VERSION, newAnnotationId } from './model.ts';
import type { Anchor, Annotation, Provenance, RelatedLink, ValidationResult } from './model.ts';
import { annotationToYMap, annotationsMap, readAnnotationById, repliesMap, writeAnnotationRecord } from './layout.ts';
import { checkActor, timestamp } from './operation-context.ts';
import type { OperationContext } from './operation-context.ts';
import { AnnotationOrigin } from './origin.ts';
import type { AnnotationOperation } from './origin.ts';
import { validateAnnotation } from './validation.ts';
import type { AnnotationKind, AnnotationStatus, ClaimStatus, ProblemType } from './vocabulary.ts';

/**
 * Operations on annotations. Each one reads the stored annotation (normalised, as every reader
 * reads it: `annotations/normalization.ts`), computes the new one, validates it whole, and
 * writes only the changed fields (the status fields as a group) in one
 * `transact(fn, new AnnotationOrigin(operation, userId))`. Expected failures (a missing
 * annotation, an invalid value, a status that does not fit the kind) come back as
 * `{ok: false, errors}` and write nothing. Permission checks are the caller's (room/roles.ts).
 *
 * Concurrency: fields are last-writer-wins per field, so concurrent edits of different
 * fields merge; `footnotes` and `related` are whole-array values, and two concurrent link
 * changes to the same annotation keep one of them. Fields that merged into a combination no
 * single writer made (a problem with a claim status) are read by the rules of
 * `normalizeAnnotation`, and the next operation on the annotation stores that reading.
 */

/** What a caller supplies to create an annotation; everything else is stamped. */
export interface NewAnnotation {
  /** A chosen id (imports, tests); a fresh random one when absent. */
  id?: string;
  kind: AnnotationKind;
  claimStatus?: ClaimStatus | null;
  problemType?: ProblemType | null;
  footnotes?: number[];
  note?: string;
  correction?: string | null;
  related?: RelatedLink[];
  anchor: Anchor;
  provenance?: Provenance | null;
}

/** The fields `updateAnnotation` may change. */
export interface AnnotationChanges {
  note?: string;
  correction?: string | null;
  kind?: AnnotationKind;
  claimStatus?: ClaimStatus | null;
  problemType?: ProblemType | null;
  /** The whole list of linked footnotes; newly linked ones must exist when the context lists footnotes. */
  footnotes?: readonly number[];
}

function sortedUnique(numbers: readonly number[]): number[] {
  return [...new Set(numbers)].sort((a, b) => a - b);
}

/**
 * Writes the fields of `next` that differ from what is stored, in one transaction with a typed
 * origin, in the record's own layout; the status fields go together (`ANNOTATION_STATUS_FIELDS`). Stored fields that a
 * merge left inconsistent differ from the normalised `next` and are written too, so the record
 * is stored in the form everyone reads it in.
 */
export function writeAnnotation(ydoc: Y.Doc, next: Annotation, operation: AnnotationOperation, context: OperationContext): void {
  const yAnnotation = annotationsMap(ydoc).get(next.id);
  if (yAnnotation === undefined) throw new RangeError(`annotation ${next.id} does not exist`);
  ydoc.transact(() => writeAnnotationRecord(yAnnotation, next), new AnnotationOrigin(operation, context.actor.userId));
}

/**
 * The shared shape of every update: read, change, stamp `modified`, validate, write. `change`
 * returns the new annotation or the reasons it cannot be made.
 */
export function changeAnnotation(
  ydoc: Y.Doc,
  id: string,
  operation: AnnotationOperation,
  context: OperationContext,
  change: (current: Annotation, now: string) => Annotation | string[],
): ValidationResult<Annotation> {
  checkActor(context);
  const current = readAnnotationById(ydoc, id);
  if (!current.ok) return current;
  const now = timestamp(context);
  const changed = change(current.value, now);
  if (Array.isArray(changed)) return { ok: false, errors: changed };
  const next: Annotation = { ...changed, modified: now };
  // Footnote existence is checked when links are made; later edits must not fail because
  // the chapter changed underneath an old link.
  const checkFootnotes = operation === 'link-footnote';
  const valid = validateAnnotation(next, checkFootnotes ? (context.validation ?? {}) : {});
  if (!valid.ok) return valid;
  writeAnnotation(ydoc, next, operation, context);
  return { ok: true, value: next };
}

function newAnnotationRecord(id: string, input: NewAnnotation, context: OperationContext, now: string): Annotation {
  return {
    id,
    kind: input.kind,
    claimStatus: input.claimStatus ?? null,
    problemType: input.problemType ?? null,
    footnotes: sortedUnique(input.footnotes ?? []),
    note: input.note ?? '',
    correction: input.correction ?? null,
    status: 'open',
    statusBy: null,
    statusByName: null,
    statusAt: null,
    authorId: context.actor.userId,
    authorName: context.actor.name,
    created: now,
    modified: now,
    related: input.related ?? [],
    anchor: input.anchor,
    provenance: input.provenance ?? null,
    applied: null,
    v: ANNOTATION_LAYOUT_VERSION,
  };
}

/** Creates an annotation authored by the context's actor. Returns it, or why it is invalid. */
export function createAnnotation(ydoc: Y.Doc, input: NewAnnotation, context: OperationContext): ValidationResult<Annotation> {
  checkActor(context);
  const id = input.id ?? newAnnotationId();
  if (annotationsMap(ydoc).has(id)) return { ok: false, errors: [`annotation ${id} already exists`] };
  const annotation = newAnnotationRecord(id, input, context, timestamp(context));
  const valid = validateAnnotation(annotation, context.validation ?? {});
  if (!valid.ok) return valid;
  ydoc.transact(() => annotationsMap(ydoc).set(id, annotationToYMap(annotation)), new AnnotationOrigin('create', context.actor.userId));
  return { ok: true, value: annotation };
}

/**
 * Updates the note, correction, kind, claim status, problem type or linked footnotes, all in
 * one write: either every change is made or, when any is invalid, none. Changing the kind
 * clears the fields the new kind does not have (claim status, problem type, correction) unless
 * the change sets them.
 */
export function updateAnnotation(ydoc: Y.Doc, id: string, changes: AnnotationChanges, context: OperationContext): ValidationResult<Annotation> {
  return changeAnnotation(ydoc, id, 'update', context, (current) => {
    const next: Annotation = { ...current };
    if (changes.footnotes !== undefined) {
      next.footnotes = sortedUnique(changes.footnotes);
      // Only links made now must exist: an old link survives its footnote leaving the chapter.
      const known = context.validation?.footnoteNumbers;
      const missing = known ? next.footnotes.filter((n) => !current.footnotes.includes(n) && !known.has(n)) : [];
      if (missing.length > 0) return missing.map((n) => `footnotes: the chapter has no footnote ${n}`);
    }
    if (changes.kind !== undefined && changes.kind !== current.kind) {
      next.kind = changes.kind;
      if (changes.kind !== 'claim') next.claimStatus = null;
      if (changes.kind !== 'problem') {
        next.problemType = null;
        next.correction = null;
      }
    }
    for (const key of ['note', 'correction', 'claimStatus', 'problemType'] as const) {
      if (changes[key] !== undefined) (next as unknown as Record<string, unknown>)[key] = changes[key];
    }
    return next;
  });
}

/** Links footnote `n` (which must exist in the chapter when the context lists footnotes). */
export function linkFootnote(ydoc: Y.Doc, id: string, n: number, context: OperationContext): ValidationResult<Annotation> {
  return changeAnnotation(ydoc, id, 'link-footnote', context, (current) => ({ ...current, footnotes: sortedUnique([...current.footnotes, n]) }));
}

/** Unlinks footnote `n`; unlinking a footnote that is not linked is an error. */
export function unlinkFootnote(ydoc: Y.Doc, id: string, n: number, context: OperationContext): ValidationResult<Annotation> {
  return changeAnnotation(ydoc, id, 'unlink-footnote', context, (current) =>
    current.footnotes.includes(n) ? { ...current, footnotes: current.footnotes.filter((f) => f !== n) } : [`footnote ${n} is not linked`],
  );
}

function withStatus(current: Annotation, status: AnnotationStatus, now: string, context: OperationContext): Annotation {
  return { ...current, status, statusBy: context.actor.userId, statusByName: context.actor.name, statusAt: now };
}

/**
 * Sets the status to open, resolved or rejected. `applied` is set only by `applyCorrection`,
 * and an applied problem cannot change status again: its correction is in the text.
 */
export function setAnnotationStatus(ydoc: Y.Doc, id: string, status: Exclude<AnnotationStatus, 'applied'>, context: OperationContext): ValidationResult<Annotation> {
  if ((status as AnnotationStatus) === 'applied') throw new RangeError('the applied status is set by applyCorrection');
  return changeAnnotation(ydoc, id, 'set-status', context, (current, now) => {
    if (current.status === 'applied') return [`annotation ${id} is applied; its status cannot change`];
    if (status === 'rejected' && current.kind !== 'problem') return ['only problems can be rejected'];
    return withStatus(current, status, now, context);
  });
}

/** Resolves a thread (any kind): status `resolved`. */
export function resolveAnnotation(ydoc: Y.Doc, id: string, context: OperationContext): ValidationResult<Annotation> {
  return setAnnotationStatus(ydoc, id, 'resolved', context);
}

/** Reopens a resolved or rejected annotation: status `open`. */
export function reopenAnnotation(ydoc: Y.Doc, id: string, context: OperationContext): ValidationResult<Annotation> {
  return setAnnotationStatus(ydoc, id, 'open', context);
}

/** Accepts a problem (it is real; its correction may be applied): status `resolved`. */
export function acceptProblem(ydoc: Y.Doc, id: string, context: OperationContext): ValidationResult<Annotation> {
  const current = readAnnotationById(ydoc, id);
  if (current.ok && current.value.kind !== 'problem') return { ok: false, errors: ['only problems can be accepted'] };
  return setAnnotationStatus(ydoc, id, 'resolved', context);
}

/** Rejects a problem (it is not one): status `rejected`. */
export function rejectProblem(ydoc: Y.Doc, id: string, context: OperationContext): ValidationResult<Annotation> {
  return setAnnotationStatus(ydoc, id, 'rejected', context);
}

/** Adds a link to another existing annotation (e.g. `duplicate-of` its original). */
export function relateAnnotation(ydoc: Y.Doc, id: string, link: RelatedLink, context: OperationContext): ValidationResult<Annotation> {
  if (typeof link.id !== 'string' || !ANNOTATION_ID_PATTERN.test(link.id)) return { ok: false, errors: ['related id: not an annotation id'] };
  if (!annotationsMap(ydoc).has(link.id)) return { ok: false, errors: [`annotation ${link.id} does not exist`] };
  return changeAnnotation(ydoc, id, 'relate', context, (current) =>
    current.related.some((r) => r.id === link.id && r.relation === link.relation)
      ? [`annotation ${id} is already ${link.relation} ${link.id}`]
      : { ...current, related: [...current.related, { id: link.id, relation: link.relation }] },
  );
}

/** Removes a link to another annotation; removing a link that does not exist is an error. */
export function unrelateAnnotation(ydoc: Y.Doc, id: string, link: RelatedLink, context: OperationContext): ValidationResult<Annotation> {
  return changeAnnotation(ydoc, id, 'unrelate', context, (current) => {
    const related = current.related.filter((r) => !(r.id === link.id && r.relation === link.relation));
    return related.length === current.related.length ? [`annotation ${id} has no ${link.relation} link to ${link.id}`] : { ...current, related };
  });
}

/** Writes fresh anchor positions (e.g. for a relocated annotation); the quote may be retaken. */
export function reanchorAnnotation(ydoc: Y.Doc, id: string, anchor: Anchor, context: OperationContext): ValidationResult<Annotation> {
  return changeAnnotation(ydoc, id, 'reanchor', context, (current) => ({ ...current, anchor }));
}

/**
 * Deletes an annotation and every reply in its thread, in one transaction. Links from other
 * annotations are left alone (they belong to other authors); readers ignore links to
 * missing annotations. Returns the ids of the deleted replies.
 */
export function deleteAnnotation(ydoc: Y.Doc, id: string, context: OperationContext): ValidationResult<{ replies: string[] }> {
  checkActor(context);
  const annotations = annotationsMap(ydoc);
  if (!annotations.has(id)) return { ok: false, errors: [`annotation ${id} does not exist`] };
  const replies = repliesMap(ydoc);
  const thread = [...replies.entries()].filter(([, yReply]) => yReply?.get?.('annotationId') === id).map(([replyId]) => replyId);
  ydoc.transact(() => {
    annotations.delete(id);
    for (const replyId of thread) replies.delete(replyId);
  }, new AnnotationOrigin('delete', context.actor.userId));
  return { ok: true, value: { replies: thread } };
}
