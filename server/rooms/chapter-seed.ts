import { prosemirrorJSONToYXmlFragment } from 'y-prosemirror';
import * as Y from 'yjs';
import { chapterFromJSON, chapterSchema, TEXT_FRAGMENT_NAME } from '../../schema/index.ts';
import type { ChapterJSON } from '../../schema/index.ts';

/** The typed origin of the one transaction that seeds a room's text document. */
export const SEED_ORIGIN = { kind: 'seed' } as const;

/**
 * Encodes an imported chapter as the initial Yjs update of a room's text document: the
 * chapter in `getXmlFragment(TEXT_FRAGMENT_NAME)`, in y-prosemirror's representation. This runs once,
 * on the server, when a room is created; clients never seed (duplicate text otherwise:
 * suitenumerique/docs #471). Throws a RangeError if the JSON does not fit the chapter schema.
 */
export function encodeChapterSeed(chapter: ChapterJSON): Uint8Array {
  chapterFromJSON(chapter);
  const ydoc = new Y.Doc();
  try {
    ydoc.transact(() => {
      prosemirrorJSONToYXmlFragment(chapterSchema, chapter, ydoc.getXmlFragment(TEXT_FRAGMENT_NAME));
    }, SEED_ORIGIN);
    return Y.encodeStateAsUpdate(ydoc);
  } finally {
    ydoc.destroy();
  }
}
