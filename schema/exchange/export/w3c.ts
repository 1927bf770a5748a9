import { codePointIndex } from './code-points.ts';
import type { CodePointIndex } from './code-points.ts';
import { roomIris } from './iris.ts';
import type { RoomIris } from './iris.ts';
import { positionSelectorAt, quoteSelectorAt } from './selectors.ts';
import type { TextPositionSelector, TextQuoteSelector } from './selectors.ts';
import type { Annotation, Reply } from '../../annotations/model.ts';
import type { ExportOptions, RoomSnapshot, SnapshotAnnotation } from './snapshot.ts';
import { sha256Hex } from '../sha256.ts';
import { VOCABULARY_NAMESPACE, iriOf } from '../../annotations/vocabulary.ts';
import type { VocabularyGroup } from '../../annotations/vocabulary.ts';

/** The W3C Web Annotation JSON-LD context. */
export const ANNO_CONTEXT = 'http://www.w3.org/ns/anno.jsonld';
/** The profile named in the `application/ld+json` content type of a W3C export. */
export const W3C_CONTENT_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"';
/** FragmentSelector `conformsTo` for HTML fragment identifiers (RFC 3236). */
export const HTML_FRAGMENT_SPEC = 'http://tools.ietf.org/rfc/rfc3236';

/**
 * The context of every exported annotation: the W3C context plus the `apparatus:` prefix
 * for the few terms the model has no word for (the text hash, the anchor state, relations).
 */
export const APPARATUS_CONTEXT: readonly [string, { apparatus: string }] = [ANNO_CONTEXT, { apparatus: VOCABULARY_NAMESPACE }];

/** A body or target resource in the W3C model, loosely typed: the shapes vary by purpose. */
export type W3CResource = Record<string, unknown>;

/** One exported W3C annotation (an annotation of the room, or a reply to one). */
export interface W3CAnnotation {
  '@context': typeof APPARATUS_CONTEXT;
  id: string;
  type: 'Annotation';
  motivation: 'assessing' | 'editing' | 'commenting' | 'replying';
  body: W3CResource[];
  target: W3CResource | string;
  creator: { id: string; type: 'Person'; name: string };
  created: string;
  modified: string;
  generator: W3CResource;
  generated: string;
  'apparatus:anchorState'?: string;
  /** For an applied correction: the text it replaced (the target now shows the correction). */
  'apparatus:appliedOriginal'?: string;
}

/** The exported AnnotationCollection, with every annotation embedded in its first page. */
export interface W3CCollection {
  '@context': typeof APPARATUS_CONTEXT;
  id: string;
  type: 'AnnotationCollection';
  label: string;
  total: number;
  generator: W3CResource;
  generated: string;
  'apparatus:textSha256': string;
  first: { id: string; type: 'AnnotationPage'; startIndex: 0; partOf: string; items: W3CAnnotation[] };
  last: string;
}

/** The software agent named as `generator` on every export. */
export const GENERATOR = { id: 'https://w3id.org/apparatus', type: 'Software', name: 'Apparatus' } as const;

/** What every annotation of one export shares, computed once. */
interface W3CContext {
  iris: RoomIris;
  text: string;
  index: CodePointIndex;
  textSource: W3CResource;
  footnoteBlocks: Map<number, { start: number; end: number }>;
  /** Footnote link bodies, built once per footnote and shared by every annotation linking it. */
  footnoteLinks: Map<number, W3CResource | null>;
  generated: string;
}

/**
 * Exports a room as a W3C Web Annotation AnnotationCollection (JSON-LD), one page holding
 * every annotation followed by every reply (motivation `replying`, targeting its parent).
 * Targets carry a TextQuoteSelector and a TextPositionSelector (code points) on the current
 * plain-text projection, whose SHA-256 identifies the text version.
 */
export function exportW3C(snapshot: RoomSnapshot, options: ExportOptions): W3CCollection {
  const context = w3cContext(snapshot, options);
  const items: W3CAnnotation[] = [];
  for (const entry of snapshot.annotations) items.push(annotationToW3C(entry, context));
  for (const entry of snapshot.annotations) {
    for (const reply of entry.replies) items.push(replyToW3C(reply, context));
  }
  const pageId = `${context.iris.collection}?page=0`;
  return {
    '@context': APPARATUS_CONTEXT,
    id: context.iris.collection,
    type: 'AnnotationCollection',
    label: snapshot.room.title,
    total: items.length,
    generator: GENERATOR,
    generated: options.exportedAt,
    'apparatus:textSha256': String(context.textSource['apparatus:textSha256']),
    first: { id: pageId, type: 'AnnotationPage', startIndex: 0, partOf: context.iris.collection, items },
    last: pageId,
  };
}

/**
 * Exports one annotation or one reply of a room, as its IRI answers it: the same object the
 * collection holds for it. Returns null when the room has no annotation (or reply) with that id.
 */
export function exportW3CItem(snapshot: RoomSnapshot, options: ExportOptions, item: { kind: 'annotation' | 'reply'; id: string }): W3CAnnotation | null {
  if (item.kind === 'annotation') {
    const entry = snapshot.annotations.find((candidate) => candidate.annotation.id === item.id);
    return entry ? annotationToW3C(entry, w3cContext(snapshot, options)) : null;
  }
  for (const entry of snapshot.annotations) {
    const reply = entry.replies.find((candidate) => candidate.id === item.id);
    if (reply) return replyToW3C(reply, w3cContext(snapshot, options));
  }
  return null;
}

function w3cContext(snapshot: RoomSnapshot, options: ExportOptions): W3CContext {
  const iris = roomIris(options.baseUrl, snapshot.room.id);
  const text = snapshot.projection.text;
  const footnoteBlocks = new Map<number, { start: number; end: number }>();
  for (const block of snapshot.projection.blocks) {
    if (block.type === 'footnote' && block.n !== null) footnoteBlocks.set(block.n, { start: block.start, end: block.end });
  }
  const textSource = { id: iris.text, type: 'Text', format: 'text/plain', 'apparatus:textSha256': sha256Hex(text) };
  return { iris, text, index: codePointIndex(text), textSource, footnoteBlocks, footnoteLinks: new Map(), generated: options.exportedAt };
}

/** Maps one annotation: motivation, bodies by purpose, target, authorship. */
function annotationToW3C(entry: SnapshotAnnotation, context: W3CContext): W3CAnnotation {
  const { annotation } = entry;
  const w3c: W3CAnnotation = {
    '@context': APPARATUS_CONTEXT,
    id: context.iris.annotation(annotation.id),
    type: 'Annotation',
    motivation: motivationOf(annotation),
    body: bodiesOf(entry, context),
    target: targetOf(entry, context),
    creator: { id: context.iris.user(annotation.authorId), type: 'Person', name: annotation.authorName },
    created: annotation.created,
    modified: annotation.modified,
    generator: GENERATOR,
    generated: context.generated,
    'apparatus:anchorState': entry.resolved.state,
  };
  if (annotation.applied !== null) w3c['apparatus:appliedOriginal'] = annotation.applied.original;
  return w3c;
}

/** An annotation's W3C motivation: claims are assessments, a problem proposing a correction is an edit, the rest comment. */
export function motivationOf(annotation: Annotation): W3CAnnotation['motivation'] {
  if (annotation.kind === 'claim') return 'assessing';
  if (annotation.kind === 'problem') return annotation.correction !== null ? 'editing' : 'assessing';
  return 'commenting';
}

// The bodies of a term are the same in every annotation: built once, shared (never mutated).
const termBodyCache = new Map<string, readonly W3CResource[]>();

/** A vocabulary term as two bodies: `classifying` with its IRI and `tagging` with the term. */
function termBodies(group: VocabularyGroup, term: string): readonly W3CResource[] {
  const key = `${group} ${term}`;
  let bodies = termBodyCache.get(key);
  if (!bodies) {
    bodies = Object.freeze([
      Object.freeze({ type: 'SpecificResource', purpose: 'classifying', source: iriOf(group, term) }),
      Object.freeze({ type: 'TextualBody', purpose: 'tagging', value: term }),
    ]);
    termBodyCache.set(key, bodies);
  }
  return bodies;
}

function bodiesOf(entry: SnapshotAnnotation, context: W3CContext): W3CResource[] {
  const { annotation } = entry;
  const bodies = [...termBodies('kind', annotation.kind)];
  if (annotation.claimStatus !== null) bodies.push(...termBodies('claim-status', annotation.claimStatus));
  if (annotation.problemType !== null) bodies.push(...termBodies('problem-type', annotation.problemType));
  bodies.push(...termBodies('status', annotation.status));
  if (annotation.note !== '') bodies.push(textualBody('commenting', annotation.note));
  if (annotation.correction !== null) bodies.push(textualBody('editing', annotation.correction));
  for (const n of annotation.footnotes) {
    const link = footnoteLink(n, context);
    if (link) bodies.push(link);
  }
  for (const related of annotation.related) {
    bodies.push({ type: 'SpecificResource', purpose: 'linking', source: context.iris.annotation(related.id), 'apparatus:relation': iriOf('relation', related.relation) });
  }
  return bodies;
}

function textualBody(purpose: 'commenting' | 'editing' | 'replying', value: string): W3CResource {
  return { type: 'TextualBody', purpose, value, format: 'text/plain' };
}

/**
 * A link to footnote `n`: the HTML fragment the client renders it under, with the
 * footnote's whole text as a quote (and its position) for consumers without the HTML.
 */
function footnoteLink(n: number, context: W3CContext): W3CResource | null {
  const cached = context.footnoteLinks.get(n);
  if (cached !== undefined) return cached;
  const link = buildFootnoteLink(n, context);
  context.footnoteLinks.set(n, link);
  return link;
}

function buildFootnoteLink(n: number, context: W3CContext): W3CResource | null {
  const block = context.footnoteBlocks.get(n);
  if (!block) return null;
  const selectors: unknown[] = [
    { type: 'FragmentSelector', conformsTo: HTML_FRAGMENT_SPEC, value: `footnote-${n}` },
    { type: 'TextQuoteSelector', exact: context.text.slice(block.start, block.end) },
    positionSelectorAt(context.index, block.start, block.end),
  ];
  return { type: 'SpecificResource', purpose: 'linking', source: context.iris.text, selector: selectors };
}

/**
 * The target: the text (with its version hash) and selectors on its current projection.
 * An orphaned annotation has no range in the current text, so it keeps only the quote it
 * was made on, without a position that would point at unrelated words.
 */
function targetOf(entry: SnapshotAnnotation, context: W3CContext): W3CResource {
  const { resolved, annotation } = entry;
  let selector: (TextQuoteSelector | TextPositionSelector)[];
  if (resolved.start === null || resolved.end === null) {
    const { exact, prefix, suffix } = annotation.anchor.quote;
    selector = [{ type: 'TextQuoteSelector', exact, prefix, suffix }];
  } else {
    selector = [quoteSelectorAt(context.text, resolved.start, resolved.end), positionSelectorAt(context.index, resolved.start, resolved.end)];
  }
  return { type: 'SpecificResource', source: context.textSource, selector };
}

/** Maps a reply: a `replying` annotation whose target is its parent annotation's IRI. */
function replyToW3C(reply: Reply, context: W3CContext): W3CAnnotation {
  return {
    '@context': APPARATUS_CONTEXT,
    id: context.iris.reply(reply.id),
    type: 'Annotation',
    motivation: 'replying',
    body: [textualBody('replying', reply.body)],
    target: context.iris.annotation(reply.annotationId),
    creator: { id: context.iris.user(reply.authorId), type: 'Person', name: reply.authorName },
    created: reply.created,
    modified: reply.modified,
    generator: GENERATOR,
    generated: context.generated,
  };
}
