import { Plugin } from 'prosemirror-state';
import type { EditorView } from 'prosemirror-view';
import { isTextEditing } from './read-only-guard.ts';

/** What a shortcut in the text asks the app to do. */
export type AnnotationShortcut = 'sourced' | 'contested' | 'interpretive' | 'problem' | 'comment' | 'cancel' | 'open';

const SHORTCUT_KEYS: Record<string, AnnotationShortcut> = {
  '1': 'sourced',
  '2': 'contested',
  '3': 'interpretive',
  p: 'problem',
  P: 'problem',
  c: 'comment',
  C: 'comment',
};

/** Maps a key press in the text to a shortcut, or null when the key should reach ProseMirror. */
function shortcutFor(view: EditorView, event: KeyboardEvent): AnnotationShortcut | null {
  if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return null;
  // While the owner edits the text, keys type text; the toolbar stays reachable by mouse.
  if (isTextEditing(view.state)) return null;
  const hasSelection = !view.state.selection.empty;
  if (event.key === 'Escape') return hasSelection ? 'cancel' : null;
  if (event.key === 'Enter') return hasSelection ? null : 'open';
  return hasSelection ? (SHORTCUT_KEYS[event.key] ?? null) : null;
}

/**
 * The annotation keys of the reading view: with text selected, 1/2/3 tag it as a sourced,
 * contested or interpretive claim, P opens a problem, C a comment, Esc drops the selection;
 * with the caret inside a highlight, Enter opens that annotation. `handle` returns whether
 * it acted (a shortcut the user may not use falls through).
 */
export function annotationKeys(handle: (shortcut: AnnotationShortcut, view: EditorView) => boolean): Plugin {
  return new Plugin({
    props: {
      handleKeyDown: (view, event) => {
        const shortcut = shortcutFor(view, event);
        return shortcut !== null && handle(shortcut, view);
      },
    },
  });
}
