import { Plugin, PluginKey } from 'prosemirror-state';
import type { EditorState, Transaction } from 'prosemirror-state';
import type { EditorView } from 'prosemirror-view';
import { ySyncPluginKey } from 'y-prosemirror';

/** Whether the local user may currently change the chapter text. */
export interface TextEditingState {
  editing: boolean;
}

/** The guard's plugin key; its state says whether text editing is switched on. */
export const readOnlyGuardKey = new PluginKey<TextEditingState>('ap-read-only-guard');

/** Transaction meta that lets one owner-initiated change through (e.g. applying a correction). */
export const OWNER_TEXT_CHANGE = 'ap-owner-text-change';

/** Whether a transaction carries a change that came from Yjs (sync, remote, undo) rather than the keyboard. */
function fromYjs(tr: Transaction): boolean {
  const meta = tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined;
  return meta?.isChangeOrigin === true;
}

/** Input types that only move the caret or the selection never reach beforeinput; every other one edits. */
function blocksInput(view: EditorView, event: Event): boolean {
  if (readOnlyGuardKey.getState(view.state)?.editing) return false;
  event.preventDefault();
  return true;
}

/**
 * Keeps the chapter text read-only while leaving the view editable, so that readers can
 * place a caret and select with Shift+arrows (keyboard-only annotation needs both).
 * A doc-changing transaction passes only when it came from y-prosemirror (the server's
 * text), carries OWNER_TEXT_CHANGE, or editing is on (the owner's "Edit text" mode).
 * Typing, pasting and dropping are cancelled before the browser touches the DOM.
 */
export function readOnlyGuard(initiallyEditing: boolean): Plugin<TextEditingState> {
  return new Plugin<TextEditingState>({
    key: readOnlyGuardKey,
    state: {
      init: () => ({ editing: initiallyEditing }),
      apply: (tr, value) => {
        const next = tr.getMeta(readOnlyGuardKey) as TextEditingState | undefined;
        return next ?? value;
      },
    },
    filterTransaction: (tr: Transaction, state: EditorState) => {
      if (!tr.docChanged) return true;
      return fromYjs(tr) || tr.getMeta(OWNER_TEXT_CHANGE) === true || readOnlyGuardKey.getState(state)?.editing === true;
    },
    props: {
      handleDOMEvents: {
        beforeinput: blocksInput,
        drop: blocksInput,
        paste: blocksInput,
        cut: blocksInput,
      },
      attributes: (state): Record<string, string> => ({
        'aria-readonly': readOnlyGuardKey.getState(state)?.editing ? 'false' : 'true',
        class: readOnlyGuardKey.getState(state)?.editing ? 'is-editing' : 'is-reading',
        // Reading: a tap places the caret or starts a selection without raising a phone's keyboard.
        inputmode: readOnlyGuardKey.getState(state)?.editing ? 'text' : 'none',
      }),
    },
  });
}

/** Switches the owner's text editing on or off. */
export function setTextEditing(view: EditorView, editing: boolean): void {
  view.dispatch(view.state.tr.setMeta(readOnlyGuardKey, { editing }));
}

/** Whether text editing is currently on. */
export function isTextEditing(state: EditorState): boolean {
  return readOnlyGuardKey.getState(state)?.editing === true;
}
