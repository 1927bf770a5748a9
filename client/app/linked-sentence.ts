import type * as Y from 'yjs';
import { BlockTable, TEXT_FRAGMENT_NAME } from '../../schema/index.ts';
import type { LinkedSentence } from './room-address.ts';

/**
 * Where a linked sentence (a seminar overview's "most disagreement" entry) is in the chapter
 * now, as a ProseMirror range: found by its paragraph's id, so a link still finds it after
 * edits elsewhere in the chapter. Null when the paragraph is gone or is now shorter than the
 * sentence's end.
 */
export function linkedSentenceRange(textDoc: Y.Doc, sentence: LinkedSentence): { from: number; to: number } | null {
  const table = new BlockTable(textDoc.getXmlFragment(TEXT_FRAGMENT_NAME));
  const block = table.listBlocks().find((candidate) => candidate.getAttribute('id') === sentence.blockId);
  if (!block || sentence.end > table.measureOf(block).text.length) return null;
  const start = table.textStart(block);
  return {
    from: table.pmPositionOf(table.pointAtTextOffset(start + sentence.start, 'start')),
    to: table.pmPositionOf(table.pointAtTextOffset(start + sentence.end, 'end')),
  };
}
