import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createAnchor } from '../../schema/anchoring/create-anchor.ts';
import { AnchorIndex } from '../../schema/anchoring/anchor-index.ts';
import { annotationsMap, readAnnotationById } from '../../schema/annotations/layout.ts';
import type { OperationContext } from '../../schema/annotations/operation-context.ts';
import { createAnnotation, deleteAnnotation, updateAnnotation } from '../../schema/annotations/operations.ts';
import { chapterDoc, para } from '../helpers/chapter-doc-builder.ts';
import { TextEditor, textDocFrom } from '../helpers/text-doc-harness.ts';

// The index shares the records it reads (the client's annotation layer takes them instead of
// reading and validating every annotation a second time): they must be exactly what a fresh
// read gives, after every kind of change.
const ctx: OperationContext = { actor: { userId: 'u-1', name: 'Ada' }, now: () => new Date('2025-03-01T10:00:00.000Z') };

function setup() {
  const editor = new TextEditor(textDocFrom(chapterDoc(para('First paragraph of text.'), para('Second paragraph of text.')), 1));
  const annotations = new Y.Doc();
  const annotate = (text: string) => {
    const anchor = createAnchor(editor.fragment, editor.find(text));
    if (!anchor.ok) throw new Error(anchor.error);
    const created = createAnnotation(annotations, { kind: 'comment', note: 'first note', anchor: anchor.value }, ctx);
    if (!created.ok) throw new Error(created.errors.join());
    return created.value.id;
  };
  return { editor, annotations, annotate };
}

function freshRead(annotations: Y.Doc, id: string) {
  const read = readAnnotationById(annotations, id);
  return read.ok ? read.value : undefined;
}

describe('AnchorIndex records', () => {
  it('holds the record of every valid annotation, read at construction and after creation', () => {
    const s = setup();
    const before = s.annotate('First paragraph');
    const index = new AnchorIndex(s.editor.ydoc, s.annotations);
    const after = s.annotate('Second paragraph');
    expect(index.record(before)).toEqual(freshRead(s.annotations, before));
    expect(index.record(after)).toEqual(freshRead(s.annotations, after));
  });

  it('replaces the record when a field changes without the anchor changing, and the text edits leave it', () => {
    const s = setup();
    const index = new AnchorIndex(s.editor.ydoc, s.annotations);
    const id = s.annotate('Second paragraph');
    const updated = updateAnnotation(s.annotations, id, { note: 'second thoughts' }, ctx);
    expect(updated.ok).toBe(true);
    expect(index.record(id)?.note).toBe('second thoughts');
    s.editor.insertText(s.editor.find('paragraph of').from, 'long ');
    expect(index.record(id)).toEqual(freshRead(s.annotations, id));
  });

  it('has no record for a deleted or invalid annotation', () => {
    const s = setup();
    const index = new AnchorIndex(s.editor.ydoc, s.annotations);
    const deleted = s.annotate('First paragraph');
    const broken = s.annotate('Second paragraph');
    expect(deleteAnnotation(s.annotations, deleted, ctx).ok).toBe(true);
    s.annotations.transact(() => annotationsMap(s.annotations).get(broken)!.set('kind', 'not a kind'), 'test');
    expect(index.record(deleted)).toBeUndefined();
    expect(index.record(broken)).toBeUndefined();
  });
});
