import type { Annotation } from '../../../annotations/model.ts';
import { ANNOTATION_KINDS, ANNOTATION_STATUSES, CLAIM_STATUSES, PROBLEM_TYPES, RELATION_TYPES } from '../../../annotations/vocabulary.ts';
import type { VocabularyGroup, VocabularyTerm } from '../../../annotations/vocabulary.ts';
import { readChapterLayout } from '../../../chapter/chapter-layout.ts';
import type { ChapterLayout } from '../../../chapter/chapter-layout.ts';
import { pageLocator } from '../../../chapter/page-numbers.ts';
import type { PageLocator } from '../../../chapter/page-numbers.ts';
import { roomIris } from '../iris.ts';
import { roomPeople } from '../people.ts';
import type { RoomPerson } from '../people.ts';
import type { RoomIris } from '../iris.ts';
import type { ExportOptions, RoomSnapshot } from '../snapshot.ts';
import { XmlIds } from './xml-ids.ts';

/** Someone who wrote, reviewed or corrected: a `respStmt` in the header that annotations point at. */
export interface TeiPerson extends RoomPerson {
  xmlId: string;
  iri: string;
}

/** The vocabulary groups the taxonomy declares, in order, with a heading each. */
export const TAXONOMY_GROUPS: readonly { group: VocabularyGroup; label: string; terms: readonly VocabularyTerm[] }[] = [
  { group: 'kind', label: 'Annotation kinds', terms: ANNOTATION_KINDS },
  { group: 'claim-status', label: 'Claim statuses', terms: CLAIM_STATUSES },
  { group: 'problem-type', label: 'Problem types', terms: PROBLEM_TYPES },
  { group: 'status', label: 'Annotation statuses', terms: ANNOTATION_STATUSES },
  { group: 'relation', label: 'Relations between annotations', terms: RELATION_TYPES },
];

/** Everything the parts of one TEI document share, computed once. */
export interface TeiContext {
  snapshot: RoomSnapshot;
  options: ExportOptions;
  iris: RoomIris;
  layout: ChapterLayout;
  pages: PageLocator;
  ids: XmlIds;
  /** `xml:id` of each block, by block index. */
  blockIds: string[];
  /** `xml:id` of each footnote block, by footnote number (the first block with that number). */
  footnoteIds: Map<number, string>;
  /** `xml:id` of each annotation's standOff entry, by annotation id. */
  annotationIds: Map<string, string>;
  people: Map<string, TeiPerson>;
}

/** The `xml:id` of a vocabulary term's category: `<group>-<term>`, e.g. `claim-status-sourced`. */
export function categoryId(group: VocabularyGroup, term: string): string {
  return `${group}-${term}`;
}

/** Builds the shared context, claiming the ids of categories, people, blocks and annotations. */
export function teiContext(snapshot: RoomSnapshot, options: ExportOptions): TeiContext {
  const ids = new XmlIds();
  // Category ids are fixed names the `ana` attributes use: claimed first so nothing takes them.
  for (const { group, terms } of TAXONOMY_GROUPS) {
    ids.claim(group, 'category');
    for (const { term } of terms) ids.claim(categoryId(group, term), 'category');
  }
  ids.claim('apparatus-vocabulary', 'taxonomy');
  const iris = roomIris(options.baseUrl, snapshot.room.id);
  const layout = readChapterLayout(snapshot.chapter, snapshot.projection);
  const blockIds = layout.blocks.map((block) => ids.claim(block.id, 'block'));
  const footnoteIds = new Map<number, string>();
  layout.blocks.forEach((block, index) => {
    if (block.type === 'footnote' && block.n !== null && !footnoteIds.has(block.n)) footnoteIds.set(block.n, blockIds[index]!);
  });
  const annotationIds = new Map(snapshot.annotations.map(({ annotation }) => [annotation.id, ids.claim(annotation.id, 'annotation')]));
  return { snapshot, options, iris, layout, pages: pageLocator(layout), ids, blockIds, footnoteIds, annotationIds, people: collectPeople(snapshot, iris, ids) };
}

/** Everyone the apparatus names, each with a respStmt id and their IRI. */
function collectPeople(snapshot: RoomSnapshot, iris: RoomIris, ids: XmlIds): Map<string, TeiPerson> {
  const people = new Map<string, TeiPerson>();
  for (const person of roomPeople(snapshot).values()) {
    people.set(person.userId, { ...person, xmlId: ids.claim(`person-${person.userId}`, 'person'), iri: iris.user(person.userId) });
  }
  return people;
}

/** The `#xml:id` pointer of a person, or null for someone unknown. */
export function personRef(context: TeiContext, userId: string | null | undefined): string | null {
  const person = userId ? context.people.get(userId) : undefined;
  return person ? `#${person.xmlId}` : null;
}

/** The `ana` pointers of an annotation: its kind, claim status or problem type, and status. */
export function anaOf(annotation: Annotation): string {
  const refs = [categoryId('kind', annotation.kind)];
  if (annotation.claimStatus !== null) refs.push(categoryId('claim-status', annotation.claimStatus));
  if (annotation.problemType !== null) refs.push(categoryId('problem-type', annotation.problemType));
  refs.push(categoryId('status', annotation.status));
  return refs.map((id) => `#${id}`).join(' ');
}
