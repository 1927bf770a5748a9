import type { RoomSnapshot } from './snapshot.ts';

/**
 * One person, one author: a person who annotated as a guest and then signed up or in has
 * annotations under two user ids (the guest's and the account's). Exports read authorship
 * through the server's map of such ids to the person (their account's id and current name), so
 * a spreadsheet, a W3C collection or a native file shows them once.
 */

/** Author ids that belong to a person, with that person's user id and name. */
export type PeopleMap = ReadonlyMap<string, { userId: string; name: string }>;

/** Returns the snapshot with every author, reply author, status stamp and applier read through `people`. */
export function attributeToPeople(snapshot: RoomSnapshot, people: PeopleMap): RoomSnapshot {
  if (people.size === 0) return snapshot;
  const author = <T extends { authorId: string; authorName: string }>(record: T): T => {
    const person = people.get(record.authorId);
    return person ? { ...record, authorId: person.userId, authorName: person.name } : record;
  };
  return {
    ...snapshot,
    annotations: snapshot.annotations.map((entry) => {
      const annotation = author(entry.annotation);
      const stamp = annotation.statusBy === null ? undefined : people.get(annotation.statusBy);
      const applier = annotation.applied ? people.get(annotation.applied.by) : undefined;
      const stamped = stamp ? { ...annotation, statusBy: stamp.userId, statusByName: stamp.name } : annotation;
      return {
        ...entry,
        annotation: applier && stamped.applied ? { ...stamped, applied: { ...stamped.applied, by: applier.userId } } : stamped,
        replies: entry.replies.map(author),
      };
    }),
  };
}

/** Every user id the snapshot names as an author or status stamp (what to ask the people map about). */
export function snapshotAuthorIds(snapshot: RoomSnapshot): Set<string> {
  const ids = new Set<string>();
  for (const { annotation, replies } of snapshot.annotations) {
    ids.add(annotation.authorId);
    if (annotation.statusBy !== null) ids.add(annotation.statusBy);
    if (annotation.applied) ids.add(annotation.applied.by);
    for (const reply of replies) ids.add(reply.authorId);
  }
  return ids;
}
