import type { Annotation } from '../../annotations/model.ts';
import { isPlainObject, validateAnnotation, validateDismissal, validateReply } from '../../annotations/validation.ts';
import { NATIVE_FORMAT, NATIVE_VERSION } from '../export/native-schema.ts';
import { quoteSelectorAt } from '../export/selectors.ts';
import type { ImportFileError, ImportLimits } from './limits.ts';
import type { ImportItem, ImportPlan, ImportRefusal, ImportReply } from './plan.ts';
import { sha256Hex } from '../sha256.ts';
import type { TextProjection } from '../../chapter/text-projection.ts';
import { projectYDoc } from '../../chapter/y-text-projection.ts';
import type * as Y from 'yjs';

/** What parsing needs to know about the room the file is imported into. */
export interface ImportParseContext {
  /** The room's current plain-text projection: its footnotes, and the text W3C offsets count in. */
  projection: TextProjection;
  /** The footnote numbers of the room's chapter; links to others are refused. */
  footnoteNumbers: ReadonlySet<number>;
  limits: ImportLimits;
}

/** Builds the parse context for a room's text document. */
export function importParseContextOfDoc(textDoc: Y.Doc, limits: ImportLimits): ImportParseContext {
  return importParseContext(projectYDoc(textDoc), limits);
}

/** Builds the parse context for a room's projection. */
export function importParseContext(projection: TextProjection, limits: ImportLimits): ImportParseContext {
  const footnoteNumbers = new Set<number>();
  for (const block of projection.blocks) if (block.type === 'footnote' && block.n !== null) footnoteNumbers.add(block.n);
  return { projection, footnoteNumbers, limits };
}

type FileResult = { ok: true; plan: ImportPlan } | { ok: false; error: ImportFileError };

/** Whether a parsed JSON value claims to be native annotated JSON. */
export function isNativeDocument(value: unknown): boolean {
  return isPlainObject(value) && value.format === NATIVE_FORMAT;
}

/**
 * Interprets a native annotated JSON document (already size- and key-checked): the file's
 * own checks (version, text hash, list size) refuse it whole; each annotation that fails
 * the model's validation is listed in `refused` with every problem found.
 */
export function parseNativeImport(doc: unknown, context: ImportParseContext): FileResult {
  const shape = nativeShapeError(doc, context);
  if (shape) return { ok: false, error: shape };
  const { chapter, annotations, dismissed } = doc as { chapter: { text: string }; annotations: unknown[]; dismissed: unknown };
  const findings = dismissedFindings(dismissed);
  if (typeof findings === 'string') return { ok: false, error: { code: 'invalid-format', message: findings } };
  const plan: ImportPlan = { format: 'native', items: [], repliesToExisting: [], refused: [], dismissed: findings };
  annotations.forEach((record, index) => {
    const item = nativeItem(record, index, chapter.text, context);
    if ('reason' in item) plan.refused.push(item);
    else plan.items.push(item);
  });
  return { ok: true, plan };
}

/** Phase 1: the envelope — format, version, chapter text and its hash, list size. */
function nativeShapeError(doc: unknown, context: ImportParseContext): ImportFileError | null {
  const invalid = (message: string): ImportFileError => ({ code: 'invalid-format', message });
  if (!isPlainObject(doc) || doc.format !== NATIVE_FORMAT) return invalid(`not a native export: "format" must be "${NATIVE_FORMAT}"`);
  if (doc.version !== NATIVE_VERSION) return invalid(`unsupported native version ${JSON.stringify(doc.version)}; this server reads version ${NATIVE_VERSION}`);
  const chapter = doc.chapter;
  if (!isPlainObject(chapter) || typeof chapter.text !== 'string') return invalid('chapter.text: expected the chapter text');
  if (chapter.textSha256 !== sha256Hex(chapter.text)) return invalid('chapter.textSha256 does not match chapter.text');
  if (!Array.isArray(doc.annotations)) return invalid('annotations: expected an array');
  if (doc.annotations.length > context.limits.maxAnnotations) {
    return { code: 'too-many-annotations', message: `import has ${doc.annotations.length} annotations, over the limit of ${context.limits.maxAnnotations}` };
  }
  return null;
}

/** The finding ids of the file's dismissals (who dismissed them and when is the server's to say). */
function dismissedFindings(dismissed: unknown): string[] | string {
  if (dismissed === undefined) return [];
  if (!Array.isArray(dismissed)) return 'dismissed: expected an array';
  const ids: string[] = [];
  for (const [i, entry] of dismissed.entries()) {
    const id = isPlainObject(entry) ? entry.id : undefined;
    const checked = validateDismissal(id, isPlainObject(entry) ? { by: entry.by, at: entry.at } : entry);
    if (!checked.ok) return `dismissed[${i}]: ${checked.errors.join('; ')}`;
    if (!ids.includes(id as string)) ids.push(id as string);
  }
  return ids;
}

/** Phase 2: one record — split off the thread and resolution, validate, derive selectors. */
function nativeItem(record: unknown, index: number, fileText: string, context: ImportParseContext): ImportItem | ImportRefusal {
  const refuse = (reason: string): ImportRefusal => ({ index, id: isPlainObject(record) && typeof record.id === 'string' ? record.id : null, reason });
  if (!isPlainObject(record)) return refuse('annotation: expected an object');
  const { replies, resolved, ...stored } = record;
  const checked = validateAnnotation(stored, { footnoteNumbers: context.footnoteNumbers });
  if (!checked.ok) return refuse(checked.errors.join('; '));
  const range = resolvedRange(resolved, fileText);
  if (typeof range === 'string') return refuse(range);
  const thread = nativeReplies(replies, checked.value.id, context);
  if (typeof thread === 'string') return refuse(thread);
  return itemFromRecord(checked.value, index, range && { quote: quoteSelectorAt(fileText, range.start, range.end), position: range }, thread);
}

/** The range the record resolved to in the file's text, null for an orphan, or a problem. */
function resolvedRange(resolved: unknown, fileText: string): { start: number; end: number } | null | string {
  if (!isPlainObject(resolved)) return 'resolved: expected {state, start, end}';
  const { state, start, end } = resolved;
  if (state === 'orphaned') return start === null && end === null ? null : 'resolved: an orphaned annotation has start and end null';
  if (!['anchored', 'relocated', 'degraded'].includes(state as string)) return `resolved.state: unknown state ${JSON.stringify(state)}`;
  if (!(Number.isSafeInteger(start) && Number.isSafeInteger(end) && (start as number) >= 0 && (start as number) < (end as number) && (end as number) <= fileText.length)) {
    return `resolved: range [${String(start)}, ${String(end)}) is out of range for a chapter text of ${fileText.length} characters`;
  }
  return { start: start as number, end: end as number };
}

function nativeReplies(replies: unknown, annotationId: string, context: ImportParseContext): ImportReply[] | string {
  if (!Array.isArray(replies)) return 'replies: expected an array';
  if (replies.length > context.limits.maxRepliesPerAnnotation) return `replies: more than ${context.limits.maxRepliesPerAnnotation}`;
  const thread: ImportReply[] = [];
  for (const [i, reply] of replies.entries()) {
    const checked = validateReply(reply);
    if (!checked.ok) return `replies[${i}]: ${checked.errors.join('; ')}`;
    const { id, body, authorId, authorName, created, modified } = checked.value;
    if (checked.value.annotationId !== annotationId) return `replies[${i}].annotationId: expected ${annotationId}`;
    thread.push({ index: i, id, sourceId: id, body, origin: { creatorId: authorId, creatorName: authorName, created, modified } });
  }
  return thread;
}

function itemFromRecord(record: Annotation, index: number, selectors: ImportItem['selectors'], replies: ImportReply[]): ImportItem {
  return {
    index,
    id: record.id,
    sourceId: record.id,
    kind: record.kind,
    claimStatus: record.claimStatus,
    problemType: record.problemType,
    footnotes: [...record.footnotes],
    note: record.note,
    correction: record.correction,
    status: record.status,
    related: record.related.map((link) => ({ ...link })),
    selectors,
    storedAnchor: record.anchor,
    origin: { creatorId: record.authorId, creatorName: record.authorName, created: record.created, modified: record.modified },
    statusOrigin: record.statusBy === null ? null : { by: record.statusBy, byName: record.statusByName, at: record.statusAt },
    applied: record.applied,
    priorProvenance: record.provenance && { ...record.provenance },
    unknownTags: [],
    replies,
  };
}
