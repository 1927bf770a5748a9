/**
 * How rooms and their documents are named, the same in the address bar, on the socket path
 * and in the store: a room id, and the two Yjs documents every room has.
 */

/** The two Yjs documents of a room: the chapter text and the annotation layer. */
export type DocKind = 'text' | 'annotations';

/** Room ids: lower-case letters, digits and hyphens, 1 to 64 characters. */
export const ROOM_ID_PATTERN = /^[a-z0-9-]{1,64}$/;

/** Returns whether a value is a canonical room id. */
export function isRoomId(value: unknown): value is string {
  return typeof value === 'string' && ROOM_ID_PATTERN.test(value);
}

/** Returns whether a string names a document kind. */
export function isDocKind(value: unknown): value is DocKind {
  return value === 'text' || value === 'annotations';
}
