import * as Y from 'yjs';
import { can, canEditAnnotation, canSetStatus, validateAnnotation, validateDismissal, validateReply } from '../../schema/index.ts';
import type { Role } from '../../schema/index.ts';
import type { CreatedEntry, EntryEffect, FieldChange } from './annotation-update-effects.ts';

/**
 * The role table (`schema/roles.ts`) applied to the effects of one update on the annotation
 * document. Authorship is stamped from the session: whatever an update creates must name the
 * session's user as author, and whatever status change it makes must name the session's user
 * as the one who made it. The first violation found refuses the whole update.
 */

/** Who sends the update, from the server's records. */
export interface UpdateActor {
  userId: string;
  role: Role;
  /** Display names the user may stamp: the session's, and the one chosen since it began. */
  names: ReadonlySet<string>;
}

/** The fields that record a status change; `canSetStatus` governs them. */
const STATUS_FIELDS: ReadonlySet<string> = new Set(['status', 'statusBy', 'statusByName', 'statusAt']);
/** Fields nobody changes once an entry exists: identity and authorship. */
const FIXED_ANNOTATION_FIELDS: ReadonlySet<string> = new Set(['id', 'authorId', 'authorName', 'created', 'v']);
const FIXED_REPLY_FIELDS: ReadonlySet<string> = new Set(['id', 'annotationId', 'authorId', 'authorName', 'created']);

type Record_ = Record<string, unknown>;

function quoted(key: string): string {
  return JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key);
}

/** A Y.Map's fields as a plain record (values are plain JSON in this layout). */
function plainFields(value: unknown): Record_ | undefined {
  if (!(value instanceof Y.Map)) return undefined;
  const record: Record_ = {};
  for (const [key, field] of value.entries()) record[key] = field;
  return record;
}

function firstErrors(errors: string[]): string {
  return errors.slice(0, 3).join('; ');
}

/** Applies field changes to a record; returns the new record and the names of fields that changed. */
function applyChanges(before: Record_, changes: ReadonlyMap<string, FieldChange>): { next: Record_; changed: string[] } {
  const next: Record_ = { ...before };
  const changed: string[] = [];
  for (const [field, change] of changes) {
    if (change.deleted) {
      if (Object.hasOwn(next, field)) changed.push(field);
      delete next[field];
    } else if (JSON.stringify(next[field]) !== JSON.stringify(change.value)) {
      next[field] = change.value;
      changed.push(field);
    }
  }
  return { next, changed };
}

/** Refuses a record whose authorship is not the sender's. */
function authorshipProblem(what: string, record: Record_, actor: UpdateActor): string | null {
  if (record.authorId !== actor.userId) return `${what}: authorId must be your user id (${actor.userId}); authorship is stamped from your session`;
  if (!actor.names.has(record.authorName as string)) return `${what}: authorName must be your display name`;
  return null;
}

/** Refuses a status stamp (or an applied correction) the sender may not make in their own name. */
function statusStampProblem(what: string, next: Record_, actor: UpdateActor): string | null {
  if (next.statusBy !== actor.userId || !actor.names.has(next.statusByName as string)) {
    return `${what}: a status change must be stamped with your own user id and name`;
  }
  return null;
}

function appliedProblem(what: string, next: Record_, actor: UpdateActor): string | null {
  if (!can(actor.role, 'apply-correction')) return `${what}: only the owner applies corrections`;
  const applied = next.applied as { by?: unknown } | null;
  if (applied !== null && applied?.by !== actor.userId) return `${what}: applied.by must be your user id`;
  return null;
}

/* --- annotations --- */

function checkCreatedAnnotation(key: string, created: CreatedEntry, actor: UpdateActor): string | null {
  const what = `annotation ${quoted(key)}`;
  if (!can(actor.role, 'annotate')) return `a ${actor.role} cannot create annotations`;
  const record = Object.fromEntries(created.fields);
  const valid = validateAnnotation(record);
  if (!valid.ok) return `${what} is invalid: ${firstErrors(valid.errors)}`;
  if (record.id !== key) return `${what}: its id field must equal its key`;
  const authorship = authorshipProblem(what, record, actor);
  if (authorship) return authorship;
  if (record.status !== 'open' || record.statusBy !== null) {
    const stamp = statusStampProblem(what, record, actor);
    if (stamp) return stamp;
  }
  if (record.status === 'applied' || record.applied !== null) return appliedProblem(what, record, actor);
  return null;
}

function checkAnnotationChange(key: string, before: Record_, changes: ReadonlyMap<string, FieldChange>, actor: UpdateActor): string | null {
  const what = `annotation ${quoted(key)}`;
  const { next, changed } = applyChanges(before, changes);
  if (changed.length === 0) return null;
  const fixed = changed.filter((field) => FIXED_ANNOTATION_FIELDS.has(field));
  if (fixed.length > 0) return `${what}: ${fixed.join(', ')} cannot change`;
  const own = before.authorId === actor.userId;
  const content = changed.filter((field) => !STATUS_FIELDS.has(field) && field !== 'modified' && field !== 'applied');
  if (content.length > 0 && !canEditAnnotation(actor.role, own)) return `${what}: a ${actor.role} may not edit ${content.join(', ')} of another user's annotation`;
  const statusChanged = changed.some((field) => STATUS_FIELDS.has(field));
  if (statusChanged) {
    if (!canSetStatus(actor.role, own)) return `${what}: a ${actor.role} may not change the status of another user's annotation`;
    const stamp = statusStampProblem(what, next, actor);
    if (stamp) return stamp;
  }
  if (changed.includes('applied') || (next.status === 'applied' && before.status !== 'applied')) {
    const applied = appliedProblem(what, next, actor);
    if (applied) return applied;
  }
  if (content.length === 0 && !statusChanged && !canEditAnnotation(actor.role, own) && !canSetStatus(actor.role, own)) {
    return `${what}: a ${actor.role} may not change another user's annotation`;
  }
  const valid = validateAnnotation(next);
  return valid.ok ? null : `${what} would be invalid: ${firstErrors(valid.errors)}`;
}

function checkAnnotationEffect(effect: EntryEffect, actor: UpdateActor): string | null {
  const before = plainFields(effect.before);
  const own = before?.authorId === actor.userId;
  if (effect.removesBefore && effect.before !== undefined && !canEditAnnotation(actor.role, own)) {
    return `annotation ${quoted(effect.key)}: a ${actor.role} may not delete another user's annotation`;
  }
  return checkCreatedAndChanged(effect, actor, checkCreatedAnnotation, (b, c) => checkAnnotationChange(effect.key, b, c, actor), before);
}

/* --- replies --- */

function checkCreatedReply(key: string, created: CreatedEntry, actor: UpdateActor): string | null {
  const what = `reply ${quoted(key)}`;
  if (!can(actor.role, 'reply')) return `a ${actor.role} cannot reply`;
  const record = Object.fromEntries(created.fields);
  const valid = validateReply(record);
  if (!valid.ok) return `${what} is invalid: ${firstErrors(valid.errors)}`;
  if (record.id !== key) return `${what}: its id field must equal its key`;
  return authorshipProblem(what, record, actor);
}

function checkReplyChange(key: string, before: Record_, changes: ReadonlyMap<string, FieldChange>, actor: UpdateActor): string | null {
  const what = `reply ${quoted(key)}`;
  const { next, changed } = applyChanges(before, changes);
  if (changed.length === 0) return null;
  const fixed = changed.filter((field) => FIXED_REPLY_FIELDS.has(field));
  if (fixed.length > 0) return `${what}: ${fixed.join(', ')} cannot change`;
  if (!canEditAnnotation(actor.role, before.authorId === actor.userId)) return `${what}: a ${actor.role} may not edit another user's reply`;
  const valid = validateReply(next);
  return valid.ok ? null : `${what} would be invalid: ${firstErrors(valid.errors)}`;
}

function checkReplyEffect(effect: EntryEffect, actor: UpdateActor, removedAnnotations: ReadonlySet<string>): string | null {
  const before = plainFields(effect.before);
  if (effect.removesBefore && effect.before !== undefined) {
    const own = before?.authorId === actor.userId;
    // Deleting an annotation deletes its whole thread, whoever wrote the replies.
    const threadGoes = typeof before?.annotationId === 'string' && removedAnnotations.has(before.annotationId);
    if (!canEditAnnotation(actor.role, own) && !threadGoes) return `reply ${quoted(effect.key)}: a ${actor.role} may not delete another user's reply`;
  }
  return checkCreatedAndChanged(effect, actor, checkCreatedReply, (b, c) => checkReplyChange(effect.key, b, c, actor), before);
}

/* --- dismissals --- */

function checkDismissalEffect(effect: EntryEffect, actor: UpdateActor): string | null {
  const what = `dismissal ${quoted(effect.key)}`;
  if (effect.removesBefore && effect.before !== undefined) {
    const own = (effect.before as { by?: unknown } | null)?.by === actor.userId;
    if (!canEditAnnotation(actor.role, own)) return `${what}: a ${actor.role} may not undo another user's dismissal`;
  }
  for (const created of effect.created) {
    if (created.removedByUpdate) continue;
    if (!can(actor.role, 'annotate')) return `a ${actor.role} cannot dismiss suggestions`;
    const valid = validateDismissal(effect.key, created.value);
    if (!valid.ok) return `${what} is invalid: ${firstErrors(valid.errors)}`;
    if (valid.value.by !== actor.userId) return `${what}: by must be your user id; it is stamped from your session`;
  }
  return null;
}

/* --- shared shape --- */

function checkCreatedAndChanged(
  effect: EntryEffect,
  actor: UpdateActor,
  checkCreated: (key: string, created: CreatedEntry, actor: UpdateActor) => string | null,
  checkChange: (before: Record_, changes: ReadonlyMap<string, FieldChange>) => string | null,
  before: Record_ | undefined,
): string | null {
  const live = effect.created.filter((created) => !created.removedByUpdate);
  if (live.length > 1) return `${effect.root} ${quoted(effect.key)}: written twice in one update`;
  for (const created of live) {
    const problem = checkCreated(effect.key, created, actor);
    if (problem) return problem;
  }
  // Field writes into an entry the update also removes change nothing anyone can see.
  if (effect.fieldChanges.size === 0 || effect.removesBefore) return null;
  if (!before) return `${effect.root} ${quoted(effect.key)}: fields written into something that is not an entry map`;
  return checkChange(before, effect.fieldChanges);
}

/**
 * Checks every effect of an update against the role table and the layout's validation.
 * Returns null when the update may be stored, else the reason it is refused (naming the entry).
 */
export function checkEntryEffects(effects: readonly EntryEffect[], actor: UpdateActor): string | null {
  const removedAnnotations = new Set(effects.filter((e) => e.root === 'annotations' && e.removesBefore && e.before !== undefined).map((e) => e.key));
  for (const effect of effects) {
    const problem =
      effect.root === 'annotations'
        ? checkAnnotationEffect(effect, actor)
        : effect.root === 'replies'
          ? checkReplyEffect(effect, actor, removedAnnotations)
          : checkDismissalEffect(effect, actor);
    if (problem) return problem;
  }
  return null;
}
