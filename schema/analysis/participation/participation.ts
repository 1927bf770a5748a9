import type { Annotation } from '../../annotations/model.ts';
import { compareTimes, withinRange } from './chapter-activity.ts';
import type { DateRange, ReadAnnotation } from './chapter-activity.ts';

/**
 * Who did what in a chapter: per person, the annotations they wrote by kind and claim status,
 * the problems they raised and how many were accepted, their claims linked to footnotes, their
 * replies, and when they were first and last active. A date range ("since last session") counts
 * only what was written in it.
 */

/** One row of the people table (a gradebook line). */
export interface PersonRow {
  userId: string;
  /** The name on their latest record in the range. */
  name: string;
  annotations: number;
  claims: number;
  sourced: number;
  contested: number;
  interpretive: number;
  /** Problems they recorded. */
  problems: number;
  /** Of those, how many were accepted (resolved, or applied to the text). */
  problemsAccepted: number;
  comments: number;
  /** Their claims linked to at least one footnote. */
  claimsLinked: number;
  /** Replies they wrote (in anyone's thread). */
  replies: number;
  /** Status decisions they made on others' annotations (resolving, accepting, rejecting). */
  decisions: number;
  /** ISO times of their first and last activity in the range (writing, editing, replying, deciding). */
  firstActivity: string | null;
  lastActivity: string | null;
}

/** The counted columns of a person row, in table order. */
export const PERSON_COUNTS = [
  'annotations', 'claims', 'sourced', 'contested', 'interpretive', 'problems', 'problemsAccepted', 'comments', 'claimsLinked', 'replies', 'decisions',
] as const satisfies readonly (keyof PersonRow)[];

/** A counted column of the people table. */
export type PersonCount = (typeof PERSON_COUNTS)[number];

/** A person's row before any count, with nothing seen yet. */
export function emptyPersonRow(userId: string, name: string): PersonRow {
  return {
    userId, name, annotations: 0, claims: 0, sourced: 0, contested: 0, interpretive: 0, problems: 0, problemsAccepted: 0, comments: 0,
    claimsLinked: 0, replies: 0, decisions: 0, firstActivity: null, lastActivity: null,
  };
}

/** Rows being built: each row with the time of the record its name was taken from. */
class PeopleTally {
  readonly rows = new Map<string, PersonRow & { nameAt: string | null }>();

  row(userId: string, name: string | null, at: string): PersonRow {
    let row = this.rows.get(userId);
    if (!row) this.rows.set(userId, (row = { ...emptyPersonRow(userId, name ?? userId), nameAt: null }));
    if (name !== null && (row.nameAt === null || compareTimes(at, row.nameAt) >= 0)) [row.name, row.nameAt] = [name, at];
    return row;
  }

  /** Widens a person's activity window to include `at`. */
  active(userId: string, name: string | null, at: string): void {
    const row = this.row(userId, name, at);
    if (row.firstActivity === null || compareTimes(at, row.firstActivity) < 0) row.firstActivity = at;
    if (row.lastActivity === null || compareTimes(at, row.lastActivity) > 0) row.lastActivity = at;
  }
}

/** Counts one annotation written in the range into its author's row. */
function countAnnotation(row: PersonRow, annotation: Annotation): void {
  row.annotations++;
  if (annotation.kind === 'claim') {
    row.claims++;
    row[annotation.claimStatus ?? 'interpretive']++;
    if (annotation.footnotes.length > 0) row.claimsLinked++;
  } else if (annotation.kind === 'problem') {
    row.problems++;
    if (annotation.status === 'resolved' || annotation.status === 'applied') row.problemsAccepted++;
  } else {
    row.comments++;
  }
}

/**
 * The people table of a chapter: one row per person who wrote, edited, replied or decided
 * anything in the range, ordered by name (then id). Annotations and replies count when they
 * were created in the range; activity times are every such time in the range.
 */
export function participationRows(annotations: Iterable<ReadAnnotation>, range: DateRange = {}): PersonRow[] {
  const inRange = withinRange(range);
  const tally = new PeopleTally();
  for (const { annotation, replies } of annotations) {
    const author = annotation.authorId;
    if (inRange(annotation.created)) countAnnotation(tally.row(author, annotation.authorName, annotation.modified), annotation);
    for (const at of [annotation.created, annotation.modified]) if (inRange(at)) tally.active(author, annotation.authorName, at);
    if (annotation.statusBy !== null && annotation.statusAt !== null && inRange(annotation.statusAt)) {
      tally.active(annotation.statusBy, annotation.statusByName, annotation.statusAt);
      if (annotation.statusBy !== author) tally.row(annotation.statusBy, annotation.statusByName, annotation.statusAt).decisions++;
    }
    for (const reply of replies) {
      if (inRange(reply.created)) tally.row(reply.authorId, reply.authorName, reply.modified).replies++;
      for (const at of [reply.created, reply.modified]) if (inRange(at)) tally.active(reply.authorId, reply.authorName, at);
    }
  }
  return [...tally.rows.values()]
    .map(({ nameAt: _nameAt, ...row }) => row)
    .sort((a, b) => a.name.localeCompare(b.name) || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
}

/**
 * Adds up people tables (of several chapters of a seminar, or of the shared layer and a round):
 * counts summed per person, the widest activity window, the name from the most recently active table.
 */
export function combinePeople(tables: Iterable<readonly PersonRow[]>): PersonRow[] {
  const combined = new Map<string, PersonRow>();
  for (const table of tables) {
    for (const row of table) {
      const into = combined.get(row.userId);
      if (!into) {
        combined.set(row.userId, { ...row });
        continue;
      }
      for (const key of PERSON_COUNTS) into[key] += row[key];
      if (row.lastActivity !== null && (into.lastActivity === null || compareTimes(row.lastActivity, into.lastActivity) >= 0)) {
        into.lastActivity = row.lastActivity;
        into.name = row.name;
      }
      if (row.firstActivity !== null && (into.firstActivity === null || compareTimes(row.firstActivity, into.firstActivity) < 0)) into.firstActivity = row.firstActivity;
    }
  }
  return [...combined.values()].sort((a, b) => a.name.localeCompare(b.name) || (a.userId < b.userId ? -1 : 1));
}

/** The columns the people table can be sorted by. */
export type PersonSortKey = PersonCount | 'name' | 'firstActivity' | 'lastActivity';

/** Returns whether `value` names a sortable column of the people table. */
export function isPersonSortKey(value: unknown): value is PersonSortKey {
  return value === 'name' || value === 'firstActivity' || value === 'lastActivity' || (PERSON_COUNTS as readonly unknown[]).includes(value);
}

/** Sorts people rows by a column (names alphabetically, times chronologically, empty times last), ties by name. */
export function sortPeople(rows: readonly PersonRow[], key: PersonSortKey, direction: 'ascending' | 'descending' = 'ascending'): PersonRow[] {
  const sign = direction === 'ascending' ? 1 : -1;
  const byName = (a: PersonRow, b: PersonRow) => a.name.localeCompare(b.name) || (a.userId < b.userId ? -1 : 1);
  const compare = (a: PersonRow, b: PersonRow): number => {
    if (key === 'name') return sign * byName(a, b);
    if (key === 'firstActivity' || key === 'lastActivity') {
      const x = a[key];
      const y = b[key];
      if (x === null || y === null) return x === y ? byName(a, b) : x === null ? 1 : -1;
      return sign * compareTimes(x, y) || byName(a, b);
    }
    return sign * (a[key] - b[key]) || byName(a, b);
  };
  return [...rows].sort(compare);
}
