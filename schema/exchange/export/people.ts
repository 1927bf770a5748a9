import type { RoomSnapshot } from './snapshot.ts';

/** What a person did in a room, as exports name it. */
export type PersonRole = 'annotations' | 'replies' | 'status decisions' | 'applied corrections';

/** Someone the apparatus names: their id, the latest display name they used, and what they did. */
export interface RoomPerson {
  userId: string;
  /** The name on their latest record (names are per record: a rename reaches only later writes). */
  name: string;
  roles: Set<PersonRole>;
}

/**
 * Everyone a room's apparatus names (authors of annotations and replies, whoever set a status
 * or applied a correction), ordered by user id, each with the latest name they wrote under.
 */
export function roomPeople(snapshot: RoomSnapshot): Map<string, RoomPerson> {
  const people = new Map<string, RoomPerson & { nameAt: string }>();
  const saw = (userId: string | null, name: string | null, at: string, role: PersonRole) => {
    if (userId === null || userId === '') return;
    let person = people.get(userId);
    if (!person) people.set(userId, (person = { userId, name: '', nameAt: '', roles: new Set() }));
    if (name !== null && at >= person.nameAt) [person.name, person.nameAt] = [name, at];
    person.roles.add(role);
  };
  for (const { annotation, replies } of snapshot.annotations) {
    saw(annotation.authorId, annotation.authorName, annotation.modified, 'annotations');
    saw(annotation.statusBy, annotation.statusByName, annotation.statusAt ?? '', 'status decisions');
    saw(annotation.applied?.by ?? null, null, '', 'applied corrections');
    for (const reply of replies) saw(reply.authorId, reply.authorName, reply.modified, 'replies');
  }
  const sorted = [...people.values()].sort((a, b) => (a.userId < b.userId ? -1 : 1));
  return new Map(sorted.map(({ nameAt: _nameAt, ...person }) => [person.userId, person]));
}
