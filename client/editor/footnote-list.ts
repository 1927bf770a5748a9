import { Plugin } from 'prosemirror-state';
import type { EditorState } from 'prosemirror-state';
import { Decoration, DecorationSet } from 'prosemirror-view';
import type { Node as PMNode } from 'prosemirror-model';

/** The footnotes: the doc's last children (schema: `(heading | paragraph)+ footnote*`), their position and numbers. */
function footnotesOf(doc: PMNode): { start: number; numbers: string[] } | null {
  const numbers: string[] = [];
  let start = doc.content.size;
  for (let index = doc.childCount - 1; index >= 0; index--) {
    const child = doc.child(index);
    if (child.type.name !== 'footnote') break;
    start -= child.nodeSize;
    numbers.unshift(String(child.attrs.n));
  }
  return numbers.length > 0 ? { start, numbers } : null;
}

/** The labelled list the footnotes belong to, drawn where they begin. */
function listWidget(numbers: string[]): HTMLElement {
  const list = document.createElement('div');
  list.className = 'ap-footnote-list';
  list.setAttribute('role', 'list');
  list.setAttribute('aria-label', `Footnotes, ${numbers.length}`);
  // The footnotes are the document's own blocks, siblings of this element: owned, not nested.
  list.setAttribute('aria-owns', numbers.map((n) => `footnote-${n}`).join(' '));
  list.contentEditable = 'false';
  return list;
}

function decorations(state: EditorState): DecorationSet {
  const footnotes = footnotesOf(state.doc);
  if (!footnotes) return DecorationSet.empty;
  const key = `footnotes:${footnotes.numbers.join(',')}`;
  return DecorationSet.create(state.doc, [Decoration.widget(footnotes.start, () => listWidget(footnotes.numbers), { key, side: -1, ignoreSelection: true })]);
}

/**
 * Groups the chapter's footnotes into one labelled list for assistive technology ("Footnotes,
 * 36"): a widget before the first footnote with role `list`, owning the footnotes (each a
 * `listitem`, footnote-view.ts) through `aria-owns`. It also draws the short rule that sets
 * the notes off from the text.
 */
export function footnoteListPlugin(): Plugin<DecorationSet> {
  return new Plugin<DecorationSet>({
    state: {
      init: (_config, state) => decorations(state),
      apply: (tr, value, _old, state) => (tr.docChanged ? decorations(state) : value),
    },
    props: {
      decorations(state) {
        return this.getState(state);
      },
    },
  });
}
