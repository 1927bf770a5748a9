import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createAnchor } from '../../schema/anchoring/create-anchor.ts';
import { AnchorIndex } from '../../schema/anchoring/anchor-index.ts';
import type { AnchorIndexChange } from '../../schema/anchoring/anchor-index.ts';
import { resolveAnchors } from '../../schema/anchoring/resolve.ts';
import { listAnnotations } from '../../schema/annotations/layout.ts';
import type { OperationContext } from '../../schema/annotations/operation-context.ts';
import { createAnnotation, deleteAnnotation, reanchorAnnotation, updateAnnotation } from '../../schema/annotations/operations.ts';
import { chapterDoc, para } from '../helpers/chapter-doc-builder.ts';
import { TextEditor, replicaOf, syncAll, textDocFrom } from '../helpers/text-doc-harness.ts';

const ctx: OperationContext = { actor: { userId: 'u-1', name: 'Ada' }, now: () => new Date('2025-03-01T10:00:00.000Z') };

interface Setup {
  editor: TextEditor;
  annotations: Y.Doc;
  index: AnchorIndex;
  changes: AnchorIndexChange[];
  annotate: (text: string, nth?: number) => string;
}

function setup(...paragraphs: string[]): Setup {
  const editor = new TextEditor(textDocFrom(chapterDoc(...paragraphs.map((p) => para(p))), 1));
  const annotations = new Y.Doc();
  const index = new AnchorIndex(editor.ydoc, annotations);
  const changes: AnchorIndexChange[] = [];
  index.onChange((change) => changes.push(change));
  const annotate = (text: string, nth = 0) => {
    const anchor = createAnchor(editor.fragment, editor.find(text, nth));
    if (!anchor.ok) throw new Error(anchor.error);
    const created = createAnnotation(annotations, { kind: 'comment', anchor: anchor.value }, ctx);
    if (!created.ok) throw new Error(created.errors.join());
    return created.value.id;
  };
  return { editor, annotations, index, changes, annotate };
}

function expectEqualsFullResolution({ index, editor, annotations }: Setup): void {
  expect(index.resolutions()).toEqual(resolveAnchors(editor.ydoc, listAnnotations(annotations)));
}

describe('AnchorIndex', () => {
  it('reports a new annotation as changed and resolves it', () => {
    const s = setup('First paragraph of text.', 'Second paragraph of text.');
    const id = s.annotate('Second paragraph');
    expect(s.changes.at(-1)).toEqual({ changed: [id], removed: [], textChanged: false });
    expect(s.index.get(id)).toMatchObject({ state: 'anchored', from: s.editor.find('Second paragraph').from });
  });

  it('re-places only the annotations of the paragraph that was typed in, while later ones shift with the text', () => {
    const s = setup('First paragraph of text.', 'Second paragraph of text.');
    const early = s.annotate('First');
    const late = s.annotate('of text', 0);
    const other = s.annotate('Second paragraph');
    s.changes.length = 0;
    s.editor.insertText(s.editor.find('paragraph').from, 'new ');
    expect(s.changes).toEqual([{ changed: [late], removed: [], textChanged: true }]);
    expect(s.index.get(early)?.from).toBe(s.editor.find('First').from);
    expect(s.index.get(other)?.from).toBe(s.editor.find('Second paragraph').from);
    expectEqualsFullResolution(s);
  });

  it('drops a deleted annotation and reports it as removed', () => {
    const s = setup('Some text to annotate.');
    const id = s.annotate('text to');
    deleteAnnotation(s.annotations, id, ctx);
    expect(s.changes.at(-1)).toEqual({ changed: [], removed: [id], textChanged: false });
    expect(s.index.get(id)).toBeUndefined();
  });

  it('ignores edits of fields other than the anchor, and follows a rewritten anchor', () => {
    const s = setup('Some text to annotate, and more text.');
    const id = s.annotate('text to');
    s.changes.length = 0;
    updateAnnotation(s.annotations, id, { note: 'a new note' }, ctx);
    expect(s.changes).toEqual([]);
    const moved = createAnchor(s.editor.fragment, s.editor.find('more text'));
    if (!moved.ok) throw new Error(moved.error);
    reanchorAnnotation(s.annotations, id, moved.value, ctx);
    expect(s.changes).toEqual([{ changed: [id], removed: [], textChanged: false }]);
    expect(s.index.get(id)?.from).toBe(s.editor.find('more text').from);
  });

  it('re-places a range spanning paragraphs when a paragraph reappears between them', () => {
    const s = setup('Alpha paragraph.', 'Beta paragraph.', 'Gamma paragraph.');
    s.editor.deleteBlock(1);
    const anchor = createAnchor(s.editor.fragment, { from: s.editor.find('paragraph', 0).from, to: s.editor.find('Gamma').to });
    if (!anchor.ok) throw new Error(anchor.error);
    const created = createAnnotation(s.annotations, { kind: 'comment', anchor: anchor.value }, ctx);
    if (!created.ok) throw new Error(created.errors.join());
    expect(s.index.get(created.value.id)?.state).toBe('anchored');
    s.editor.undo();
    expect(s.index.get(created.value.id)?.state).toBe('degraded');
    expectEqualsFullResolution(s);
  });

  it('anchors an annotation whose text arrives after it, from another replica', () => {
    const s = setup('Shared text.');
    const writer = new TextEditor(replicaOf(s.editor.ydoc, 2));
    writer.insertText(writer.find('text.').to, ' Words typed elsewhere.');
    const anchor = createAnchor(writer.fragment, writer.find('typed elsewhere'));
    if (!anchor.ok) throw new Error(anchor.error);
    const created = createAnnotation(s.annotations, { kind: 'comment', anchor: anchor.value }, ctx);
    if (!created.ok) throw new Error(created.errors.join());
    expect(s.index.get(created.value.id)?.state).toBe('orphaned');
    syncAll(s.editor.ydoc, writer.ydoc);
    expect(s.index.get(created.value.id)).toMatchObject({ state: 'anchored', from: s.editor.find('typed elsewhere').from });
    expectEqualsFullResolution(s);
  });

  it('re-places a pending annotation when its text arrives inside a block already deleted here', () => {
    const s = setup('Doomed paragraph.', 'Kept paragraph.');
    const remote = new TextEditor(replicaOf(s.editor.ydoc, 2));
    remote.insertText(remote.find('paragraph.').from, 'Unique phrase ');
    const anchor = createAnchor(remote.fragment, remote.find('Unique phrase'));
    if (!anchor.ok) throw new Error(anchor.error);
    const created = createAnnotation(s.annotations, { kind: 'comment', anchor: anchor.value }, ctx);
    if (!created.ok) throw new Error(created.errors.join());
    // Here, meanwhile: the paragraph is deleted and the same words are typed elsewhere.
    s.editor.deleteBlock(0);
    s.editor.insertText(s.editor.find('Kept').from, 'Unique phrase ');
    expect(s.index.get(created.value.id)?.state).toBe('orphaned');
    // The remote words land in the deleted paragraph: no observer of the fragment hears of them.
    Y.applyUpdate(s.editor.ydoc, Y.encodeStateAsUpdate(remote.ydoc, Y.encodeStateVector(s.editor.ydoc)));
    expect(s.index.get(created.value.id)).toMatchObject({ state: 'relocated', from: s.editor.find('Unique phrase').from });
    expectEqualsFullResolution(s);
  });

  it('reopens a deleted range when text typed concurrently inside it arrives', () => {
    const s = setup('Before abc def after.');
    const id = s.annotate('abc def');
    const typist = new TextEditor(replicaOf(s.editor.ydoc, 2));
    const range = s.editor.find('abc def');
    s.editor.delete(range.from, range.to);
    expect(s.index.get(id)?.state).toBe('orphaned');
    typist.insertText(typist.find('def').from, 'XYZ');
    syncAll(s.editor.ydoc, typist.ydoc);
    expect(s.index.get(id)).toMatchObject({ state: 'degraded', from: s.editor.find('XYZ').from, to: s.editor.find('XYZ').to });
    expectEqualsFullResolution(s);
  });

  it('keeps many orphans cheap: a keystroke far from their quotes leaves them alone', () => {
    const s = setup('Doomed words here.', 'Unrelated paragraph where typing happens.');
    const ids = ['Doomed', 'words', 'here'].map((word) => s.annotate(word));
    s.editor.deleteBlock(0);
    s.changes.length = 0;
    s.editor.insertText(s.editor.find('typing').from, 'quiet ');
    expect(s.changes).toEqual([{ changed: [], removed: [], textChanged: true }]);
    s.editor.insertText(s.editor.find('typing').from, 'words ');
    expect(s.changes.at(-1)?.changed).toEqual([ids[1]]);
    expectEqualsFullResolution(s);
  });

  it('stops reporting after destroy', () => {
    const s = setup('Some text.');
    s.index.destroy();
    s.annotate('Some');
    s.editor.insertText(1, 'x');
    expect(s.changes).toEqual([]);
  });
});
