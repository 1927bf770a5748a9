import { EditorState } from 'prosemirror-state';
import type { Plugin } from 'prosemirror-state';
import { EditorView } from 'prosemirror-view';
import { keymap } from 'prosemirror-keymap';
import { baseKeymap, toggleMark } from 'prosemirror-commands';
import { initProseMirrorDoc, redo, undo, yCursorPlugin, ySyncPlugin, ySyncPluginKey, yUndoPlugin } from 'y-prosemirror';
import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import { chapterSchema } from '../../schema/index.ts';
import { readOnlyGuard } from './read-only-guard.ts';
import { blockIdsPlugin } from './block-ids.ts';
import { footnoteListPlugin } from './footnote-list.ts';
import { buildRemoteCursor, buildRemoteSelection } from './remote-cursors.ts';
import { FootnoteRefView } from './footnote-ref-view.ts';
import { FootnoteView } from './footnote-view.ts';
import { PageBreakView } from './page-break-view.ts';

/** What the chapter editor is built from. */
export interface ChapterEditorOptions {
  /** The element the editor mounts into. */
  mount: HTMLElement;
  /** The text document's `prosemirror` fragment; the editor never seeds it. */
  yFragment: Y.XmlFragment;
  /** Presence channel for remote carets and selections. */
  awareness: Awareness;
  /** App plugins (annotation keys, decorations, observers), run before the built-in keymaps. */
  plugins: Plugin[];
  /** Accessible name of the text area. */
  label: string;
}

/** Keys of the owner's text editing: undo through Yjs (y-prosemirror's UndoManager), italics. */
function editingKeymap(): Plugin {
  return keymap({
    'Mod-z': (state) => undo(state),
    'Mod-y': (state) => redo(state),
    'Mod-Shift-z': (state) => redo(state),
    'Mod-i': toggleMark(chapterSchema.marks.em!),
  });
}

/**
 * Creates the ProseMirror view of the chapter, bound to the Yjs text document by
 * y-prosemirror: the text starts read-only (see readOnlyGuard), remote carets are drawn with
 * CSP-safe classes, and footnote markers, footnotes and page breaks get their node views.
 */
export function createChapterEditor(options: ChapterEditorOptions): EditorView {
  const { doc, mapping } = initProseMirrorDoc(options.yFragment, chapterSchema);
  const state = EditorState.create({
    schema: chapterSchema,
    doc,
    plugins: [
      ySyncPlugin(options.yFragment, { mapping }),
      yCursorPlugin(options.awareness, { cursorBuilder: buildRemoteCursor, selectionBuilder: buildRemoteSelection }),
      yUndoPlugin(),
      readOnlyGuard(false),
      ...options.plugins,
      blockIdsPlugin(),
      footnoteListPlugin(),
      editingKeymap(),
      keymap(baseKeymap),
    ],
  });
  return new EditorView(options.mount, {
    state,
    attributes: {
      'aria-label': options.label,
      'aria-multiline': 'true',
      role: 'textbox',
      spellcheck: 'false',
      class: 'ap-chapter',
    },
    nodeViews: {
      footnote_ref: (node) => new FootnoteRefView(node),
      page_break: (node) => new PageBreakView(node),
      footnote: (node) => new FootnoteView(node),
    },
  });
}

/**
 * Destroys a chapter editor so that nothing y-prosemirror queued for it runs afterwards.
 * y-prosemirror batches cursor updates (an awareness change) into a `setTimeout(0)` that
 * dispatches to every view it queued unless that view's binding reads `isDestroyed`, a property
 * 1.3.7 no longer sets (y-prosemirror #199, #265): a view destroyed in between (a room reopened
 * for a blind round while others move their cursors) then throws "reading 'matchesNode'". The
 * flag is set by hand here.
 */
export function destroyChapterEditor(view: EditorView): void {
  const binding = (ySyncPluginKey.getState(view.state) as { binding?: { isDestroyed?: boolean } } | undefined)?.binding;
  view.destroy();
  if (binding) binding.isDestroyed = true;
}
