import { isRoomId, ROOM_ID_PATTERN } from '../../schema/index.ts';
import type { DocKind } from '../../schema/index.ts';

/** Returns the stored name of a room's document (`chapter-5/text`), the key of its log and snapshot. */
export function docNameOf(room: string, kind: DocKind): string {
  if (!isRoomId(room)) throw new RangeError(`room id "${room}" is not canonical (${ROOM_ID_PATTERN})`);
  return `${room}/${kind}`;
}

/**
 * The room of a stored document's name: `chapter-5` of `chapter-5/text` and of a blind round's
 * layer `chapter-5/rounds/3/u-1` (room ids hold no slash).
 */
export function roomOfDocName(docName: string): string {
  const slash = docName.indexOf('/');
  return slash < 0 ? docName : docName.slice(0, slash);
}
