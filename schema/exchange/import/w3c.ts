import { ANNOTATION_ID_PATTERN, REPLY_ID_PATTERN } from '../../annotations/model.ts';
import type { RelatedLink } from '../../annotations/model.ts';
import { isIsoTime, isPlainObject } from '../../annotations/validation.ts';
import { codePointIndex } from '../export/code-points.ts';
import type { CodePointIndex } from '../export/code-points.ts';
import { localIdFromIri } from '../export/iris.ts';
import type { ImportSelectors } from './anchor.ts';
import type { ImportFileError } from './limits.ts';
import type { ImportParseContext } from './native.ts';
import type { ImportItem, ImportOrigin, ImportPlan, ImportRefusal, ImportReply } from './plan.ts';
import { asList, readBodies } from './w3c-bodies.ts';
import type { FootnoteLookup } from './w3c-bodies.ts';
import { classify } from './w3c-classify.ts';
import { sha256Hex } from '../sha256.ts';
import { termByIri, termOf } from '../../annotations/vocabulary.ts';
import type { RelationType } from '../../annotations/vocabulary.ts';

type FileResult = { ok: true; plan: ImportPlan } | { ok: false; error: ImportFileError };

/** What every item of one W3C file is read against. */
interface W3CReadContext extends ImportParseContext {
  footnotes: FootnoteLookup;
  codePoints: CodePointIndex;
  /** SHA-256 of the room's text: a target naming it was made on exactly this text. */
  textSha256: string;
  /** Local annotation id by the IRI the file gives it, for replies and related links. */
  localIdByIri: Map<string, string>;
}

/**
 * Interprets W3C Web Annotation JSON-LD: an AnnotationCollection with embedded pages, an
 * AnnotationPage, one Annotation, or an array of them. Annotations with motivation
 * `replying` become replies of the annotation their target names (in the file, or already
 * in the room); the others become annotations. Each unreadable item is refused with a reason.
 */
export function parseW3CImport(doc: unknown, context: ImportParseContext): FileResult {
  const listed = w3cItems(doc);
  if (typeof listed === 'string') return { ok: false, error: { code: 'invalid-format', message: listed } };
  if (listed.length > context.limits.maxAnnotations) {
    return { ok: false, error: { code: 'too-many-annotations', message: `import has ${listed.length} annotations, over the limit of ${context.limits.maxAnnotations}` } };
  }
  const read = w3cReadContext(listed, context);
  const plan: ImportPlan = { format: 'w3c', items: [], repliesToExisting: [], refused: [], dismissed: [] };
  const itemById = new Map<string, ImportItem>();
  const replies: { index: number; value: Record<string, unknown> }[] = [];
  listed.forEach((value, index) => {
    if (!isPlainObject(value)) return void plan.refused.push({ index, id: null, reason: 'item: expected an Annotation object' });
    if (asList(value.motivation).includes('replying')) return void replies.push({ index, value });
    const item = w3cItem(value, index, read);
    if ('reason' in item) plan.refused.push(item);
    else {
      plan.items.push(item);
      itemById.set(item.id, item);
    }
  });
  for (const { index, value } of replies) attachReply(value, index, read, itemById, plan);
  return { ok: true, plan };
}

/** Phase 1: the list of annotations, whatever envelope holds them. */
function w3cItems(doc: unknown): unknown[] | string {
  if (Array.isArray(doc)) return doc;
  if (!isPlainObject(doc)) return 'expected a W3C AnnotationCollection, AnnotationPage, Annotation or an array of annotations';
  const types = asList(doc.type);
  if (types.includes('Annotation')) return [doc];
  if (types.includes('AnnotationPage')) return Array.isArray(doc.items) ? doc.items : 'AnnotationPage: expected an items array';
  if (!types.includes('AnnotationCollection')) return `unknown document type ${JSON.stringify(doc.type)}: expected a native export or W3C annotations`;
  if (doc.first === undefined) return [];
  if (!isPlainObject(doc.first)) return 'AnnotationCollection: pages must be embedded (first is only a link)';
  const pages: Record<string, unknown>[] = [doc.first];
  // Follow embedded `next` pages; a linked page cannot be fetched here.
  for (let page = doc.first; isPlainObject(page.next); page = page.next) pages.push(page.next);
  const items: unknown[] = [];
  for (const page of pages) {
    if (!Array.isArray(page.items)) return 'AnnotationPage: expected an items array';
    items.push(...page.items);
  }
  return items;
}

function w3cReadContext(listed: unknown[], context: ImportParseContext): W3CReadContext {
  const { text, blocks } = context.projection;
  const byText = new Map<string, number>();
  for (const block of blocks) if (block.type === 'footnote' && block.n !== null) byText.set(text.slice(block.start, block.end), block.n);
  const localIdByIri = new Map<string, string>();
  for (const value of listed) {
    if (isPlainObject(value) && typeof value.id === 'string' && !asList(value.motivation).includes('replying')) {
      localIdByIri.set(value.id, localId(value.id, 'annotations'));
    }
  }
  return { ...context, footnotes: { numbers: context.footnoteNumbers, byText }, codePoints: codePointIndex(text), textSha256: sha256Hex(text), localIdByIri };
}

/**
 * The local id for a file's IRI: the id itself when it is an Apparatus IRI with a valid id,
 * otherwise derived from a hash of the IRI, so importing the same file twice finds it again.
 */
export function localId(iri: string, kind: 'annotations' | 'replies'): string {
  const own = localIdFromIri(iri, kind);
  const pattern = kind === 'annotations' ? ANNOTATION_ID_PATTERN : REPLY_ID_PATTERN;
  if (own !== null && pattern.test(own)) return own;
  return `${kind === 'annotations' ? 'a' : 'r'}-${sha256Hex(iri).slice(0, 16)}`;
}

/** Phase 2: one annotation — id, bodies, classification, target, authorship. */
function w3cItem(value: Record<string, unknown>, index: number, read: W3CReadContext): ImportItem | ImportRefusal {
  const sourceId = typeof value.id === 'string' ? value.id : null;
  const refuse = (reason: string): ImportRefusal => ({ index, id: sourceId, reason });
  if (!asList(value.type).includes('Annotation')) return refuse('type: expected "Annotation"');
  if (sourceId === null) return refuse('id: an annotation needs an IRI id (imports are idempotent by id)');
  const bodies = readBodies(value, read.footnotes);
  if (bodies.problems.length > 0) return refuse(bodies.problems.join('; '));
  const classified = classify(bodies, asList(value.motivation), value['apparatus:appliedOriginal']);
  if (typeof classified === 'string') return refuse(classified);
  const selectors = targetSelectors(value.target, read);
  if (typeof selectors === 'string') return refuse(selectors);
  const related = relatedLinks(bodies.related, read);
  return {
    index,
    id: read.localIdByIri.get(sourceId)!,
    sourceId,
    ...classified,
    footnotes: [...bodies.footnotes].sort((a, b) => a - b),
    related,
    selectors,
    storedAnchor: null,
    origin: originOf(value),
    statusOrigin: null,
    priorProvenance: null,
    unknownTags: bodies.unknownTags,
    replies: [],
  };
}

function relatedLinks(links: { target: string; relation: string | null }[], read: W3CReadContext): RelatedLink[] {
  return links.map(({ target, relation }) => {
    const term = relation === null ? undefined : (termByIri(relation) ?? termOf('relation', relation));
    return { id: read.localIdByIri.get(target) ?? localId(target, 'annotations'), relation: (term?.term ?? 'see-also') as RelationType };
  });
}

/**
 * The quote and position selectors of the first target that has any, positions converted
 * from code points to UTF-16 offsets of the room's text. A position is binding when the
 * target names this very text (its `apparatus:textSha256`) or comes without a quote; on
 * another tool's text (another page, another version) it is only a hint, dropped when it does
 * not fit this text, and the quote decides.
 */
function targetSelectors(target: unknown, read: W3CReadContext): ImportSelectors | string {
  for (const candidate of asList(target)) {
    if (!isPlainObject(candidate)) continue;
    const selectors = asList(candidate.selector).filter(isPlainObject);
    const quoteSelector = selectors.find((s) => s.type === 'TextQuoteSelector');
    const positionSelector = selectors.find((s) => s.type === 'TextPositionSelector');
    if (!quoteSelector && !positionSelector) continue;
    if (quoteSelector && typeof quoteSelector.exact !== 'string') return 'TextQuoteSelector: exact must be a string';
    const context = (v: unknown) => (typeof v === 'string' ? v : '');
    const quote = quoteSelector ? { exact: quoteSelector.exact as string, prefix: context(quoteSelector.prefix), suffix: context(quoteSelector.suffix) } : null;
    let position = positionSelector ? utf16Range(positionSelector.start, positionSelector.end, read.codePoints) : null;
    const binding = quote === null || sourceHash(candidate) === read.textSha256;
    if (typeof position === 'string' || (position && quote && position.end - position.start !== quote.exact.length)) {
      if (binding) return typeof position === 'string' ? position : 'TextPositionSelector and TextQuoteSelector disagree on the length of the quote';
      position = null;
    }
    return { quote, position };
  }
  return 'target: no TextQuoteSelector or TextPositionSelector';
}

function sourceHash(target: Record<string, unknown>): unknown {
  return isPlainObject(target.source) ? target.source['apparatus:textSha256'] : undefined;
}

function utf16Range(start: unknown, end: unknown, codePoints: CodePointIndex): { start: number; end: number } | string {
  const outOfRange = `TextPositionSelector [${String(start)}, ${String(end)}) is out of range for a text of ${codePoints.codePointLength} code points`;
  if (!(Number.isSafeInteger(start) && Number.isSafeInteger(end) && (start as number) >= 0 && (start as number) < (end as number))) return outOfRange;
  const from = codePoints.toUtf16(start as number);
  const to = codePoints.toUtf16(end as number);
  return from === null || to === null ? outOfRange : { start: from, end: to };
}

/** The creator and times the file states, kept only as provenance. */
function originOf(value: Record<string, unknown>): ImportOrigin {
  const creator = asList(value.creator)[0];
  let creatorId: string | null = null;
  let creatorName: string | null = null;
  if (typeof creator === 'string') creatorId = creator;
  else if (isPlainObject(creator)) {
    creatorId = typeof creator.id === 'string' ? creator.id : null;
    const name = creator.name ?? creator.nickname;
    creatorName = typeof name === 'string' ? name : null;
  }
  const time = (v: unknown) => (isIsoTime(v) ? v : null);
  return { creatorId, creatorName, created: time(value.created), modified: time(value.modified) };
}

/** Phase 3: a `replying` annotation joins its parent's thread (in the file or in the room). */
function attachReply(value: Record<string, unknown>, index: number, read: W3CReadContext, itemById: Map<string, ImportItem>, plan: ImportPlan): void {
  const sourceId = typeof value.id === 'string' ? value.id : null;
  const refuse = (reason: string) => void plan.refused.push({ index, id: sourceId, reason });
  if (sourceId === null) return refuse('id: a reply needs an IRI id (imports are idempotent by id)');
  const bodies = readBodies(value, read.footnotes);
  const body = bodies.notes.join('\n\n');
  if (body === '') return refuse('reply: no textual body');
  const target = asList(value.target)[0];
  const parentIri = typeof target === 'string' ? target : isPlainObject(target) ? (target.id ?? target.source) : null;
  if (typeof parentIri !== 'string') return refuse('reply: target must name the annotation replied to');
  const reply: ImportReply = { index, id: localId(sourceId, 'replies'), sourceId, body, origin: originOf(value) };
  const parentId = read.localIdByIri.get(parentIri) ?? localIdFromIri(parentIri, 'annotations');
  const parent = parentId === null ? undefined : itemById.get(parentId);
  if (parent) parent.replies.push(reply);
  else if (parentId !== null && ANNOTATION_ID_PATTERN.test(parentId) && !read.localIdByIri.has(parentIri)) plan.repliesToExisting.push({ ...reply, parentId });
  else if (read.localIdByIri.has(parentIri)) refuse(`reply: the annotation it replies to (${parentIri}) was refused`);
  else refuse(`reply: the annotation it replies to (${parentIri}) is neither in this import nor an annotation of this room`);
}
