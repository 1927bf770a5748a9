import { isRoomId, ROOM_ID_PATTERN } from '../../schema/index.ts';
import type { DocKind } from '../../schema/index.ts';

/** Returns the stored name of a room's document (`chapter-5/text`), the key of its log and snapshot. */
export function docNameOf(room: string, kind: DocKind): string {
  if (!isRoomId(room)) throw new RangeError(`room id "${room}" is not canonical (${ROOM_ID_PATTERN})`);
  return `${room}/${kind}`;
}
