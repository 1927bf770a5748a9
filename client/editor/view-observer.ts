import { Plugin } from 'prosemirror-state';
import type { EditorState } from 'prosemirror-state';
import type { EditorView } from 'prosemirror-view';

/**
 * Calls `onUpdate` after every view update that changed the selection or the document,
 * and when the editor gains or loses focus. The app uses it to place the selection toolbar.
 */
export function viewObserver(onUpdate: (view: EditorView, previous: EditorState | null) => void): Plugin {
  return new Plugin({
    view: (view) => {
      const onFocusChange = (): void => onUpdate(view, null);
      view.dom.addEventListener('focus', onFocusChange);
      view.dom.addEventListener('blur', onFocusChange);
      return {
        update: (updated, previous) => {
          if (!previous.selection.eq(updated.state.selection) || !previous.doc.eq(updated.state.doc)) onUpdate(updated, previous);
        },
        destroy: () => {
          view.dom.removeEventListener('focus', onFocusChange);
          view.dom.removeEventListener('blur', onFocusChange);
        },
      };
    },
  });
}
