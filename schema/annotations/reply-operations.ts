import type * as Y from 'yjs';
import { newReplyId } from './model.ts';
import type { Dismissal, Reply, ValidationResult } from './model.ts';
import { annotationsMap, dismissedMap, readReply, repliesMap, replyToYMap, writeFields } from './layout.ts';
import { checkActor, timestamp } from './operation-context.ts';
import type { OperationContext } from './operation-context.ts';
import { AnnotationOrigin } from './origin.ts';
import { validateDismissal, validateReply } from './validation.ts';

/**
 * Operations on reply threads and on dismissed assistant suggestions. Replies live in their
 * own map, so replying never writes into another person's annotation. Same conventions as
 * `annotations/operations.ts`: validated, one transaction with a typed origin, expected
 * failures returned as `{ok: false, errors}`.
 */

/** What a caller supplies to reply. */
export interface NewReply {
  /** A chosen id (imports, tests); a fresh random one when absent. */
  id?: string;
  annotationId: string;
  body: string;
}

/** Adds a reply by the context's actor to an existing annotation. */
export function addReply(ydoc: Y.Doc, input: NewReply, context: OperationContext): ValidationResult<Reply> {
  checkActor(context);
  if (!annotationsMap(ydoc).has(input.annotationId)) return { ok: false, errors: [`annotation ${input.annotationId} does not exist`] };
  const id = input.id ?? newReplyId();
  if (repliesMap(ydoc).has(id)) return { ok: false, errors: [`reply ${id} already exists`] };
  const now = timestamp(context);
  const reply: Reply = {
    id,
    annotationId: input.annotationId,
    authorId: context.actor.userId,
    authorName: context.actor.name,
    body: input.body,
    created: now,
    modified: now,
  };
  const valid = validateReply(reply);
  if (!valid.ok) return valid;
  ydoc.transact(() => repliesMap(ydoc).set(id, replyToYMap(reply)), new AnnotationOrigin('add-reply', context.actor.userId));
  return { ok: true, value: reply };
}

/** Replaces a reply's body and stamps `modified`. */
export function editReply(ydoc: Y.Doc, replyId: string, body: string, context: OperationContext): ValidationResult<Reply> {
  checkActor(context);
  const yReply = repliesMap(ydoc).get(replyId);
  if (yReply === undefined) return { ok: false, errors: [`reply ${replyId} does not exist`] };
  const current = readReply(yReply);
  if (!current.ok) return current;
  const next: Reply = { ...current.value, body, modified: timestamp(context) };
  const valid = validateReply(next);
  if (!valid.ok) return valid;
  ydoc.transact(() => writeFields(yReply, { body: next.body, modified: next.modified }), new AnnotationOrigin('edit-reply', context.actor.userId));
  return { ok: true, value: next };
}

/** Deletes a reply. */
export function deleteReply(ydoc: Y.Doc, replyId: string, context: OperationContext): ValidationResult<{ id: string }> {
  checkActor(context);
  const replies = repliesMap(ydoc);
  if (!replies.has(replyId)) return { ok: false, errors: [`reply ${replyId} does not exist`] };
  ydoc.transact(() => replies.delete(replyId), new AnnotationOrigin('delete-reply', context.actor.userId));
  return { ok: true, value: { id: replyId } };
}

/** Dismisses an assistant finding for the whole room. Dismissing it again keeps the first record. */
export function dismissSuggestion(ydoc: Y.Doc, findingId: string, context: OperationContext): ValidationResult<Dismissal> {
  checkActor(context);
  const dismissed = dismissedMap(ydoc);
  const existing = dismissed.get(findingId);
  if (existing !== undefined) return validateDismissal(findingId, existing);
  const entry: Dismissal = { by: context.actor.userId, at: timestamp(context) };
  const valid = validateDismissal(findingId, entry);
  if (!valid.ok) return valid;
  ydoc.transact(() => dismissed.set(findingId, entry), new AnnotationOrigin('dismiss-suggestion', context.actor.userId));
  return { ok: true, value: entry };
}

/**
 * Undoes a dismissal, offering the finding to the room again. Who may is the role table's
 * `canEditAnnotation` (the one who dismissed it, or the owner), checked by the caller and the server.
 */
export function restoreSuggestion(ydoc: Y.Doc, findingId: string, context: OperationContext): ValidationResult<{ id: string }> {
  checkActor(context);
  const dismissed = dismissedMap(ydoc);
  if (!dismissed.has(findingId)) return { ok: false, errors: [`suggestion ${findingId} is not dismissed`] };
  ydoc.transact(() => dismissed.delete(findingId), new AnnotationOrigin('restore-suggestion', context.actor.userId));
  return { ok: true, value: { id: findingId } };
}
