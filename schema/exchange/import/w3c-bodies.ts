import { isPlainObject } from '../../annotations/validation.ts';
import { localIdFromIri } from '../export/iris.ts';
import { termByIri, termOf } from '../../annotations/vocabulary.ts';
import type { VocabularyGroup } from '../../annotations/vocabulary.ts';

/**
 * Reading the bodies of a W3C annotation, whoever wrote it: Apparatus's own export, or a
 * tool that tags (Hypothesis: TextualBody with purpose `tagging`), comments or edits.
 *
 * - `tagging` / `classifying` bodies, and bare IRI bodies, whose value is a vocabulary term
 *   or IRI set kind, claim status, problem type or status; other tags are returned as
 *   unknown tags (the importer keeps them in the note and in provenance).
 * - `commenting` and other textual bodies → the note; `editing` → the proposed correction.
 * - `linking` → a footnote (FragmentSelector `footnote-N`, else a quote equal to a footnote's
 *   text) or a related annotation (source is an annotation IRI).
 */

/** The vocabulary groups a tag can set, one value each. */
export type TaggedGroup = Extract<VocabularyGroup, 'kind' | 'claim-status' | 'problem-type' | 'status'>;

/** What the bodies of one annotation say. */
export interface BodyReading {
  terms: Record<TaggedGroup, string[]>;
  unknownTags: string[];
  notes: string[];
  corrections: string[];
  footnotes: number[];
  related: { target: string; relation: string | null }[];
  /** Problems that make the annotation unreadable (e.g. a footnote link to nothing). */
  problems: string[];
}

/** The room's footnotes, to resolve links to them. */
export interface FootnoteLookup {
  numbers: ReadonlySet<number>;
  /** Footnote number by its whole text. */
  byText: ReadonlyMap<string, number>;
}

const TAGGED_GROUPS: readonly TaggedGroup[] = ['kind', 'claim-status', 'problem-type', 'status'];

/** Reads every body of an annotation (`body` of any shape, or `bodyValue`). */
export function readBodies(annotation: Record<string, unknown>, footnotes: FootnoteLookup): BodyReading {
  const reading: BodyReading = {
    terms: { kind: [], 'claim-status': [], 'problem-type': [], status: [] },
    unknownTags: [],
    notes: [],
    corrections: [],
    footnotes: [],
    related: [],
    problems: [],
  };
  if (typeof annotation.bodyValue === 'string') reading.notes.push(annotation.bodyValue);
  for (const body of asList(annotation.body)) readBody(body, reading, footnotes);
  return reading;
}

/** A value or an array of values as an array; absent values as an empty array. */
export function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function purposesOf(body: Record<string, unknown>): string[] {
  return asList(body.purpose).filter((p): p is string => typeof p === 'string');
}

function readBody(body: unknown, reading: BodyReading, footnotes: FootnoteLookup): void {
  if (typeof body === 'string') return readTag(body, reading);
  if (!isPlainObject(body)) return void reading.problems.push('body: expected an object or an IRI');
  const purposes = purposesOf(body);
  const has = (purpose: string) => purposes.includes(purpose);
  if (typeof body.value === 'string') {
    if (has('tagging') || has('classifying')) readTag(body.value, reading);
    else if (has('editing')) reading.corrections.push(body.value);
    else reading.notes.push(body.value);
    return;
  }
  const source = sourceIri(body);
  if (source === null) return void reading.problems.push('body: a resource without a value, id or source');
  if (has('linking')) readLink(body, source, reading, footnotes);
  else readTag(source, reading);
}

/** The IRI a resource body stands for: its `source` (SpecificResource) or its `id`. */
function sourceIri(body: Record<string, unknown>): string | null {
  const source = body.source;
  if (typeof source === 'string') return source;
  if (isPlainObject(source) && typeof source.id === 'string') return source.id;
  return typeof body.id === 'string' ? body.id : null;
}

/** Files a tag under its vocabulary group, or keeps it as an unknown tag. */
function readTag(tag: string, reading: BodyReading): void {
  const trimmed = tag.trim();
  if (trimmed === '') return;
  for (const group of TAGGED_GROUPS) {
    const term = termByIri(trimmed) ?? termOf(group, trimmed.toLowerCase());
    if (term && term.group === group) return void reading.terms[group].push(term.term);
  }
  if (!reading.unknownTags.includes(trimmed)) reading.unknownTags.push(trimmed);
}

function readLink(body: Record<string, unknown>, source: string, reading: BodyReading, footnotes: FootnoteLookup): void {
  const selectors = asList(body.selector).filter(isPlainObject);
  if (selectors.length === 0 && localIdFromIri(source, 'annotations') !== null) {
    const relation = body['apparatus:relation'];
    return void reading.related.push({ target: source, relation: typeof relation === 'string' ? relation : null });
  }
  const n = footnoteOf(selectors, footnotes);
  if (n === null) reading.unknownTags.push(source);
  else if (typeof n === 'string') reading.problems.push(n);
  else if (!reading.footnotes.includes(n)) reading.footnotes.push(n);
}

/** The footnote a link's selectors name: by fragment first, then by quote. */
function footnoteOf(selectors: Record<string, unknown>[], footnotes: FootnoteLookup): number | string | null {
  for (const selector of selectors) {
    if (selector.type !== 'FragmentSelector' || typeof selector.value !== 'string') continue;
    const match = /^footnote-(\d{1,6})$/.exec(selector.value);
    if (!match) continue;
    const n = Number(match[1]);
    return footnotes.numbers.has(n) ? n : `linking body: the chapter has no footnote ${n}`;
  }
  for (const selector of selectors) {
    if (selector.type !== 'TextQuoteSelector' || typeof selector.exact !== 'string') continue;
    const n = footnotes.byText.get(selector.exact);
    if (n !== undefined) return n;
  }
  return null;
}
