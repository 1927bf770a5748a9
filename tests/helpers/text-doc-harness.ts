import type { Node as PMNode, Slice } from 'prosemirror-model';
import { EditorState } from 'prosemirror-state';
import type { Transaction } from 'prosemirror-state';
import * as Y from 'yjs';
import { initProseMirrorDoc, prosemirrorToYXmlFragment, updateYFragment, ySyncPluginKey } from 'y-prosemirror';
import { chapterSchema } from '../../schema/chapter/chapter-schema.ts';
import { projectChapter } from '../../schema/chapter/text-projection.ts';

/**
 * A text document edited the way the real editor edits it: each edit is a ProseMirror
 * transaction on the document y-prosemirror builds from the fragment, written back with
 * y-prosemirror's own `updateYFragment`. So tests meet y-prosemirror's real behaviour
 * (#44: a split re-creates one half of the paragraph; #194: node ends) and undo goes through
 * a `Y.UndoManager` tracking y-prosemirror's origin, as the editor's undo plugin does
 * (yjs #638: undo re-inserts deleted text as new items).
 */

/** The name of the fragment the chapter lives in. */
export const FRAGMENT = 'prosemirror';

/** Creates a text document holding `doc`; a fixed `clientID` makes runs reproducible. */
export function textDocFrom(doc: PMNode, clientID?: number): Y.Doc {
  const ydoc = new Y.Doc();
  if (clientID !== undefined) ydoc.clientID = clientID;
  prosemirrorToYXmlFragment(doc, ydoc.getXmlFragment(FRAGMENT));
  return ydoc;
}

/** Creates a replica of `source` (same state, its own client id). */
export function replicaOf(source: Y.Doc, clientID?: number): Y.Doc {
  const ydoc = new Y.Doc();
  if (clientID !== undefined) ydoc.clientID = clientID;
  Y.applyUpdate(ydoc, Y.encodeStateAsUpdate(source));
  return ydoc;
}

/** Brings every document up to date with every other (full state exchange). */
export function syncAll(...docs: Y.Doc[]): void {
  for (const from of docs) {
    const update = Y.encodeStateAsUpdate(from);
    for (const to of docs) if (to !== from) Y.applyUpdate(to, update);
  }
}

/** The ProseMirror range of the `nth` occurrence (0-based) of `text` in the document's projection. */
export function rangeOfText(doc: PMNode, text: string, nth = 0): { from: number; to: number } {
  const projection = projectChapter(doc);
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = projection.text.indexOf(text, at + 1);
    if (at === -1) throw new RangeError(`occurrence ${nth} of ${JSON.stringify(text)} is not in the text`);
  }
  return { from: pmPositionOfOffset(doc, at, 'start'), to: pmPositionOfOffset(doc, at + text.length, 'end') };
}

/** The ProseMirror position of a projection offset: before the next character, or after the previous one. */
export function pmPositionOfOffset(doc: PMNode, offset: number, bias: 'start' | 'end'): number {
  const { blocks } = projectChapter(doc);
  const block = blocks.find((b) => (bias === 'start' ? offset >= b.start && offset < b.end : offset > b.start && offset <= b.end));
  if (!block) throw new RangeError(`offset ${offset} is not inside a block's text`);
  let remaining = offset - block.start;
  let pos = block.pmStart;
  for (const child of doc.resolve(block.pmStart).parent.children) {
    if (child.isText) {
      const length = child.text!.length;
      if (bias === 'start' ? remaining < length : remaining <= length) return pos + remaining;
      remaining -= length;
    }
    pos += child.nodeSize;
  }
  return pos;
}

let splitCounter = 0;

/** One collaborator's editor on a text document, editing through ProseMirror and y-prosemirror. */
export class TextEditor {
  readonly ydoc: Y.Doc;
  readonly fragment: Y.XmlFragment;
  readonly undoManager: Y.UndoManager;

  /** Binds an editor (and its undo manager) to `ydoc`. */
  constructor(ydoc: Y.Doc) {
    this.ydoc = ydoc;
    this.fragment = ydoc.getXmlFragment(FRAGMENT);
    this.undoManager = new Y.UndoManager(this.fragment, { trackedOrigins: new Set([ySyncPluginKey]), captureTimeout: 0 });
  }

  /** The ProseMirror document y-prosemirror builds from the fragment now. */
  doc(): PMNode {
    return initProseMirrorDoc(this.fragment, chapterSchema).doc;
  }

  /** Applies a ProseMirror transaction built by `build` and writes the result back, as the editor does. */
  edit(build: (tr: Transaction) => void): void {
    const { doc, meta } = initProseMirrorDoc(this.fragment, chapterSchema);
    const tr = EditorState.create({ doc, schema: chapterSchema }).tr;
    build(tr);
    if (!tr.docChanged) return;
    updateYFragment(this.ydoc, this.fragment, tr.doc, meta);
    this.undoManager.stopCapturing();
  }

  /** Types `text` at `pos`. */
  insertText(pos: number, text: string): void {
    this.edit((tr) => tr.insertText(text, pos));
  }

  /** Deletes the range [from, to). */
  delete(from: number, to: number): void {
    this.edit((tr) => tr.delete(from, to));
  }

  /** Replaces [from, to) with `text` (typing over a selection). */
  replace(from: number, to: number, text: string): void {
    this.edit((tr) => tr.insertText(text, from, to));
  }

  /** Presses Enter at `pos`: splits the block; the new block gets a fresh id, as the client does. */
  split(pos: number): void {
    this.edit((tr) => {
      const parent = tr.doc.resolve(pos).parent;
      tr.split(pos, 1, [{ type: parent.type, attrs: { ...parent.attrs, id: `split-${++splitCounter}` } }]);
    });
  }

  /** Presses Backspace at the start of top-level block `index`: joins it to the block before. */
  joinWithPrevious(index: number): void {
    if (index < 1) throw new RangeError(`block ${index} has no previous block to join`);
    this.edit((tr) => {
      let boundary = 0;
      for (let i = 0; i < index; i++) boundary += tr.doc.child(i).nodeSize;
      tr.join(boundary);
    });
  }

  /** Deletes the whole top-level block with index `index`. */
  deleteBlock(index: number): void {
    this.edit((tr) => {
      let pos = 0;
      for (let i = 0; i < index; i++) pos += tr.doc.child(i).nodeSize;
      tr.delete(pos, pos + tr.doc.child(index).nodeSize);
    });
  }

  /** Cuts [from, to) and returns what was cut. */
  cut(from: number, to: number): Slice {
    const slice = this.doc().slice(from, to);
    this.delete(from, to);
    return slice;
  }

  /** Pastes a slice at `pos`. */
  paste(pos: number, slice: Slice): void {
    this.edit((tr) => tr.replace(pos, pos, slice));
  }

  /** Undoes the last edit made through this editor. */
  undo(): void {
    this.undoManager.undo();
  }

  /** Redoes the last undone edit. */
  redo(): void {
    this.undoManager.redo();
  }

  /** The ProseMirror range of the `nth` occurrence of `text`. */
  find(text: string, nth = 0): { from: number; to: number } {
    return rangeOfText(this.doc(), text, nth);
  }

  /** The current projection text. */
  text(): string {
    return projectChapter(this.doc()).text;
  }
}
