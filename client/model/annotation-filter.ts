import { labelOf } from '../../schema/index.ts';
import type { AnnotationStatus, ProblemType } from '../../schema/index.ts';
import { CATEGORY_LABELS, highlightCategory } from './annotation-view.ts';
import type { AnnotationView, HighlightCategory } from './annotation-view.ts';

/** The sidebar's filter: empty sets and nulls mean "any". */
export interface AnnotationFilter {
  categories: ReadonlySet<HighlightCategory>;
  statuses: ReadonlySet<AnnotationStatus>;
  problemType: ProblemType | null;
  authorId: string | null;
  footnote: number | null;
  /** Free text matched against quote, note, correction, replies and author names. */
  search: string;
}

/** The filter that lets everything through. */
export function emptyFilter(): AnnotationFilter {
  return { categories: new Set(), statuses: new Set(), problemType: null, authorId: null, footnote: null, search: '' };
}

/** Whether any part of the filter narrows the list. */
export function isFilterActive(filter: AnnotationFilter): boolean {
  return (
    filter.categories.size > 0 ||
    filter.statuses.size > 0 ||
    filter.problemType !== null ||
    filter.authorId !== null ||
    filter.footnote !== null ||
    filter.search.trim() !== ''
  );
}

// Views are immutable and replaced when they change, so the lowercased search text can be
// cached per view object: a keystroke in the search box then costs one `includes` per card.
const searchTextCache = new WeakMap<AnnotationView, string>();

function searchTextOf(annotation: AnnotationView): string {
  let text = searchTextCache.get(annotation);
  if (text === undefined) {
    const parts = [annotation.quote, annotation.note, annotation.correction ?? '', annotation.authorName];
    for (const reply of annotation.replies) parts.push(reply.body, reply.authorName);
    text = parts.join('\n').toLocaleLowerCase();
    searchTextCache.set(annotation, text);
  }
  return text;
}

/** Whether one annotation passes the filter. */
export function matchesFilter(annotation: AnnotationView, filter: AnnotationFilter, needle = filter.search.trim().toLocaleLowerCase()): boolean {
  if (filter.categories.size > 0 && !filter.categories.has(highlightCategory(annotation))) return false;
  if (filter.statuses.size > 0 && !filter.statuses.has(annotation.status)) return false;
  if (filter.problemType !== null && annotation.problemType !== filter.problemType) return false;
  if (filter.authorId !== null && annotation.authorId !== filter.authorId) return false;
  if (filter.footnote !== null && !annotation.footnotes.includes(filter.footnote)) return false;
  return needle === '' || searchTextOf(annotation).includes(needle);
}

/**
 * The filter in words, for the header of a printout: "Only Contested, Problem · status Open ·
 * by Anna · note 130 · matching “kulaks”"; null when nothing is filtered. `annotations` give the
 * author's display name.
 */
export function describeFilter(filter: AnnotationFilter, annotations: readonly AnnotationView[]): string | null {
  if (!isFilterActive(filter)) return null;
  const parts: string[] = [];
  if (filter.categories.size > 0) parts.push(`only ${[...filter.categories].map((c) => CATEGORY_LABELS[c]).join(', ')}`);
  if (filter.statuses.size > 0) parts.push(`status ${[...filter.statuses].map((s) => labelOf('status', s)).join(', ')}`);
  if (filter.problemType) parts.push(`type ${labelOf('problem-type', filter.problemType)}`);
  if (filter.authorId) parts.push(`by ${annotations.find((a) => a.authorId === filter.authorId)?.authorName ?? 'one person'}`);
  if (filter.footnote !== null) parts.push(`linked to note ${filter.footnote}`);
  if (filter.search.trim()) parts.push(`matching “${filter.search.trim()}”`);
  return `Filtered: ${parts.join(' · ')}`;
}

/** The sidebar's two lists after filtering. */
export interface FilteredAnnotations {
  /** Anchored and relocated annotations, in document order. */
  inText: AnnotationView[];
  /** Degraded and orphaned annotations: their text changed or is gone. */
  needsAttention: AnnotationView[];
  /** How many annotations there are before filtering. */
  total: number;
}

/** Orders annotations as they appear in the text; ties by creation time, then id. */
export function compareDocumentOrder(a: AnnotationView, b: AnnotationView): number {
  return (a.from ?? Infinity) - (b.from ?? Infinity) || (a.to ?? 0) - (b.to ?? 0) || a.created - b.created || a.id.localeCompare(b.id);
}

/** Filters and orders annotations for the sidebar. */
export function filterAnnotations(annotations: Iterable<AnnotationView>, filter: AnnotationFilter): FilteredAnnotations {
  const needle = filter.search.trim().toLocaleLowerCase();
  const inText: AnnotationView[] = [];
  const needsAttention: AnnotationView[] = [];
  let total = 0;
  for (const annotation of annotations) {
    total++;
    if (!matchesFilter(annotation, filter, needle)) continue;
    const attention = annotation.anchorState === 'orphaned' || annotation.anchorState === 'degraded';
    (attention ? needsAttention : inText).push(annotation);
  }
  inText.sort(compareDocumentOrder);
  needsAttention.sort(compareDocumentOrder);
  return { inText, needsAttention, total };
}

/** Counts per category, status and author, for the filter chips. */
export interface FacetCounts {
  categories: Map<HighlightCategory, number>;
  statuses: Map<AnnotationStatus, number>;
  problemTypes: Map<ProblemType, number>;
  authors: Map<string, { name: string; count: number }>;
  footnotes: Map<number, number>;
}

/** Counts annotations by each facet the sidebar filters on. */
export function countFacets(annotations: Iterable<AnnotationView>): FacetCounts {
  const counts: FacetCounts = { categories: new Map(), statuses: new Map(), problemTypes: new Map(), authors: new Map(), footnotes: new Map() };
  const bump = <K>(map: Map<K, number>, key: K): void => void map.set(key, (map.get(key) ?? 0) + 1);
  for (const a of annotations) {
    bump(counts.categories, highlightCategory(a));
    bump(counts.statuses, a.status);
    if (a.problemType) bump(counts.problemTypes, a.problemType);
    const author = counts.authors.get(a.authorId);
    if (author) author.count++;
    else counts.authors.set(a.authorId, { name: a.authorName, count: 1 });
    for (const n of a.footnotes) bump(counts.footnotes, n);
  }
  return counts;
}
