import { Plugin } from 'prosemirror-state';
import type { Transaction, EditorState } from 'prosemirror-state';
import { ySyncPluginKey } from 'y-prosemirror';
import { OWNER_TEXT_CHANGE } from './read-only-guard.ts';

const ID_PREFIX: Record<string, string> = { heading: 'h', paragraph: 'p', footnote: 'fn' };

/** Makes a block id that no other block has: the type prefix and a random suffix. */
export function freshBlockId(type: string, taken: ReadonlySet<string>): string {
  const prefix = ID_PREFIX[type];
  if (!prefix) throw new TypeError(`blocks of type ${type} carry no id`);
  for (;;) {
    const suffix = Math.random().toString(36).slice(2, 10);
    const id = `${prefix}-${suffix}`;
    if (!taken.has(id)) return id;
  }
}

/**
 * Gives every top-level block a unique id after a local edit. Splitting a paragraph copies
 * its attributes into both halves; the first half keeps the id (annotations and exports
 * point at it) and the second gets a fresh one. Changes that arrive from Yjs are left alone:
 * the writer who made them has already fixed them.
 */
export function blockIdsPlugin(): Plugin {
  return new Plugin({
    appendTransaction: (transactions: readonly Transaction[], _old: EditorState, state: EditorState) => {
      const localChange = transactions.some((tr) => tr.docChanged && tr.getMeta(ySyncPluginKey) === undefined);
      if (!localChange) return null;
      const seen = new Set<string>();
      const repairs: Array<{ pos: number; type: string }> = [];
      state.doc.forEach((block, pos) => {
        const id = block.attrs.id as string | null | undefined;
        if (!(block.type.name in ID_PREFIX)) return;
        if (!id || seen.has(id)) repairs.push({ pos, type: block.type.name });
        else seen.add(id);
      });
      if (repairs.length === 0) return null;
      // The repair belongs to the owner's edit, so it passes the read-only guard with it.
      const tr = state.tr.setMeta(OWNER_TEXT_CHANGE, true);
      for (const { pos, type } of repairs) {
        const id = freshBlockId(type, seen);
        seen.add(id);
        tr.setNodeAttribute(pos, 'id', id);
      }
      return tr;
    },
  });
}
