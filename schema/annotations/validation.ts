import {
  ANNOTATION_FIELDS,
  ANNOTATION_ID_PATTERN,
  ANNOTATION_LAYOUT_VERSION,
  LIMITS,
  REPLY_FIELDS,
  REPLY_ID_PATTERN,
} from './model.ts';
import type { Annotation, Dismissal, Reply, ValidationResult } from './model.ts';
import { isAnnotationKind, isAnnotationStatus, isClaimStatus, isProblemType, isRelationType } from './vocabulary.ts';

/**
 * Validation of untrusted annotation data (remote Yjs updates, imports, API bodies). Every
 * function returns every problem it finds, each message naming the field, so that a server
 * can reject an update with a precise reason and an importer can report each bad record.
 */

/** What validation needs to know about the chapter. */
export interface ValidationContext {
  /** The footnote numbers the chapter has; when given, linked footnotes must be among them. */
  footnoteNumbers?: ReadonlySet<number>;
}

type Errors = string[];
type Fields = Record<string, unknown>;

const isoTimePattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;
// C0/C1 controls and the bidirectional overrides/isolates that can disguise a name.
const unsafeInNamePattern = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const unsafeInIdPattern = /[\s\u0000-\u001f\u007f-\u009f]/;
const provenanceKeyPattern = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;

/** Whether `value` is an ISO 8601 date-time with seconds and a zone (`2024-05-01T12:00:00.000Z`). */
export function isIsoTime(value: unknown): value is string {
  return typeof value === 'string' && isoTimePattern.test(value) && !Number.isNaN(Date.parse(value));
}

/** Whether `value` is a plain object (not null, not an array). */
export function isPlainObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkString(errors: Errors, field: string, value: unknown, max: number, min = 0): value is string {
  if (typeof value !== 'string') {
    errors.push(`${field}: expected a string`);
    return false;
  }
  if (value.length > max) errors.push(`${field}: longer than ${max} characters`);
  if (value.length < min) errors.push(min === 1 ? `${field}: must not be empty` : `${field}: shorter than ${min} characters`);
  return true;
}

function checkName(errors: Errors, field: string, value: unknown): void {
  if (!checkString(errors, field, value, LIMITS.name, 1)) return;
  if (value.trim().length === 0) errors.push(`${field}: must not be blank`);
  if (unsafeInNamePattern.test(value)) errors.push(`${field}: contains control or bidirectional-override characters`);
}

function checkUserId(errors: Errors, field: string, value: unknown): void {
  if (!checkString(errors, field, value, LIMITS.userId, 1)) return;
  if (unsafeInIdPattern.test(value)) errors.push(`${field}: contains whitespace or control characters`);
}

function checkTime(errors: Errors, field: string, value: unknown): void {
  if (!isIsoTime(value)) errors.push(`${field}: expected an ISO 8601 date-time, got ${JSON.stringify(value)}`);
}

function checkFieldSet(errors: Errors, what: string, fields: Fields, allowed: readonly string[]): void {
  for (const key of Object.keys(fields)) {
    if (!allowed.includes(key)) errors.push(`${what}: unknown field ${JSON.stringify(key)}`);
  }
  for (const key of allowed) {
    if (!Object.hasOwn(fields, key)) errors.push(`${what}: missing field ${key}`);
  }
}

function checkIdSafe(errors: Errors, field: string, value: unknown): void {
  if (!checkString(errors, field, value, LIMITS.findingId, 1)) return;
  if (unsafeInIdPattern.test(value)) errors.push(`${field}: contains whitespace or control characters`);
}

/* --- the relative position and anchor --- */

function checkYId(errors: Errors, field: string, value: unknown): void {
  if (!isPlainObject(value)) {
    errors.push(`${field}: expected {client, clock}`);
    return;
  }
  for (const key of ['client', 'clock'] as const) {
    const n = value[key];
    if (!(Number.isSafeInteger(n) && (n as number) >= 0)) errors.push(`${field}.${key}: expected a non-negative integer`);
  }
  checkFieldSet(errors, field, value, ['client', 'clock']);
}

/** Checks a relative position in `Y.relativePositionToJSON` form; returns the problems found. */
export function relativePositionErrors(field: string, value: unknown): string[] {
  const errors: Errors = [];
  if (!isPlainObject(value)) return [`${field}: expected a relative position object`];
  for (const key of Object.keys(value)) {
    if (!['type', 'tname', 'item', 'assoc'].includes(key)) errors.push(`${field}: unknown field ${JSON.stringify(key)}`);
  }
  if (value.item === undefined && value.tname === undefined && value.type === undefined) errors.push(`${field}: needs item, tname or type`);
  if (value.item !== undefined) checkYId(errors, `${field}.item`, value.item);
  if (value.type !== undefined) checkYId(errors, `${field}.type`, value.type);
  if (value.tname !== undefined) checkString(errors, `${field}.tname`, value.tname, 200, 1);
  if (value.assoc !== undefined && !Number.isSafeInteger(value.assoc)) errors.push(`${field}.assoc: expected an integer`);
  return errors;
}

function checkQuote(errors: Errors, value: unknown): string | null {
  if (!isPlainObject(value)) {
    errors.push('anchor.quote: expected {exact, prefix, suffix}');
    return null;
  }
  checkFieldSet(errors, 'anchor.quote', value, ['exact', 'prefix', 'suffix']);
  checkString(errors, 'anchor.quote.prefix', value.prefix, LIMITS.quoteContext);
  checkString(errors, 'anchor.quote.suffix', value.suffix, LIMITS.quoteContext);
  return checkString(errors, 'anchor.quote.exact', value.exact, LIMITS.quote, 1) ? value.exact : null;
}

function checkPosition(errors: Errors, value: unknown, exact: string | null): void {
  if (!isPlainObject(value)) {
    errors.push('anchor.position: expected {start, end}');
    return;
  }
  checkFieldSet(errors, 'anchor.position', value, ['start', 'end']);
  const { start, end } = value;
  if (!(Number.isSafeInteger(start) && Number.isSafeInteger(end) && (start as number) >= 0 && (start as number) < (end as number))) {
    errors.push('anchor.position: expected integers 0 <= start < end');
  } else if (exact !== null && (end as number) - (start as number) !== exact.length) {
    errors.push('anchor.position: end - start must equal the length of anchor.quote.exact');
  }
}

/** Checks an anchor (positions, selectors, block id, occurrences); returns the problems found. */
export function anchorErrors(value: unknown): string[] {
  if (!isPlainObject(value)) return ['anchor: expected an object'];
  const errors: Errors = [];
  checkFieldSet(errors, 'anchor', value, ['start', 'end', 'quote', 'position', 'blockId', 'occurrences']);
  errors.push(...relativePositionErrors('anchor.start', value.start), ...relativePositionErrors('anchor.end', value.end));
  const exact = checkQuote(errors, value.quote);
  checkPosition(errors, value.position, exact);
  if (value.blockId !== null) checkString(errors, 'anchor.blockId', value.blockId, LIMITS.blockId, 1);
  if (!(Number.isSafeInteger(value.occurrences) && (value.occurrences as number) >= 0)) {
    errors.push('anchor.occurrences: expected a non-negative integer');
  }
  return errors;
}

/* --- the annotation's own fields --- */

// `strict` adds the cross-field rules (what a kind carries, what a status needs); without it
// each field is only checked on its own, which is what a record merged from concurrent writes
// can be held to before `normalizeAnnotation` makes it consistent again.
function checkClassification(errors: Errors, a: Fields, strict: boolean): void {
  if (!isAnnotationKind(a.kind)) errors.push(`kind: unknown kind ${JSON.stringify(a.kind)}`);
  if (strict) checkClassificationFitsKind(errors, a);
  else {
    if (a.claimStatus !== null && !isClaimStatus(a.claimStatus)) errors.push(`claimStatus: unknown claim status ${JSON.stringify(a.claimStatus)}`);
    if (a.problemType !== null && !isProblemType(a.problemType)) errors.push(`problemType: unknown problem type ${JSON.stringify(a.problemType)}`);
  }
  if (a.correction !== null) {
    checkString(errors, 'correction', a.correction, LIMITS.correction);
    if (strict && a.kind !== 'problem') errors.push('correction: only problems carry a proposed correction');
  }
  checkString(errors, 'note', a.note, LIMITS.note);
}

function checkClassificationFitsKind(errors: Errors, a: Fields): void {
  if (a.kind === 'claim') {
    if (!isClaimStatus(a.claimStatus)) errors.push(`claimStatus: a claim needs one of sourced, contested, interpretive`);
  } else if (a.claimStatus !== null) errors.push('claimStatus: only claims have a claim status; expected null');
  if (a.kind === 'problem') {
    if (!isProblemType(a.problemType)) errors.push(`problemType: a problem needs a problem type, got ${JSON.stringify(a.problemType)}`);
  } else if (a.problemType !== null) errors.push('problemType: only problems have a problem type; expected null');
}

function checkFootnotes(errors: Errors, value: unknown, context: ValidationContext): void {
  if (!Array.isArray(value)) {
    errors.push('footnotes: expected an array of footnote numbers');
    return;
  }
  if (value.length > LIMITS.footnotes) errors.push(`footnotes: more than ${LIMITS.footnotes} links`);
  value.forEach((n, i) => {
    if (!(Number.isSafeInteger(n) && n > 0)) errors.push(`footnotes[${i}]: expected a positive integer`);
    else if (i > 0 && !(n > value[i - 1])) errors.push('footnotes: must be ascending without duplicates');
    else if (context.footnoteNumbers && !context.footnoteNumbers.has(n)) errors.push(`footnotes: the chapter has no footnote ${n}`);
  });
}

function checkStatus(errors: Errors, a: Fields, strict: boolean): void {
  if (!isAnnotationStatus(a.status)) errors.push(`status: unknown status ${JSON.stringify(a.status)}`);
  if (strict) {
    if ((a.status === 'applied' || a.status === 'rejected') && a.kind !== 'problem') errors.push(`status: only problems can be ${a.status}`);
    if ((a.status === 'applied') !== (a.applied !== null)) errors.push('applied: present exactly when the status is applied');
  }
  const stamps = [a.statusBy, a.statusByName, a.statusAt];
  if (stamps.every((s) => s === null)) {
    if (strict && a.status !== 'open') errors.push('statusBy: a status other than open records who set it');
    return;
  }
  // Strictly the three stamps come together; field by field each may be null on its own.
  if (strict || a.statusBy !== null) checkUserId(errors, 'statusBy', a.statusBy);
  if (strict || a.statusByName !== null) checkName(errors, 'statusByName', a.statusByName);
  if (strict || a.statusAt !== null) checkTime(errors, 'statusAt', a.statusAt);
}

function checkRelated(errors: Errors, value: unknown, ownId: unknown): void {
  if (!Array.isArray(value)) {
    errors.push('related: expected an array of {id, relation}');
    return;
  }
  if (value.length > LIMITS.related) errors.push(`related: more than ${LIMITS.related} links`);
  const seen = new Set<string>();
  value.forEach((link, i) => {
    if (!isPlainObject(link)) return void errors.push(`related[${i}]: expected {id, relation}`);
    checkFieldSet(errors, `related[${i}]`, link, ['id', 'relation']);
    if (typeof link.id !== 'string' || !ANNOTATION_ID_PATTERN.test(link.id)) errors.push(`related[${i}].id: not an annotation id`);
    if (link.id === ownId) errors.push(`related[${i}].id: an annotation cannot relate to itself`);
    if (!isRelationType(link.relation)) errors.push(`related[${i}].relation: unknown relation ${JSON.stringify(link.relation)}`);
    const key = `${String(link.id)} ${String(link.relation)}`;
    if (seen.has(key)) errors.push(`related[${i}]: duplicate link`);
    seen.add(key);
  });
}

function checkProvenance(errors: Errors, value: unknown): void {
  if (value === null) return;
  if (!isPlainObject(value)) return void errors.push('provenance: expected null or an object');
  if (value.source !== 'import' && value.source !== 'assistant') errors.push('provenance.source: expected import or assistant');
  const keys = Object.keys(value);
  if (keys.length > LIMITS.provenanceKeys) errors.push(`provenance: more than ${LIMITS.provenanceKeys} fields`);
  for (const key of keys) {
    const v = value[key];
    if (!provenanceKeyPattern.test(key)) errors.push(`provenance: field name ${JSON.stringify(key.slice(0, 50))} is not allowed`);
    else if (typeof v === 'string') checkString(errors, `provenance.${key}`, v, LIMITS.provenanceValue);
    else if (!(v === null || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)))) {
      errors.push(`provenance.${key}: expected a string, number, boolean or null`);
    }
  }
}

function checkApplied(errors: Errors, value: unknown): void {
  if (value === null) return;
  if (!isPlainObject(value)) return void errors.push('applied: expected null or {original, by, at}');
  checkFieldSet(errors, 'applied', value, ['original', 'by', 'at']);
  checkString(errors, 'applied.original', value.original, LIMITS.quote);
  checkUserId(errors, 'applied.by', value.by);
  checkTime(errors, 'applied.at', value.at);
}

function annotationErrors(value: Fields, context: ValidationContext, strict: boolean): Errors {
  const errors: Errors = [];
  checkFieldSet(errors, 'annotation', value, ANNOTATION_FIELDS);
  if (typeof value.id !== 'string' || !ANNOTATION_ID_PATTERN.test(value.id)) errors.push(`id: ${JSON.stringify(value.id)} is not an annotation id (a- and 16 url-safe characters)`);
  checkClassification(errors, value, strict);
  checkFootnotes(errors, value.footnotes, context);
  checkStatus(errors, value, strict);
  checkUserId(errors, 'authorId', value.authorId);
  checkName(errors, 'authorName', value.authorName);
  checkTime(errors, 'created', value.created);
  checkTime(errors, 'modified', value.modified);
  checkRelated(errors, value.related, value.id);
  errors.push(...anchorErrors(value.anchor));
  checkProvenance(errors, value.provenance);
  checkApplied(errors, value.applied);
  if (value.v !== ANNOTATION_LAYOUT_VERSION) errors.push(`v: expected layout version ${ANNOTATION_LAYOUT_VERSION}`);
  return errors;
}

/**
 * Validates an annotation read from untrusted data, field by field and across fields (a claim
 * has a claim status, only problems are rejected or applied, …). Returns the annotation (the
 * same object, typed) or every problem found. Footnote links are checked against the chapter
 * when the context names its footnotes. This is the rule for a record written whole (a new
 * annotation, an import, the result of an operation).
 */
export function validateAnnotation(value: unknown, context: ValidationContext = {}): ValidationResult<Annotation> {
  if (!isPlainObject(value)) return { ok: false, errors: ['annotation: expected an object'] };
  const errors = annotationErrors(value, context, true);
  return errors.length === 0 ? { ok: true, value: value as unknown as Annotation } : { ok: false, errors };
}

/**
 * Validates each field of an annotation on its own: every value well-formed (a known kind, a
 * claim status that is null or a known one, status stamps each null or well-formed, …), but
 * not whether the fields fit together. Concurrent writes merged field by field (last writer
 * wins per field) can leave a record whose fields are each fine but do not fit together;
 * `normalizeAnnotation` (`annotations/normalization.ts`) reads such a record as a consistent
 * one. Returns the record (the same object, typed) or every problem found.
 */
export function validateAnnotationFields(value: unknown, context: ValidationContext = {}): ValidationResult<Annotation> {
  if (!isPlainObject(value)) return { ok: false, errors: ['annotation: expected an object'] };
  const errors = annotationErrors(value, context, false);
  return errors.length === 0 ? { ok: true, value: value as unknown as Annotation } : { ok: false, errors };
}

/** Validates a reply read from untrusted data. Returns the reply or every problem found. */
export function validateReply(value: unknown): ValidationResult<Reply> {
  if (!isPlainObject(value)) return { ok: false, errors: ['reply: expected an object'] };
  const errors: Errors = [];
  checkFieldSet(errors, 'reply', value, REPLY_FIELDS);
  if (typeof value.id !== 'string' || !REPLY_ID_PATTERN.test(value.id)) errors.push(`id: ${JSON.stringify(value.id)} is not a reply id (r- and 16 url-safe characters)`);
  if (typeof value.annotationId !== 'string' || !ANNOTATION_ID_PATTERN.test(value.annotationId)) errors.push('annotationId: not an annotation id');
  checkUserId(errors, 'authorId', value.authorId);
  checkName(errors, 'authorName', value.authorName);
  checkString(errors, 'body', value.body, LIMITS.replyBody, 1);
  checkTime(errors, 'created', value.created);
  checkTime(errors, 'modified', value.modified);
  return errors.length === 0 ? { ok: true, value: value as unknown as Reply } : { ok: false, errors };
}

/** Validates a dismissal entry and the finding id it is stored under. */
export function validateDismissal(findingId: unknown, value: unknown): ValidationResult<Dismissal> {
  const errors: Errors = [];
  checkIdSafe(errors, 'finding id', findingId);
  if (!isPlainObject(value)) return { ok: false, errors: [...errors, 'dismissal: expected {by, at}'] };
  checkFieldSet(errors, 'dismissal', value, ['by', 'at']);
  checkUserId(errors, 'dismissal.by', value.by);
  checkTime(errors, 'dismissal.at', value.at);
  return errors.length === 0 ? { ok: true, value: value as unknown as Dismissal } : { ok: false, errors };
}

/** Validates the acting user: a user id and a display name within the name rules. */
export function actorErrors(actor: unknown): string[] {
  if (!isPlainObject(actor)) return ['actor: expected {userId, name}'];
  const errors: Errors = [];
  checkUserId(errors, 'actor.userId', actor.userId);
  checkName(errors, 'actor.name', actor.name);
  return errors;
}
