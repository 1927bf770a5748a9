import { isRoomId } from '../../schema/index.ts';

/** The room a page shows, read from its address (`/r/<room>`), or null on any other path. */
export function roomFromPath(pathname: string): string | null {
  const match = /^\/r\/([^/]+)\/?$/.exec(pathname);
  return match && isRoomId(match[1]) ? match[1] : null;
}

/** The collaboration endpoint of the server that served the page (`ws(s)://host/collab`). */
export function collabUrlFor(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/collab`;
}

/** An annotation or reply an address points at: `#annotation=<id>` or `#reply=<id>`, as the server's IRIs redirect browsers. */
export interface LinkedItem {
  kind: 'annotation' | 'reply';
  id: string;
}

/** Reads the annotation or reply a page address's fragment names, or null. */
export function linkedItemFromHash(hash: string): LinkedItem | null {
  const match = /^#(annotation|reply)=([A-Za-z0-9_-]{1,64})$/.exec(hash);
  return match ? { kind: match[1] as LinkedItem['kind'], id: match[2]! } : null;
}

/** A sentence an address points at: its paragraph's id and its place in the paragraph's text (UTF-16 offsets, end exclusive). */
export interface LinkedSentence {
  blockId: string;
  start: number;
  end: number;
}

/** The fragment of a room address that opens the room at a sentence: `#sentence=<paragraph id>:<start>-<end>`. */
export function sentenceHash(sentence: LinkedSentence): string {
  return `#sentence=${encodeURIComponent(sentence.blockId)}:${sentence.start}-${sentence.end}`;
}

/** Reads the sentence a page address's fragment names, or null. */
export function linkedSentenceFromHash(hash: string): LinkedSentence | null {
  const match = /^#sentence=([A-Za-z0-9_-]{1,64}):(\d{1,9})-(\d{1,9})$/.exec(hash);
  if (!match) return null;
  const [start, end] = [Number(match[2]), Number(match[3])];
  return end > start ? { blockId: match[1]!, start, end } : null;
}
