import { describe, expect, it } from 'vitest';
import { exportW3C } from '../../schema/exchange/export/w3c.ts';
import { EXPORT_OPTIONS, sampleRoom, snapshotOf } from '../helpers/export-builders.ts';

// The requirements (MUST) of the W3C Web Annotation Data Model (Recommendation of 2017-02-23)
// that the W3C export can meet or break, checked by the project's own code, written from the
// specification. These run on every `npm test`; the W3C test suite itself
// (tests/unit/w3c-conformance.test.ts) runs where W3C_ANNOTATION_SUITE names it.

type Json = Record<string, unknown>;

const ANNO_CONTEXT = 'http://www.w3.org/ns/anno.jsonld';
// The motivations (and body purposes) the model defines (§3.3.5); others must be IRIs.
const MOTIVATIONS = new Set(['assessing', 'bookmarking', 'classifying', 'commenting', 'describing', 'editing', 'highlighting', 'identifying', 'linking', 'moderating', 'questioning', 'replying', 'tagging']);
const IRI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]+$/;
// §3.3.1: created, modified and generated are xsd:dateTime values in UTC, written with "Z".
const UTC_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;

const list = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isIri = (value: unknown): boolean => typeof value === 'string' && IRI.test(value);
const isNonNegativeInteger = (value: unknown): boolean => Number.isInteger(value) && (value as number) >= 0;

/** The requirements a selector breaks (§4.2.1 fragment, §4.2.4 text quote, §4.2.5 text position). */
function selectorProblems(selector: unknown, where: string): string[] {
  if (!isObject(selector)) return [`${where}: a selector must be an object`];
  switch (selector.type) {
    case 'TextQuoteSelector':
      return [
        ...(typeof selector.exact === 'string' ? [] : [`${where}: a TextQuoteSelector has exactly one exact string`]),
        ...(['prefix', 'suffix'] as const).filter((k) => selector[k] !== undefined && typeof selector[k] !== 'string').map((k) => `${where}: ${k} is at most one string`),
      ];
    case 'TextPositionSelector':
      return isNonNegativeInteger(selector.start) && isNonNegativeInteger(selector.end)
        ? []
        : [`${where}: a TextPositionSelector has exactly one start and one end, non-negative integers`];
    case 'FragmentSelector':
      return typeof selector.value === 'string' ? [] : [`${where}: a FragmentSelector has exactly one value`];
    default:
      return [`${where}: selector type ${JSON.stringify(selector.type)} is not one the export writes`];
  }
}

/** The requirements a body or target resource breaks (§3.2: IRIs, textual bodies, specific resources). */
function resourceProblems(resource: unknown, where: string): string[] {
  if (typeof resource === 'string') return isIri(resource) ? [] : [`${where}: a resource given as a string must be an IRI`];
  if (!isObject(resource)) return [`${where}: must be an IRI or an object`];
  if (resource.type === 'TextualBody') {
    return typeof resource.value === 'string' ? [] : [`${where}: a TextualBody has exactly one value string`];
  }
  if (resource.type === 'SpecificResource') {
    const source = resource.source;
    const sourceOk = isIri(source) || (isObject(source) && isIri(source.id));
    return [
      ...(sourceOk ? [] : [`${where}: a SpecificResource has exactly one source, an IRI`]),
      ...list(resource.selector).flatMap((s, i) => selectorProblems(s, `${where}.selector[${i}]`)),
    ];
  }
  return isIri(resource.id) ? [] : [`${where}: an external resource has exactly one IRI id`];
}

/** The requirements of the model an annotation breaks (§3.1–§3.3). */
function annotationProblems(a: Json): string[] {
  const problems: string[] = [];
  const contexts = list(a['@context']);
  if (!contexts.includes(ANNO_CONTEXT)) problems.push(`@context must include ${ANNO_CONTEXT}`);
  if (!isIri(a.id)) problems.push('an annotation has exactly one IRI id');
  if (!list(a.type).includes('Annotation')) problems.push('type must include Annotation');
  const targets = list(a.target);
  if (targets.length === 0) problems.push('an annotation has one or more targets');
  targets.forEach((t, i) => problems.push(...resourceProblems(t, `target[${i}]`)));
  if (a.bodyValue !== undefined && a.body !== undefined) problems.push('bodyValue and body must not both be present');
  if (a.bodyValue !== undefined && typeof a.bodyValue !== 'string') problems.push('bodyValue is a single string');
  list(a.body).forEach((b, i) => {
    problems.push(...resourceProblems(b, `body[${i}]`));
    const purpose = isObject(b) ? b.purpose : undefined;
    if (purpose !== undefined && !MOTIVATIONS.has(String(purpose)) && !isIri(purpose)) problems.push(`body[${i}]: purpose ${JSON.stringify(purpose)} is neither a defined motivation nor an IRI`);
  });
  for (const m of list(a.motivation)) if (!MOTIVATIONS.has(String(m)) && !isIri(m)) problems.push(`motivation ${JSON.stringify(m)} is neither a defined motivation nor an IRI`);
  for (const key of ['created', 'modified', 'generated'] as const) {
    if (a[key] !== undefined && !(typeof a[key] === 'string' && UTC_DATE_TIME.test(a[key]) && !Number.isNaN(Date.parse(a[key])))) problems.push(`${key} must be an xsd:dateTime in UTC ("Z")`);
  }
  for (const agent of [...list(a.creator), ...list(a.generator)]) {
    if (typeof agent === 'string' ? !isIri(agent) : isObject(agent) ? agent.id !== undefined && !isIri(agent.id) : true) problems.push('a creator or generator is an IRI, or an object whose id is an IRI');
  }
  if (a.rights !== undefined && !list(a.rights).every(isIri)) problems.push('rights are IRIs');
  return problems;
}

/** The requirements of §5 an annotation collection and its first page break. */
function collectionProblems(c: Json): string[] {
  const problems: string[] = [];
  if (!list(c['@context']).includes(ANNO_CONTEXT)) problems.push(`the collection's @context must include ${ANNO_CONTEXT}`);
  if (!isIri(c.id)) problems.push('a collection has exactly one IRI id');
  if (!list(c.type).includes('AnnotationCollection')) problems.push('the collection type must include AnnotationCollection');
  if (c.total !== undefined && !isNonNegativeInteger(c.total)) problems.push('total is a non-negative integer');
  const first = c.first;
  if ((c.total as number) > 0 && first === undefined) problems.push('a collection with annotations has a first page');
  if (isObject(first)) {
    if (!list(first.type).includes('AnnotationPage')) problems.push('the page type must include AnnotationPage');
    if (!Array.isArray(first.items)) problems.push('a page has exactly one items list');
    if (first.partOf !== undefined && first.partOf !== c.id && !(isObject(first.partOf) && first.partOf.id === c.id)) problems.push('the page is partOf this collection');
    if (first.startIndex !== undefined && !isNonNegativeInteger(first.startIndex)) problems.push('startIndex is a non-negative integer');
  }
  return problems;
}

const collection = exportW3C(snapshotOf(sampleRoom()), EXPORT_OPTIONS) as unknown as Json;
const items = (collection.first as { items: Json[] }).items;
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('the W3C export against the Web Annotation Data Model (the project’s own checks of its MUSTs)', () => {
  it('exports every kind the model must carry: claims, problems, comments, replies, footnote links', () => {
    expect(new Set(items.map((a) => a.motivation))).toEqual(new Set(['assessing', 'editing', 'commenting', 'replying']));
    expect(items.length).toBeGreaterThan(5);
  });

  it('meets every requirement for every annotation and reply', () => {
    expect(items.map((a) => ({ id: a.id, problems: annotationProblems(a) })).filter((r) => r.problems.length > 0)).toEqual([]);
  });

  it('meets the requirements of a collection and its page', () => {
    expect(collectionProblems(collection)).toEqual([]);
    expect(collection.total).toBe(items.length);
  });

  it('finds each broken requirement in a deliberately broken annotation, so the checks can fail', () => {
    const good = items[0]!;
    const broken: [string, (a: Json) => void][] = [
      ['no anno.jsonld context', (a) => (a['@context'] = 'http://example.org/context.jsonld')],
      ['id not an IRI', (a) => (a.id = 'not an iri')],
      ['no Annotation type', (a) => (a.type = 'Note')],
      ['no target', (a) => delete a.target],
      ['body and bodyValue', (a) => (a.bodyValue = 'x')],
      ['a textual body without a value', (a) => (a.body = [{ type: 'TextualBody', purpose: 'commenting' }])],
      ['an unknown motivation', (a) => (a.motivation = 'musing')],
      ['created without a UTC zone', (a) => (a.created = '2024-05-01T10:00:00+02:00')],
      ['a position selector with a negative start', (a) => ((a.target as { selector: Json[] }).selector[1] = { type: 'TextPositionSelector', start: -1, end: 4 })],
      ['a quote selector without exact', (a) => ((a.target as { selector: Json[] }).selector[0] = { type: 'TextQuoteSelector', prefix: 'x' })],
      ['a specific resource without a source', (a) => delete (a.target as Json).source],
    ];
    for (const [what, breakIt] of broken) {
      const annotation = clone(good);
      breakIt(annotation);
      expect(annotationProblems(annotation), what).not.toEqual([]);
    }
    const page = clone(collection);
    (page.first as Json).type = 'Page';
    expect(collectionProblems(page)).not.toEqual([]);
  });
});
