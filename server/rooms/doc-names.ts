/** The two Yjs documents of a room: the chapter text and the annotation layer. */
export type DocKind = 'text' | 'annotations';

/** Both document kinds, in the order they are usually opened. */
export const DOC_KINDS: readonly DocKind[] = ['text', 'annotations'];

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

/** Returns the stored name of a room's document (`chapter-5/text`), the key of its log and snapshot. */
export function docNameOf(room: string, kind: DocKind): string {
  if (!isRoomId(room)) throw new RangeError(`room id "${room}" is not canonical (${ROOM_ID_PATTERN})`);
  return `${room}/${kind}`;
}
