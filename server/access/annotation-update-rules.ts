import * as Y from 'yjs';
import {
  ANNOTATION_STATUS_FIELDS,
  can,
  canEditAnnotation,
  canSetStatus,
  decodeStoredAnnotation,
  FIXED_ANNOTATION_FIELDS,
  FIXED_REPLY_FIELDS,
  normalizeAnnotation,
  validateAnnotation,
  validateAnnotationFields,
  validateDismissal,
  validateReply,
} from '../../schema/index.ts';
import type { Role } from '../../schema/index.ts';
import type { CreatedEntry, EntryEffect, FieldChange } from './annotation-update-effects.ts';
import { footnoteLinkProblem, futureTimesProblem } from './update-fact-checks.ts';
import type { UpdateCheckContext } from './update-fact-checks.ts';

/**
 * The role table (`schema/room/roles.ts`) applied to the effects of one update on the annotation
 * document. Authorship is stamped from the session: whatever an update creates must name the
 * session's user as author, and whatever status change it makes must name the session's user
 * as the one who made it. Times may not lie in the server's future, and new footnote links
 * must name footnotes of the chapter (`update-fact-checks.ts`). The first violation found
 * refuses the whole update.
 *
 * A new annotation must be valid as a whole. A change to an existing one is judged on the
 * record as every reader reads it (`normalizeAnnotation`): concurrent writes can leave stored
 * fields that do not fit together, an edit made on top of such a record is legitimate, and an
 * operation that writes a field's normalised reading back changes nothing anyone sees.
 */

/** Who sends the update, from the server's records. */
export interface UpdateActor {
  /** The user id the sender writes under now: new entries and stamps must carry it. */
  userId: string;
  /**
   * Every user id that is the sender (their account's and the guest identities it took in):
   * what they wrote under any of them is their own. Absent: `userId` alone.
   */
  identities?: ReadonlySet<string>;
  role: Role;
  /** Display names the user may stamp: the session's, and the one chosen since it began. */
  names: ReadonlySet<string>;
}

/** The fields that record a status change; `canSetStatus` governs them. */
const STATUS_FIELDS: ReadonlySet<string> = new Set(ANNOTATION_STATUS_FIELDS);
/** Fields nobody changes once an entry exists: identity and authorship. */
const FIXED_ANNOTATION: ReadonlySet<string> = new Set(FIXED_ANNOTATION_FIELDS);
const FIXED_REPLY: ReadonlySet<string> = new Set(FIXED_REPLY_FIELDS);
/** The times a client writes into an annotation, checked against the server's clock. */
const ANNOTATION_TIMES = ['created', 'modified', 'statusAt', 'applied.at'] as const;
const REPLY_TIMES = ['created', 'modified'] as const;

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

/** Whether something written under `authorId` is the sender's own. */
function isOwn(actor: UpdateActor, authorId: unknown): boolean {
  return typeof authorId === 'string' && (authorId === actor.userId || (actor.identities?.has(authorId) ?? false));
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

/** The fields whose value differs between two records. */
function differingFields(before: Record_, next: Record_): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(next)]);
  return [...names].filter((field) => JSON.stringify(before[field]) !== JSON.stringify(next[field]));
}

function checkCreatedAnnotation(key: string, created: CreatedEntry, actor: UpdateActor, context: UpdateCheckContext): string | null {
  const what = `annotation ${quoted(key)}`;
  if (!can(actor.role, 'annotate')) return `a ${actor.role} cannot create annotations`;
  const decoded = decodeStoredAnnotation(key, Object.fromEntries(created.fields));
  if (!decoded.ok) return `${what} is invalid: ${firstErrors(decoded.errors)}`;
  const record = decoded.value;
  const valid = validateAnnotation(record);
  if (!valid.ok) return `${what} is invalid: ${firstErrors(valid.errors)}`;
  if (record.id !== key) return `${what}: its id field must equal its key`;
  const authorship = authorshipProblem(what, record, actor);
  if (authorship) return authorship;
  if (record.status !== 'open' || record.statusBy !== null) {
    const stamp = statusStampProblem(what, record, actor);
    if (stamp) return stamp;
  }
  if (record.status === 'applied' || record.applied !== null) {
    const applied = appliedProblem(what, record, actor);
    if (applied) return applied;
  }
  return futureTimesProblem(what, record, ANNOTATION_TIMES, context) ?? footnoteLinkProblem(what, record.footnotes, [], context);
}

/** How a stored record reads (`normalizeAnnotation`); a record with a malformed field as it is. */
function readingOf(record: Record_): Record_ {
  const fields = validateAnnotationFields(record);
  return fields.ok ? (normalizeAnnotation(fields.value) as unknown as Record_) : record;
}

/** One change to an existing annotation, as the permission check sees it. */
interface AnnotationChange {
  what: string;
  /** The fields whose value changes from what they read as before. */
  changed: string[];
  /** The stored fields after the update, and the record before and after as readers read it. */
  next: Record_;
  was: Record_;
  reading: Record_;
  /** Whether the sender wrote the annotation. */
  own: boolean;
}

/** Who may make the changes: content edits, status changes, applied corrections. */
function annotationPermissionProblem({ what, changed, next, was, reading, own }: AnnotationChange, actor: UpdateActor): string | null {
  const content = changed.filter((field) => !STATUS_FIELDS.has(field) && field !== 'modified' && field !== 'applied');
  if (content.length > 0 && !canEditAnnotation(actor.role, own)) return `${what}: a ${actor.role} may not edit ${content.join(', ')} of another user's annotation`;
  const statusChanged = changed.some((field) => STATUS_FIELDS.has(field));
  if (statusChanged) {
    if (!canSetStatus(actor.role, own)) return `${what}: a ${actor.role} may not change the status of another user's annotation`;
    const stamp = statusStampProblem(what, next, actor);
    if (stamp) return stamp;
  }
  const becomesApplied = (next.status === 'applied' || reading.status === 'applied') && was.status !== 'applied';
  if (changed.includes('applied') || becomesApplied) {
    const applied = appliedProblem(what, next, actor);
    if (applied) return applied;
  }
  if (content.length === 0 && !statusChanged && !canEditAnnotation(actor.role, own) && !canSetStatus(actor.role, own)) {
    return `${what}: a ${actor.role} may not change another user's annotation`;
  }
  return null;
}

function checkAnnotationChange(key: string, beforeStored: Record_, changes: ReadonlyMap<string, FieldChange>, actor: UpdateActor, context: UpdateCheckContext): string | null {
  const what = `annotation ${quoted(key)}`;
  const { next: nextStored, changed: writtenKeys } = applyChanges(beforeStored, changes);
  if (writtenKeys.length === 0) return null;
  // The checks judge fields, whichever stored keys of either layout hold them.
  const decodedBefore = decodeStoredAnnotation(key, beforeStored);
  const decodedNext = decodeStoredAnnotation(key, nextStored);
  if (!decodedNext.ok) return `${what} would be invalid: ${firstErrors(decodedNext.errors)}`;
  const before = decodedBefore.ok ? decodedBefore.value : beforeStored;
  const next = decodedNext.value;
  const written = differingFields(before, next);
  if (written.length === 0) return null;
  const fixed = written.filter((field) => FIXED_ANNOTATION.has(field));
  if (fixed.length > 0) return `${what}: ${fixed.join(', ')} cannot change`;
  // Each field must be well-formed on its own, however the fields fit together.
  const fields = validateAnnotationFields(next);
  if (!fields.ok) return `${what} would be invalid: ${firstErrors(fields.errors)}`;
  // A write of the value a field already read as (an operation storing the normalised form of
  // a merged record) is no change; permissions and checks apply to what readers will see change.
  const was = readingOf(before);
  const changed = written.filter((field) => JSON.stringify(next[field]) !== JSON.stringify(was[field]));
  if (changed.length === 0) return null;
  const reading = normalizeAnnotation(fields.value) as unknown as Record_;
  const permission = annotationPermissionProblem({ what, changed, next, was, reading, own: isOwn(actor, before.authorId) }, actor);
  if (permission) return permission;
  const times = ANNOTATION_TIMES.filter((field) => changed.includes(field === 'applied.at' ? 'applied' : field));
  const fact = futureTimesProblem(what, next, times, context) ?? (changed.includes('footnotes') ? footnoteLinkProblem(what, next.footnotes, was.footnotes, context) : null);
  if (fact) return fact;
  // By construction the reading is consistent; checked anyway, as the record every reader gets.
  const valid = validateAnnotation(reading);
  return valid.ok ? null : `${what} would be invalid: ${firstErrors(valid.errors)}`;
}

function checkAnnotationEffect(effect: EntryEffect, actor: UpdateActor, context: UpdateCheckContext): string | null {
  const before = plainFields(effect.before);
  const beforeFields = before && decodeStoredAnnotation(effect.key, before);
  const own = beforeFields?.ok === true && isOwn(actor, beforeFields.value.authorId);
  if (effect.removesBefore && effect.before !== undefined && !canEditAnnotation(actor.role, own)) {
    return `annotation ${quoted(effect.key)}: a ${actor.role} may not delete another user's annotation`;
  }
  return checkCreatedAndChanged(
    effect,
    (key, created) => checkCreatedAnnotation(key, created, actor, context),
    (b, c) => checkAnnotationChange(effect.key, b, c, actor, context),
    before,
  );
}

/* --- replies --- */

function checkCreatedReply(key: string, created: CreatedEntry, actor: UpdateActor, context: UpdateCheckContext): string | null {
  const what = `reply ${quoted(key)}`;
  if (!can(actor.role, 'reply')) return `a ${actor.role} cannot reply`;
  const record = Object.fromEntries(created.fields);
  const valid = validateReply(record);
  if (!valid.ok) return `${what} is invalid: ${firstErrors(valid.errors)}`;
  if (record.id !== key) return `${what}: its id field must equal its key`;
  return authorshipProblem(what, record, actor) ?? futureTimesProblem(what, record, REPLY_TIMES, context);
}

function checkReplyChange(key: string, before: Record_, changes: ReadonlyMap<string, FieldChange>, actor: UpdateActor, context: UpdateCheckContext): string | null {
  const what = `reply ${quoted(key)}`;
  const { next, changed } = applyChanges(before, changes);
  if (changed.length === 0) return null;
  const fixed = changed.filter((field) => FIXED_REPLY.has(field));
  if (fixed.length > 0) return `${what}: ${fixed.join(', ')} cannot change`;
  if (!canEditAnnotation(actor.role, isOwn(actor, before.authorId))) return `${what}: a ${actor.role} may not edit another user's reply`;
  const valid = validateReply(next);
  if (!valid.ok) return `${what} would be invalid: ${firstErrors(valid.errors)}`;
  return futureTimesProblem(what, next, REPLY_TIMES.filter((field) => changed.includes(field)), context);
}

function checkReplyEffect(effect: EntryEffect, actor: UpdateActor, removedAnnotations: ReadonlySet<string>, context: UpdateCheckContext): string | null {
  const before = plainFields(effect.before);
  if (effect.removesBefore && effect.before !== undefined) {
    const own = isOwn(actor, before?.authorId);
    // Deleting an annotation deletes its whole thread, whoever wrote the replies.
    const threadGoes = typeof before?.annotationId === 'string' && removedAnnotations.has(before.annotationId);
    if (!canEditAnnotation(actor.role, own) && !threadGoes) return `reply ${quoted(effect.key)}: a ${actor.role} may not delete another user's reply`;
  }
  return checkCreatedAndChanged(
    effect,
    (key, created) => checkCreatedReply(key, created, actor, context),
    (b, c) => checkReplyChange(effect.key, b, c, actor, context),
    before,
  );
}

/* --- dismissals --- */

function checkDismissalEffect(effect: EntryEffect, actor: UpdateActor, context: UpdateCheckContext): string | null {
  const what = `dismissal ${quoted(effect.key)}`;
  if (effect.removesBefore && effect.before !== undefined) {
    const own = isOwn(actor, (effect.before as { by?: unknown } | null)?.by);
    if (!canEditAnnotation(actor.role, own)) return `${what}: a ${actor.role} may not undo another user's dismissal`;
  }
  for (const created of effect.created) {
    if (created.removedByUpdate) continue;
    if (!can(actor.role, 'annotate')) return `a ${actor.role} cannot dismiss suggestions`;
    const valid = validateDismissal(effect.key, created.value);
    if (!valid.ok) return `${what} is invalid: ${firstErrors(valid.errors)}`;
    if (valid.value.by !== actor.userId) return `${what}: by must be your user id; it is stamped from your session`;
    const time = futureTimesProblem(what, valid.value as unknown as Record_, ['at'], context);
    if (time) return time;
  }
  return null;
}

/* --- shared shape --- */

function checkCreatedAndChanged(
  effect: EntryEffect,
  checkCreated: (key: string, created: CreatedEntry) => string | null,
  checkChange: (before: Record_, changes: ReadonlyMap<string, FieldChange>) => string | null,
  before: Record_ | undefined,
): string | null {
  const live = effect.created.filter((created) => !created.removedByUpdate);
  if (live.length > 1) return `${effect.root} ${quoted(effect.key)}: written twice in one update`;
  for (const created of live) {
    const problem = checkCreated(effect.key, created);
    if (problem) return problem;
  }
  // Field writes into an entry the update also removes change nothing anyone can see.
  if (effect.fieldChanges.size === 0 || effect.removesBefore) return null;
  if (!before) return `${effect.root} ${quoted(effect.key)}: fields written into something that is not an entry map`;
  return checkChange(before, effect.fieldChanges);
}

/**
 * Checks every effect of an update against the role table, the layout's validation and what
 * the server knows (`context`: its clock, the room's footnotes). Returns null when the update
 * may be stored, else the reason it is refused (naming the entry).
 */
export function checkEntryEffects(effects: readonly EntryEffect[], actor: UpdateActor, context: UpdateCheckContext): string | null {
  const removedAnnotations = new Set(effects.filter((e) => e.root === 'annotations' && e.removesBefore && e.before !== undefined).map((e) => e.key));
  for (const effect of effects) {
    const problem =
      effect.root === 'annotations'
        ? checkAnnotationEffect(effect, actor, context)
        : effect.root === 'replies'
          ? checkReplyEffect(effect, actor, removedAnnotations, context)
          : checkDismissalEffect(effect, actor, context);
    if (problem) return problem;
  }
  return null;
}
